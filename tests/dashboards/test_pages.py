"""Each page renders from the fixture warehouse (streamlit.testing) with its title and figures."""

from __future__ import annotations

import io

import duckdb
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboards import marts, workbook
from tests.dashboards.conftest import APP
from tests.warehouse_fixtures import open_warehouse


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def page(name: str) -> AppTest:
    at = app().run()
    if name != "overview":
        at.switch_page(f"views/{name}.py").run()
    assert not at.exception, at.exception
    return at


def text(at: AppTest) -> str:
    parts = [m.value for m in at.subheader] + [m.value for m in at.markdown]
    parts += [m.value for m in at.caption]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.error]
    parts += [e.value for e in at.success]
    return "\n".join(str(p) for p in parts)


def test_overview_core_first_with_status_counts_and_change(board_env):
    at = page("overview")
    assert at.title[0].value == "总览"
    assert at.selectbox[0].value == 2024
    body = text(at)
    assert "核心指标" in body and "其他目标指标" in body
    assert body.index("生产安全事故死亡人数") < body.index("森林火灾受害率")
    assert "-22.7%" in body and "较2020年变化 ≤ -9%" in body  # PS_DEATHS judged on the baseline
    assert "17 人" in body and "−1 人" in body  # year value and change from last year
    assert "95,010 ÷ 80万" in body  # the count behind ND_AFFECTED_PER_100K (person-times)
    assert "11,876.3 人次/十万人" in body
    for status in ("已达标", "进度正常", "有风险", "未达标", "无数据"):
        assert status in body


def test_overview_as_of_year_selector(board_env):
    at = page("overview")
    at.selectbox[0].set_value(2022).run()
    assert not at.exception
    body = text(at)
    assert "未达标" in body and "0.41‰" in body  # FF_DAMAGE_RATE 2022 not met


def test_indicator_page_series_townships_and_provenance(board_env):
    at = page("indicator")
    assert at.title[0].value == "指标详情"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["2024年全区数值"] == "17 人"
    assert at.metric[0].delta == "-1 人（较上年）"
    body = text(at)
    assert "古南街道" in body and "8.5 人" in body  # township breakdown (17 × 0.5)
    assert "2024年生产安全事故台账.csv" in body  # the file behind the figure
    at.selectbox[0].set_value("FF_DAMAGE_RATE").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["2024年全区数值"] == "0.015‰"
    assert metrics["分子"] == "0.87" and metrics["分母"] == "58,000"  # hectares, below 1e5 so not in 万
    assert "damaged_forest_ha / forest_ha × 1000" in text(at)


def test_township_page_against_district(board_env):
    at = page("township")
    assert at.title[0].value == "街镇"
    body = text(at)
    assert "古南街道 2024年指标与全区对比" in body
    assert "8.5 人" in body and "17 人" in body


def test_quality_page_lists_rejections_quarantine_validation_findings_gaps(board_env):
    at = page("quality")
    assert at.title[0].value == "数据质量"
    body = text(at)
    assert "未知街镇：**1** 行" in body and "未通过 **1** 项" in body and "共 **2** 条差异" in body
    frames = "\n".join(df.value.to_string() for df in at.dataframe)
    assert "缺少必填列：死亡人数" in frames  # rejected file and its reason
    assert "未知街镇：新华镇" in frames and " 7 " in frames  # quarantined row with its row number
    assert "死亡人数不为空" in frames  # validation result
    assert "报送的事故等级与核定等级不一致" in frames  # reconciliation finding
    assert "区林业局" in frames and "森林火灾" in frames
    assert "缺报" in body and "地区生产总值" in frames  # gdp never delivered


def test_sql_page_runs_and_refuses(board_env):
    at = page("sql")
    assert at.title[0].value == "SQL 查询"
    at.button[0].click().run()
    assert not at.exception
    assert "返回 28 行" in text(at)
    at.text_area[0].set_value("SELECT * FROM read_csv('/etc/passwd')")
    at.button[0].click().run()
    assert "已拒绝" in text(at)
    at.text_area[0].set_value("DROP TABLE marts.indicator_values")
    at.button[0].click().run()
    assert "已拒绝" in text(at)
    assert "marts.indicator_values" in text(at)  # the table list


def test_export_page_and_workbook(board_env):
    at = page("export")
    assert at.title[0].value == "导出"
    assert "核心指标、安全生产" in text(at)
    wb = openpyxl.load_workbook(io.BytesIO(workbook.build(2024, "2026-01-01")))
    assert wb.sheetnames[0] == "核心指标"
    assert {"安全生产", "自然灾害", "森林防火", "基础设施", "矿山安全"} <= set(wb.sheetnames)
    ws = wb["核心指标"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    assert "截至2024年" in ws["A1"].value
    rows = {r[0]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert rows["PS_DEATHS"][7] == "进度正常" and rows["PS_DEATHS"][8] == 17


@pytest.mark.parametrize("name", ["overview", "indicator", "township", "quality", "sql", "export"])
def test_pages_show_notice_when_marts_missing(name, board_env, tmp_path, monkeypatch):
    bare = tmp_path / "bare.duckdb"
    con = open_warehouse(bare)
    con.close()
    monkeypatch.setenv("EMSTATS_PUBLISHED", str(bare))
    at = page(name)
    if name == "sql":
        assert "张表" in text(at)  # the SQL page still lists what exists
    else:
        assert at.info or at.success, f"{name}: expected a notice"


@pytest.mark.parametrize("name", ["overview", "quality", "sql"])
def test_pages_warn_when_warehouse_missing(name, board_env, tmp_path, monkeypatch):
    monkeypatch.setenv("EMSTATS_PUBLISHED", str(tmp_path / "nowhere.duckdb"))
    at = page(name)
    assert "尚未找到已发布的数据库" in at.warning[0].value


def test_catalog_core_and_groups(board_env):
    cat = marts.catalog()
    assert cat.loc["PS_DEATHS", "core"] == 1 and cat.loc["ND_AFFECTED_PER_100K", "core"] == 6
    assert cat.loc["MINE_STD_L3_SHARE", "group"] == "矿山安全"
    con = duckdb.connect(str(board_env["published"]), read_only=True)
    con.close()
