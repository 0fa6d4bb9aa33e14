"""read_extract end to end on small files: layout rows, every quarantine reason, file rejections."""

import datetime as dt

import polars as pl
import pytest

from pipelines.ingest import reader as reader_module
from pipelines.ingest.contracts import DUCKDB_TYPES, all_contracts
from pipelines.ingest.periods import parse_period
from pipelines.ingest.reader import POLARS_TYPES, FileRejected, empty_frame, read_extract

from .helpers import (
    FIRE_HEADER,
    TITLE,
    TODAY,
    UNIT_ROW,
    fire_row,
    read,
    reasons,
    write_csv,
    write_xls,
    write_xlsx,
)

FOOTER = [
    "填报单位：綦江区林业局",
    None,
    "填报人：张三",
    None,
    "审核人：李四",
    "填报日期：2024-01-05",
]


def fires_xlsx(tmp_path, *data, name="2023年森林火灾统计表.xlsx", header=FIRE_HEADER):
    return write_xlsx(tmp_path / name, {"Sheet1": [TITLE, UNIT_ROW, header, *data]})


def rejection(path, dataset="forest_fires"):
    with pytest.raises(FileRejected) as exc:
        read(path, dataset)
    assert path.name in exc.value.message_zh  # the message names the file
    return exc.value


# --- layout ----------------------------------------------------------------------------------


def test_layout_rows_are_skipped_and_row_numbers_are_what_a_person_sees(tmp_path):
    path = fires_xlsx(
        tmp_path,
        fire_row(1, "F001"),
        [None] * 8,
        fire_row(2, "F002", burned=3, damaged=2),
        [3, None, None, None, None, None, None, None],  # a pre-numbered empty template row
        FIRE_HEADER,  # the header printed again
        [None, "合  计", None, None, 5, 3, 0, 0],
        ["全区小计", None, None, None, 5, 3, 0, 0],
        [],
        FOOTER,
        ["注：本表由各街镇汇总"],
    )
    result = read(path)
    assert result.issues == []
    assert result.rows["fire_id"].to_list() == ["F001", "F002"]
    assert result.rows["_row_number"].to_list() == [4, 6]
    assert result.rows["_sheet"].to_list() == ["Sheet1", "Sheet1"]
    assert result.rows["burned_area_ha"].sum() == 5  # totals never summed in
    assert result.rows_skipped == 8


def test_unit_and_column_number_rows_below_the_header_are_skipped(tmp_path):
    path = fires_xlsx(
        tmp_path,
        ["单位：公顷"],
        ["甲", "乙", 1, 2, 3, 4, 5, 6],
        fire_row(1, "F001"),
        ["制表：张三"],
    )
    result = read(path)
    assert result.issues == [] and result.rows["_row_number"].to_list() == [6]
    assert result.rows_skipped == 3


def test_only_the_year_column_is_held_to_the_period(tmp_path):
    header = [
        "年度",
        "矿山编号",
        "矿山名称",
        "街镇",
        "矿种",
        "状态",
        "标准化等级",
        "生产规模（吨/年）",
        "重点岗位数",
        "已实现机械化重点岗位数",
        "批准年度",
    ]
    path = write_xlsx(
        tmp_path / "2023年.xlsx",
        {
            "Sheet1": [
                header,
                [2023, "M1", "甲矿", "石角", "石灰岩", "生产", "二级", "300,000", 10, 8, 2015],
                [2023, "M2", "乙矿", "石角", "砂岩", "改扩建", "三级", 50000, 10, 11, 2023],
            ]
        },
    )
    result = read(path, "non_coal_mines")
    assert result.rows.select("approved_year", "capacity").rows() == [(2015, 30.0)]
    assert reasons(result) == {3: "rule_violation"}


def test_frame_has_exactly_the_contract_fields_with_warehouse_types(tmp_path):
    result = read(fires_xlsx(tmp_path, fire_row(1, "F001")))
    contract = all_contracts()["forest_fires"]
    assert result.rows.columns == [f.name for f in contract.fields] + [
        "_sheet",
        "_row_number",
        "_flags",
    ]
    assert result.rows.schema["ignited_at"] == pl.Datetime("us")
    assert result.rows.schema["deaths"] == pl.Int64
    assert result.rows.schema["_row_number"] == pl.Int32
    row = result.rows.row(0, named=True)
    assert row["ignited_at"] == dt.datetime(2023, 3, 1, 14, 30)
    assert row["township"] == "500110001"
    assert row["extinguished_at"] is None and row["direct_loss"] is None  # absent optional columns


@pytest.mark.parametrize("contract", list(all_contracts().values()), ids=lambda c: c.dataset)
def test_polars_types_match_duckdb_types(contract):
    expected = {
        "VARCHAR": pl.Utf8,
        "BIGINT": pl.Int64,
        "INTEGER": pl.Int32,
        "DOUBLE": pl.Float64,
        "DATE": pl.Date,
        "TIMESTAMP": pl.Datetime("us"),
        "BOOLEAN": pl.Boolean,
        "VARCHAR[]": pl.List(pl.Utf8),
    }
    schema = empty_frame(contract).schema
    for f in contract.fields:
        assert schema[f.name] == expected[DUCKDB_TYPES[f.type]] == POLARS_TYPES[f.type]


def test_header_only_file_loads_no_rows(tmp_path):
    result = read(fires_xlsx(tmp_path, FOOTER))
    assert result.rows.height == 0 and result.issues == []


# --- values ----------------------------------------------------------------------------------


def test_null_markers_stay_null_and_zero_stays_zero(tmp_path):
    header = [*FIRE_HEADER, "轻伤人数", "直接经济损失"]
    rows = [
        fire_row(i, f"F{i}") + [marker, 0]
        for i, marker in enumerate(["-", "—", "－", "/", "无", " "], 1)
    ]
    result = read(fires_xlsx(tmp_path, *rows, header=header))
    assert result.rows["minor_injuries"].to_list() == [None] * 6
    assert result.rows["direct_loss"].to_list() == [0.0] * 6


def test_units_in_header_brackets_convert(tmp_path):
    header = [
        "火灾编号",
        "起火时间",
        "街镇",
        "过火面积（亩）",
        "受害森林面积（平方公里）",
        "死亡人数",
        "重伤人数",
        "直接经济损失（元）",
    ]
    result = read(
        fires_xlsx(
            tmp_path, ["F1", "2023-03-01", "古南", 30, 0.01, 0, 0, "1,234,500"], header=header
        )
    )
    row = result.rows.row(0, named=True)
    assert (row["burned_area_ha"], row["damaged_forest_ha"], row["direct_loss"]) == (
        2.0,
        1.0,
        123.45,
    )


def test_population_in_wan_ren_becomes_people(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年常住人口.xlsx",
        {
            "Sheet1": [
                ["年度", "街镇", "常住人口（万人）", "户籍人口（人）"],
                [2023, "古南街道", "12.3456", "150,000"],
            ]
        },
    )
    row = read(path, "population").rows.row(0, named=True)
    assert (row["year"], row["resident_population"], row["registered_population"]) == (
        2023,
        123456,
        150000,
    )
    assert row["scope"] == "本级"  # a blank or absent scope is 本级


def test_gbk_csv_with_full_width_digits(tmp_path):
    rows = [
        TITLE,
        FIRE_HEADER,
        [1, "F1", "2023年3月1日14时30分", "文龙", "１，２３４", "１２．５", "０", "0"],
    ]
    path = write_csv(tmp_path / "2023年森林火灾.csv", rows, encoding="gbk")
    result = read(path)
    row = result.rows.row(0, named=True)
    assert row["_sheet"] is None and row["_row_number"] == 3
    assert (row["burned_area_ha"], row["damaged_forest_ha"], row["deaths"]) == (1234.0, 12.5, 0)
    assert row["ignited_at"] == dt.datetime(2023, 3, 1, 14, 30)


def test_xls_with_error_cells_and_dates(tmp_path):
    path = write_xls(
        tmp_path / "2023年第一季度.xls",
        {
            "表1": [
                TITLE,
                FIRE_HEADER,
                fire_row(1, "F1", when=dt.datetime(2023, 2, 1, 9, 0)),
                fire_row(2, "F2", when=dt.datetime(2023, 2, 2), damaged="#REF!"),
                fire_row(3, "F3", when=dt.datetime(2023, 2, 3), burned="#DIV/0!"),
            ]
        },
    )
    result = read(path)
    assert result.rows["ignited_at"].to_list() == [dt.datetime(2023, 2, 1, 9, 0)]
    assert reasons(result) == {4: "formula_error", 5: "formula_error"}
    assert result.issues[0].message == "第4行“受害森林面积”为公式错误：#REF!"


def test_plain_date_in_datetime_column_is_midnight(tmp_path):
    result = read(
        fires_xlsx(
            tmp_path,
            fire_row(1, "F1", when=dt.date(2023, 5, 1)),
            fire_row(2, "F2", when="2023/5/2"),
        )
    )
    assert result.rows["ignited_at"].to_list() == [dt.datetime(2023, 5, 1), dt.datetime(2023, 5, 2)]


# --- quarantine ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "reason", "column"),
    [
        (fire_row(1, None), "missing_required", "火灾编号"),
        (fire_row(1, "F1", town="-"), "missing_required", "街镇"),
        (fire_row(1, "F1", town="火星镇"), "unknown_township", "街镇"),
        (fire_row(1, "F1", town="万盛街道"), "out_of_scope", "街镇"),
        (fire_row(1, "F1", damaged=-3), "negative", "受害森林面积"),
        (fire_row(1, "F1", burned="约5"), "not_a_number", "过火面积"),
        (fire_row(1, "F1", damaged="#REF!"), "formula_error", "受害森林面积"),
        (fire_row(1, "F1", deaths=1.5), "fraction_in_int", "死亡人数"),
        (fire_row(1, "F1", when="2023-02-30"), "bad_date", "起火时间"),
        (fire_row(1, "F1", when="2022-12-31 23:00"), "date_out_of_period", "起火时间"),
        (fire_row(1, "F1", damaged=3, burned=2), "rule_violation", "受害森林面积"),
    ],
)
def test_row_reasons(tmp_path, row, reason, column):
    result = read(fires_xlsx(tmp_path, fire_row(0, "F0"), row))
    assert result.rows["fire_id"].to_list() == ["F0"]  # the other rows load
    (issue,) = result.issues
    assert (issue.row_number, issue.reason_code, issue.column_name, issue.sheet) == (
        5,
        reason,
        column,
        "Sheet1",
    )
    assert issue.message.startswith(f"第5行“{column}”")


def test_messages_name_column_and_value(tmp_path):
    result = read(fires_xlsx(tmp_path, *[[]] * 8, fire_row(1, "F1", damaged=-3)))
    (issue,) = result.issues
    assert issue.message == "第12行“受害森林面积”为负数：-3"
    assert (issue.field, issue.raw_value) == ("damaged_forest_ha", "-3")


def test_first_failing_column_is_named(tmp_path):
    row = fire_row(1, "F1", when="去年", town="火星镇", damaged=-1, deaths="x")
    (issue,) = read(fires_xlsx(tmp_path, row)).issues
    assert (issue.column_name, issue.reason_code) == ("起火时间", "bad_date")


def test_future_date(tmp_path):
    path = fires_xlsx(
        tmp_path,
        fire_row(1, "F1", when="2026-11-30 08:00"),
        fire_row(2, "F2", when="2026-12-01"),
        name="2026年森林火灾.xlsx",
    )
    result = read(path, today=dt.date(2026, 11, 30))
    assert reasons(result) == {5: "future_date"}


def test_township_not_valid_in_the_rows_year(tmp_path):
    path = fires_xlsx(
        tmp_path,
        fire_row(1, "F1", when="2019-05-01", town="通惠街道"),
        fire_row(2, "F2", when="2019-05-01", town="新盛镇"),
        name="2019年森林火灾.xlsx",
    )
    result = read(path)
    assert reasons(result) == {4: "township_not_valid"}
    assert result.rows["township"].to_list() == ["500110006"]
    ok = read(fires_xlsx(tmp_path, fire_row(1, "F1", town="通惠街道"), name="2023年.xlsx"))
    assert ok.rows["township"].to_list() == ["500110007"]


def test_duplicate_key_quarantines_the_later_row(tmp_path):
    result = read(
        fires_xlsx(tmp_path, fire_row(1, "F1"), fire_row(2, "F2"), fire_row(3, "F1", burned=9))
    )
    assert result.rows["fire_id"].to_list() == ["F1", "F2"]
    (issue,) = result.issues
    assert (issue.row_number, issue.reason_code, issue.column_name) == (
        6,
        "duplicate_key",
        "火灾编号",
    )
    assert "第4行" in issue.message


def test_a_quarantined_row_still_counts_as_seen_once_its_key_parsed(tmp_path):
    path = fires_xlsx(
        tmp_path,
        fire_row(1, "F1", damaged=-1),  # key parsed, then quarantined
        fire_row(2, "F1"),  # the same key again: a duplicate
        fire_row(3, None),  # no key at all
        fire_row(4, "F4"),
    )
    result = read(path)
    assert reasons(result) == {4: "negative", 5: "duplicate_key", 6: "missing_required"}
    assert result.rows["fire_id"].to_list() == ["F4"]


def test_event_key_uses_the_resolved_township(tmp_path):
    header = [
        "灾害编号",
        "灾种",
        "开始日期",
        "受灾乡镇（街道）",
        "受灾人口（人次）",
        "因灾死亡人口",
        "因灾失踪人口",
        "直接经济损失（万元）",
    ]
    path = write_xlsx(
        tmp_path / "2023年7月.xlsx",
        {
            "Sheet1": [
                header,
                ["E1", "洪涝灾害-山洪", "2023-07-01", "新盛镇", 10, 0, 0, 1],
                ["E1", "洪涝", "2023-07-01", "古南", 10, 0, 0, 1],
                ["E1", "山洪", "2023-07-01", "500110006", 10, 0, 0, 1],
            ]
        },
    )
    result = read(path, "flood_drought_events")
    assert result.rows["township"].to_list() == ["500110006", "500110001"]
    assert reasons(result) == {4: "duplicate_key"}


def test_hazard_domains(tmp_path):
    header = [
        "灾害编号",
        "灾种",
        "开始日期",
        "街镇",
        "受灾人数",
        "死亡人口",
        "失踪人口",
        "直接经济损失",
    ]
    data = [
        [f"E{i}", hazard, "2023-07-01", "古南", 10, 0, 0, 1]
        for i, hazard in enumerate(
            ["洪涝灾害-山洪", "内涝", "干旱灾害", "滑坡", "暴雨", "地震灾害"], start=1
        )
    ]
    path = write_xlsx(tmp_path / "2023年.xlsx", {"Sheet1": [header, *data]})
    flood = read(path, "flood_drought_events")
    assert flood.rows["hazard"].to_list() == ["洪涝灾害-山洪", "内涝", "干旱灾害"]
    assert set(reasons(flood).values()) == {"not_in_domain"}
    geo = read(path, "geohazard_events")
    assert geo.rows["hazard"].to_list() == ["滑坡"]
    assert read(path, "disaster_reports").rows.height == 6  # hazards: all
    weather = read(path, "weather_disasters")
    assert weather.rows["hazard"].to_list() == ["干旱灾害", "暴雨"]


def test_disaster_rules_compare_present_values_only(tmp_path):
    header = [
        "灾害编号",
        "灾种",
        "开始日期",
        "结束日期",
        "街镇",
        "受灾人数",
        "死亡人口",
        "失踪人口",
        "农作物受灾面积",
        "农作物成灾面积",
        "直接经济损失",
    ]
    path = write_xlsx(
        tmp_path / "2023年7月.xlsx",
        {
            "Sheet1": [
                header,
                [
                    "E1",
                    "洪涝",
                    "2023-07-01",
                    None,
                    "古南",
                    None,
                    0,
                    0,
                    None,
                    5,
                    1,
                ],  # affected blank but required
                [
                    "E2",
                    "洪涝",
                    "2023-07-01",
                    None,
                    "古南",
                    10,
                    0,
                    0,
                    None,
                    5,
                    1,
                ],  # 受灾 blank: no nesting breach
                ["E3", "洪涝", "2023-07-01", "2023-06-30", "古南", 10, 0, 0, 9, 5, 1],
                ["E4", "洪涝", "2023-07-01", "2023-07-03", "古南", 10, 11, 0, 9, 5, 1],
                ["E5", "洪涝", "2023-07-01", "2023-07-03", "古南", 10, 0, 0, 4, 5, 1],
            ]
        },
    )
    result = read(path, "flood_drought_events")
    assert result.rows["event_id"].to_list() == ["E2"]
    assert reasons(result) == {
        2: "missing_required",
        4: "rule_violation",
        5: "rule_violation",
        6: "rule_violation",
    }
    by_row = {i.row_number: i for i in result.issues}
    assert by_row[4].column_name == "结束日期" and "结束日期早于开始日期" in by_row[4].message
    assert by_row[5].column_name == "死亡人口"
    assert by_row[6].column_name == "农作物成灾面积"


def test_required_if_and_unless(tmp_path):
    drills = write_xlsx(
        tmp_path / "2023年.xlsx",
        {
            "Sheet1": [
                ["演练编号", "演练日期", "层级", "街镇", "隐患点编号"],
                ["D1", "2023-05-01", "区级综合", None, None],
                ["D2", "2023-05-01", "街镇", None, None],
                ["D3", "2023-05-01", "地灾点", "古南", "/"],
                ["D4", "2023-05-01", "地灾点", "古南", "S-01"],
                ["D5", "2023-05-01", "演习", "古南", None],
            ]
        },
    )
    result = read(drills, "drills")
    assert result.rows["drill_id"].to_list() == ["D1", "D4"]
    assert reasons(result) == {3: "rule_violation", 4: "rule_violation", 6: "not_in_domain"}
    assert [i.column_name for i in result.issues] == ["街镇", "隐患点编号", "层级"]
    # required_unless with the township column absent altogether
    teams = write_xlsx(
        tmp_path / "2024年.xlsx",
        {
            "Sheet1": [
                ["队伍编号", "队伍名称", "层级", "类型", "是否建成"],
                ["T1", "区综合队", "区级", "综合", "是"],
                ["T2", "古南队", "街镇", "综合", "√"],
            ]
        },
    )
    result = read(teams, "rescue_teams")
    assert result.rows["team_id"].to_list() == ["T1"]
    (issue,) = result.issues
    assert (issue.reason_code, issue.column_name, issue.field) == (
        "rule_violation",
        "街镇",
        "township",
    )


def test_max_on_a_field(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年.xlsx",
        {
            "Sheet1": [
                ["年度", "街镇", "森林面积", "森林覆盖率（%）"],
                [2023, "古南", 100, "55.5%"],
                [2023, "文龙", 100, 100.5],
            ]
        },
    )
    result = read(path, "forest_resources")
    assert result.rows["coverage_pct"].to_list() == [55.5]
    assert reasons(result) == {3: "rule_violation"}


def test_year_column_must_equal_the_period(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年.xlsx",
        {
            "Sheet1": [
                ["年度", "街镇", "应建数", "已建数"],
                ["2023年", "古南", 10, 12],
                [2022, "文龙", 10, 8],
                [2023, "通惠", 10, 8],
            ]
        },
    )
    result = read(path, "fire_hydrants")
    assert result.rows["year"].to_list() == [2023, 2023]
    assert result.rows.schema["year"] == pl.Int32
    assert reasons(result) == {3: "date_out_of_period"}
    earlier = write_xlsx(
        tmp_path / "2019年.xlsx",
        {"Sheet1": [["年度", "街镇", "应建数", "已建数"], [2019, "通惠", 1, 1]]},
    )
    assert reasons(read(earlier, "fire_hydrants")) == {2: "township_not_valid"}


def test_bools(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年.xlsx",
        {
            "Sheet1": [
                ["事件编号", "发生日期", "灾种", "街镇", "是否监测到"],
                *[
                    [f"M{i}", "2023-06-01", "暴雨", "古南", v]
                    for i, v in enumerate(["是", "否", "Y", "N", 1, 0, "√", "×"])
                ],
                ["M9", "2023-06-01", "暴雨", "古南", "大概"],
            ]
        },
    )
    result = read(path, "sudden_event_monitoring")
    assert result.rows["detected"].to_list() == [True, False] * 4
    assert reasons(result) == {10: "bad_bool"}


# --- fields with special handling ------------------------------------------------------------


ACCIDENT_HEADER = [
    "事故编号",
    "发生时间",
    "街镇",
    "死亡人数",
    "重伤人数",
    "直接经济损失（万元）",
    "事故等级",
    "事故简要情况",
]


def test_soft_domain_is_nulled_and_flagged_not_quarantined(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年6月.xlsx",
        {
            "Sheet1": [
                ACCIDENT_HEADER,
                ["A1", "2023-06-01", "古南", 0, 0, 1, "一般", None],
                ["A2", "2023-06-02", "古南", 0, 0, 1, "特大", None],
                ["A3", "2023-06-03", "古南", 0, 0, 1, "特大", None],
            ]
        },
    )
    result = read(path, "road_traffic_accidents")
    assert result.issues == []
    assert result.rows["reported_grade"].to_list() == ["一般", None, None]
    assert result.rows["_flags"].to_list() == [
        None,
        "unrecognised_reported_grade=特大",
        "unrecognised_reported_grade=特大",
    ]
    assert any("特大" in n and "事故等级" in n for n in result.notes)


def test_default_industry_when_column_absent_or_blank(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年6月.xlsx",
        {"Sheet1": [ACCIDENT_HEADER, ["A1", "2023-06-01", "古南", 0, 0, 1, None, None]]},
    )
    assert read(path, "road_traffic_accidents").rows["industry"].to_list() == ["道路运输"]
    assert read(path, "waterway_accidents").rows["industry"].to_list() == ["水上运输"]
    with_column = write_xlsx(
        tmp_path / "2023年7月.xlsx",
        {
            "Sheet1": [
                [*ACCIDENT_HEADER, "行业类别"],
                ["A1", "2023-07-01", "古南", 0, 0, 1, None, None, None],
                ["A2", "2023-07-01", "古南", 0, 0, 1, None, None, "工矿商贸"],
                ["A3", "2023-07-01", "古南", 0, 0, 1, None, None, "外卖"],
            ]
        },
    )
    result = read(with_column, "construction_accidents")
    assert result.rows["industry"].to_list() == ["建筑施工", "工矿商贸"]
    assert reasons(result) == {4: "not_in_domain"}


def test_industry_required_in_production_accidents(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年6月.xlsx",
        {"Sheet1": [ACCIDENT_HEADER, ["A1", "2023-06-01", "古南", 0, 0, 1, None, None]]},
    )
    assert rejection(path, "production_accidents").reason_code == "missing_column"


def test_personal_numbers_are_masked_in_text_and_raw_values(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年6月.xlsx",
        {
            "Sheet1": [
                ACCIDENT_HEADER,
                [
                    "A1",
                    "2023-06-01",
                    "古南",
                    0,
                    0,
                    1,
                    None,
                    "驾驶员500222198801011234，电话13812345678",
                ],
            ]
        },
    )
    summary = read(path, "road_traffic_accidents").rows["summary"][0]
    assert "500222198801011234" not in summary and "13812345678" not in summary
    assert summary.startswith("驾驶员500")
    bad = write_xlsx(
        tmp_path / "2023年7月.xlsx",
        {"Sheet1": [ACCIDENT_HEADER, ["A1", "2023-07-01", "13812345678", 0, 0, 1, None, None]]},
    )
    (issue,) = read(bad, "road_traffic_accidents").issues
    assert "13812345678" not in issue.raw_value and "13812345678" not in issue.message


def test_scope_column(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年.xlsx",
        {
            "Sheet1": [
                ["年度", "地区生产总值（现价）", "数据状态", "口径"],
                [2023, 700, "初步核算", None],
                [2023, 700, "初步核算", "本级"],
                [2023, 700, "初步核算", "全区（不含万盛经开区）"],
                [2023, 900, "初步核算", "全区（含万盛经开区）"],
                [2023, 900, "初步核算", "含万盛"],
            ]
        },
    )
    result = read(path, "gdp")
    assert result.rows["scope"].to_list() == ["本级"]
    # the first 本级 row loads; the next two are in scope but repeat the key (year)
    assert reasons(result) == {
        3: "duplicate_key",
        4: "duplicate_key",
        5: "out_of_scope",
        6: "out_of_scope",
    }


def test_township_lists(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年6月.xlsx",
        {
            "Sheet1": [
                ["预警编号", "预警类型", "预警级别", "发布时间", "影响街镇"],
                ["W1", "暴雨", "蓝色", "2023-06-01 08:00", "古南、文龙，新盛镇;古南"],
                ["W2", "暴雨", "黄色", "2023-06-01 09:00", None],
                ["W3", "暴雨", "黄色", "2023-06-01 10:00", "古南、火星"],
                ["W4", "暴雨", "紫色", "2023-06-01 10:00", None],
            ]
        },
    )
    result = read(path, "weather_warnings")
    assert result.rows["townships"].to_list() == [["500110001", "500110002", "500110006"], None]
    assert result.rows.schema["townships"] == pl.List(pl.Utf8)
    assert reasons(result) == {4: "unknown_township", 5: "not_in_domain"}
    assert "火星" in result.issues[0].message


# --- sheets ----------------------------------------------------------------------------------


def test_monthly_sheets_are_all_read_and_others_noted(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年森林火灾.xlsx",
        {
            "1月": [TITLE, FIRE_HEADER, fire_row(1, "F1", when="2023-01-05")],
            "2月": [
                TITLE,
                FIRE_HEADER,
                fire_row(1, "F2", when="2023-02-05"),
                fire_row(2, "F1", when="2023-02-06"),
            ],
            "填表说明": [["本表按月填报"], ["面积单位为公顷"]],
            "空白": [],
        },
    )
    result = read(path)
    assert result.rows.select("_sheet", "fire_id").rows() == [("1月", "F1"), ("2月", "F2")]
    assert result.sheets_read == ["1月", "2月"]
    (dup,) = result.issues
    assert (dup.sheet, dup.row_number, dup.reason_code) == ("2月", 4, "duplicate_key")
    assert "工作表“1月”第3行" in dup.message
    assert (
        len(result.notes) == 1 and "填表说明" in result.notes[0] and "空白" not in result.notes[0]
    )


def test_sheets_parsed_together_keep_their_own_names_rows_and_issues(tmp_path):
    """Sheets bound alike are parsed as one batch; one bound differently (columns reordered)
    is parsed on its own. Either way each row and issue names its own sheet and row."""
    moved = [FIRE_HEADER[i] for i in (0, 1, 2, 3, 5, 4, 6, 7)]  # 受害 before 过火
    sheets = {
        "1月": [TITLE, FIRE_HEADER, fire_row(1, "F1", when="2023-01-05")],
        "2月": [
            TITLE,
            FIRE_HEADER,
            fire_row(1, "F2", when="2023-02-05", burned="两公顷"),
            fire_row(2, "F3", when="2023-02-06"),
        ],
        "3月": [FIRE_HEADER, fire_row(1, "F4", when="2023-03-02", burned=1, damaged=5)],
        "4月": [moved, [1, "F5", "2023-04-02", "古南街道", 1, 3, 0, 0]],
        "5月": [FIRE_HEADER, fire_row(1, "F1", when="2023-05-02")],
    }
    result = read(write_xlsx(tmp_path / "2023年森林火灾.xlsx", sheets))
    assert result.rows.select("_sheet", "_row_number", "fire_id").rows() == [
        ("1月", 3, "F1"),
        ("2月", 4, "F3"),
        ("4月", 2, "F5"),
    ]
    assert result.rows.filter(pl.col("fire_id") == "F5")["burned_area_ha"].to_list() == [3.0]
    got = [(i.sheet, i.row_number, i.reason_code) for i in result.issues]
    assert got == [
        ("2月", 3, "not_a_number"),
        ("3月", 2, "rule_violation"),
        ("5月", 2, "duplicate_key"),
    ]
    assert "工作表“1月”第3行" in result.issues[2].message


def test_a_summary_sheet_missing_columns_is_noted_not_read(tmp_path):
    path = write_xlsx(
        tmp_path / "2023年森林火灾.xlsx",
        {
            "明细": [FIRE_HEADER, fire_row(1, "F1")],
            "汇总": [["街镇", "过火面积", "死亡人数"], ["古南", 2, 0]],
        },
    )
    result = read(path)
    assert result.rows.height == 1
    assert any("汇总" in n and "受害森林面积" in n for n in result.notes)


# --- file rejections -------------------------------------------------------------------------


def test_missing_column_is_named(tmp_path):
    header = [h for h in FIRE_HEADER if h != "受害森林面积"]
    err = rejection(fires_xlsx(tmp_path, [1, "F1", "2023-03-01", "古南", 2, 0, 0], header=header))
    assert err.reason_code == "missing_column"
    assert "缺少必填列：受害森林面积" in err.message_zh


def test_ref_in_a_header_cell_loses_the_column(tmp_path):
    header = [("#REF!" if h == "受害森林面积" else h) for h in FIRE_HEADER]
    err = rejection(fires_xlsx(tmp_path, fire_row(1, "F1"), header=header))
    assert (err.reason_code, "受害森林面积" in err.message_zh) == ("missing_column", True)


def test_bad_unit(tmp_path):
    header = [*FIRE_HEADER, "直接经济损失（美元）"]
    err = rejection(fires_xlsx(tmp_path, fire_row(1, "F1") + [5], header=header))
    assert err.reason_code == "bad_unit" and "美元" in err.message_zh


def test_only_title_rows_is_no_header(tmp_path):
    path = write_xlsx(tmp_path / "2023年.xlsx", {"Sheet1": [TITLE, UNIT_ROW]})
    assert rejection(path).reason_code == "no_header"


@pytest.mark.parametrize(
    ("content", "reason"), [(b"", "empty_file"), (b"\xff\xfe\xfd\x81\x20", "unreadable")]
)
def test_empty_or_undecodable_csv(tmp_path, content, reason):
    path = tmp_path / "2023年.csv"
    path.write_bytes(content)
    assert rejection(path).reason_code == reason


def test_read_extract_takes_the_period_it_is_given(tmp_path):
    path = fires_xlsx(
        tmp_path,
        fire_row(1, "F1", when="2023-03-01"),
        fire_row(2, "F2", when="2023-07-01"),
        name="2023年3月.xlsx",
    )
    result = read_extract(
        path, all_contracts()["forest_fires"], parse_period("2023年3月"), dt.date(2026, 1, 1)
    )
    assert result.rows["fire_id"].to_list() == ["F1"]
    assert reasons(result) == {5: "date_out_of_period"}


def test_large_files_are_built_in_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(reader_module, "_CHUNK_ROWS", 3)
    path = fires_xlsx(tmp_path, *[fire_row(i, f"F{i}") for i in range(10)], fire_row(10, "F3"))
    result = read(path)
    assert result.rows["fire_id"].to_list() == [f"F{i}" for i in range(10)]
    assert result.rows["_row_number"].to_list() == list(range(4, 14))
    assert reasons(result) == {14: "duplicate_key"}  # keys are remembered across chunks


def _valid_cell(f, period_start: dt.date):
    """A value every contract accepts for the field, derived from its type and domain."""
    if f.domain:
        return f.domain[0]
    if f.hazards is not None:
        return "洪涝" if f.hazards == "all" else f.hazards[0]
    return {
        "text": f"{f.name}-1",
        "int": 1,
        "year": period_start.year,
        "num": 1.5,
        "date": period_start.isoformat(),
        "datetime": f"{period_start.isoformat()} 08:30",
        "bool": "是",
        "township": "古南街道",
        "township_list": "古南、文龙",
        "scope": "本级",
    }[f.type]


@pytest.mark.parametrize("contract", list(all_contracts().values()), ids=lambda c: c.dataset)
def test_every_contract_reads_a_valid_row_in_every_format(tmp_path, contract):
    period = parse_period("2023年6月")
    header = [f.standard_header for f in contract.fields]
    row = [_valid_cell(f, period.start) for f in contract.fields]
    grid = [["綦江区2023年6月统计表"], header, row, ["合计"]]
    paths = [
        write_xlsx(tmp_path / "2023年6月.xlsx", {"Sheet1": grid}),
        write_xls(tmp_path / "2023年6月.xls", {"Sheet1": grid}),
        write_csv(tmp_path / "2023年6月.csv", grid, encoding="gbk"),
    ]
    for path in paths:
        result = read_extract(path, contract, period, TODAY)
        assert result.issues == [], (path.suffix, result.issues)
        assert result.rows.height == 1 and result.rows["_row_number"].to_list() == [3]
        assert result.rows.schema == empty_frame(contract).schema


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_blank_only_file_is_empty(tmp_path, suffix):
    if suffix == ".xlsx":
        path = write_xlsx(tmp_path / "2023年.xlsx", {"Sheet1": [[None, None], []], "Sheet2": []})
    else:
        path = write_csv(tmp_path / "2023年.csv", [[], ["", " "], []])
    assert rejection(path).reason_code == "empty_file"
