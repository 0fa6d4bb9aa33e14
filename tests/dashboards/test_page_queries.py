"""What the pages ask of the warehouse: filtered marts, bounded lists, older marts still readable."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import data, marts, ui
from tests.dashboards.conftest import APP
from tests.dashboards.fixture_warehouse import build, publish
from tests.dashboards.test_pages import text

PAGES = ["overview", "indicator", "township", "quality", "sql", "export"]


def render(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if name != "overview":
        at.switch_page(f"views/{name}.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL of every query the boards send (cache cleared first)."""
    queries: list[str] = []
    real = data.fetch

    def recording(con, sql, params=()):
        queries.append(" ".join(sql.split()))
        return real(con, sql, params)

    monkeypatch.setattr(data, "fetch", recording)
    st.cache_data.clear()
    return queries


@pytest.mark.parametrize("name", PAGES)
def test_pages_filter_the_value_mart_and_never_read_fact_tables(name, board_env, sent):
    render(name)
    assert sent
    for sql in sent:
        assert not re.search(r"\bmarts\.fct_", sql), sql
        if "marts.indicator_values" in sql and "LIMIT 0" not in sql:
            assert " WHERE " in sql, sql  # never the whole mart into pandas
            assert not re.search(r"SELECT \*", sql), sql


def test_indicator_page_lists_the_highest_townships_only(board_env, monkeypatch):
    monkeypatch.setattr(marts, "TOP_TOWNS", 2)
    at = render("indicator")
    body = text(at)
    assert "仅列出2024年数值最高的 2 个街镇" in body
    assert "古南街道" in body and "8.5 人" in body and "文龙街道" in body
    assert "石角镇" not in body  # the lowest of the three (17 × 0.2)


def test_quality_page_bounds_its_lists_but_counts_every_row(board_env, monkeypatch):
    monkeypatch.setattr(ui, "LIST_ROWS", 1)
    at = render("quality")
    body = text(at)
    assert "共 **2** 条差异" in body  # counted in SQL over every finding
    assert "仅列出前 1 行（共 2 行）" in body
    assert "未知街镇：**1** 行" in body and "负数：**1** 行" in body  # both reasons, one row listed
    frames = [df.value for df in at.dataframe]
    assert any(len(f) == 1 and "记录编号" in f.columns for f in frames)


def test_reconciliation_names_the_township(board_env):
    at = render("quality")
    frames = "\n".join(df.value.to_string() for df in at.dataframe)
    assert "古南街道" in frames and "石角镇" in frames  # township codes shown by name


@pytest.mark.parametrize("name", ["overview", "indicator", "township", "export"])
def test_pages_read_a_value_mart_without_area_level(name, board_env):
    """A warehouse published before indicator_values had area_level still shows the same figures."""
    old = build(board_env["tmp"] / "old.duckdb", area_level=False)
    publish(old, board_env["published"])
    st.cache_data.clear()
    assert "area_level" not in data.columns("marts.indicator_values")
    body = text(render(name))
    expected = {"overview": "17 人", "indicator": "8.5 人", "township": "古南街道 2024年指标与全区对比",
                "export": "核心指标、安全生产"}[name]
    assert expected in body
