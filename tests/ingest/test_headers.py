import pytest

from pipelines.ingest.contracts import all_contracts
from pipelines.ingest.headers import find_header, normalise, split_unit
from pipelines.ingest.issues import FileRejected

ACCIDENTS = all_contracts()["production_accidents"]
FIRES = all_contracts()["forest_fires"]
GDP = all_contracts()["gdp"]


def rows(*lines):
    return [(i, list(line)) for i, line in enumerate(lines, start=1)]


def bound(match):
    return {b.field.name: (b.header, b.factor) for b in match.bindings}


def test_normalise_and_split_unit():
    assert normalise(" 直接经济损失 （万元） ") == "直接经济损失(万元)"
    assert normalise("死亡\n人数") == "死亡人数"
    assert split_unit("直接经济损失（万元）") == ("直接经济损失", "万元")
    assert split_unit("直接经济损失(万元)") == ("直接经济损失", "万元")
    assert split_unit("直接经济损失") == ("直接经济损失", None)
    assert split_unit("地区生产总值（现价）（万元）") == ("地区生产总值(现价)", "万元")


def test_every_header_form_binds_the_same_field():
    for header in (
        "直接经济损失（万元）",
        "直接经济损失(万元)",
        "直接经济损失",
        " 直接经济损失 ",
        "直接经济损失（ 万元 ）",
    ):
        line = ["事故编号", "发生时间", "街镇", "行业类别", "死亡人数", "重伤人数", header]
        m = find_header(rows(line), ACCIDENTS)
        assert bound(m)["direct_loss"] == (header.strip(), 1.0)
        assert m.complete


def test_aliases_with_their_own_brackets():
    line = [
        "编号",
        "事故发生时间",
        "乡镇（街道）",
        "所属行业",
        "死亡（人）",
        "受伤人数",
        "直接经济损失",
    ]
    m = find_header(rows(line), ACCIDENTS)
    assert set(bound(m)) >= {
        "accident_id",
        "occurred_at",
        "township",
        "industry",
        "deaths",
        "direct_loss",
    }
    assert [f.name for f in m.missing_required] == ["serious_injuries"]  # 受伤人数 is no alias
    m = find_header(
        rows(["事故编号", "发生时间", "街镇", "行业类别", "死亡", "重伤(人)", "直接经济损失"]),
        ACCIDENTS,
    )
    assert m.complete and bound(m)["deaths"] == ("死亡", 1.0)


def test_required_marks_are_not_part_of_the_name():
    line = [
        "*事故编号",
        "发生时间*",
        "※街镇",
        "行业类别",
        "死亡人数",
        "重伤人数",
        "＊直接经济损失（万元）",
    ]
    m = find_header(rows(line), ACCIDENTS)
    assert m.complete and bound(m)["accident_id"] == ("*事故编号", 1.0)


def test_standard_header_wins_over_alias_for_one_field():
    line = [
        "编号",
        "事故编号",
        "发生时间",
        "街镇",
        "行业类别",
        "死亡人数",
        "重伤人数",
        "直接经济损失",
    ]
    m = find_header(rows(line), ACCIDENTS)
    assert bound(m)["accident_id"][0] == "事故编号"


def test_units_convert():
    line = [
        "火灾编号",
        "起火时间",
        "街镇",
        "过火面积（亩）",
        "受害森林面积（平方公里）",
        "死亡人数",
        "重伤人数",
        "直接经济损失（元）",
    ]
    b = bound(find_header(rows(line), FIRES))
    assert b["burned_area_ha"][1] == pytest.approx(1 / 15)
    assert b["damaged_forest_ha"][1] == 100
    assert b["direct_loss"][1] == pytest.approx(0.0001)
    assert b["deaths"][1] == 1.0


def test_qualifier_in_the_standard_header_is_not_a_unit():
    m = find_header(rows(["年度", "地区生产总值（现价）", "数据状态"]), GDP)
    assert m.complete and bound(m)["gdp_current"][1] == 1.0
    m = find_header(rows(["年度", "地区生产总值（现价）（万元）", "数据状态"]), GDP)
    assert bound(m)["gdp_current"][1] == pytest.approx(0.0001)


@pytest.mark.parametrize("header", ["直接经济损失（美元）", "直接经济损失（亩）"])
def test_foreign_unit_rejects(header):
    line = ["事故编号", "发生时间", "街镇", "行业类别", "死亡人数", "重伤人数", header]
    with pytest.raises(FileRejected) as exc:
        find_header(rows(line), ACCIDENTS)
    assert exc.value.reason_code == "bad_unit"
    assert header in exc.value.message_zh


def test_count_columns_take_any_count_unit_but_not_money():
    line = [
        "事故编号",
        "发生时间",
        "街镇",
        "行业类别",
        "死亡人数（人次）",
        "重伤人数（个）",
        "直接经济损失",
    ]
    assert find_header(rows(line), ACCIDENTS).complete
    line[4] = "死亡人数（万元）"
    with pytest.raises(FileRejected):
        find_header(rows(line), ACCIDENTS)


def test_header_below_title_unit_and_blank_rows():
    header = [
        "序号",
        "事故编号",
        "发生时间",
        "街镇",
        "行业类别",
        "死亡人数",
        "重伤人数",
        "直接经济损失",
        "备注",
        "经办人",
    ]
    m = find_header(
        rows(["綦江区2023年生产安全事故台账"], [], ["单位：人、万元"], [None, None], header),
        ACCIDENTS,
    )
    assert m.row_number == 5 and m.row_index == 4
    assert m.unknown_headers == ("序号", "备注", "经办人")


def test_ref_header_cell_loses_its_column():
    line = ["事故编号", "发生时间", "街镇", "行业类别", "死亡人数", "#REF!", "直接经济损失"]
    m = find_header(rows(line), ACCIDENTS)
    assert [f.name for f in m.missing_required] == ["serious_injuries"]


def test_no_header_row():
    assert find_header(rows(["綦江区森林火灾统计表"], ["说明：本表无数据"]), FIRES) is None
    # Beyond the scan window the header is not looked for.
    lines = [[f"标题{i}"] for i in range(20)] + [["火灾编号", "起火时间", "街镇"]]
    assert find_header(rows(*lines), FIRES) is None


@pytest.mark.parametrize("contract", list(all_contracts().values()), ids=lambda c: c.dataset)
def test_every_contract_header_set_is_unambiguous_and_found(contract):
    seen = {}
    for f in contract.fields:
        for h in f.headers:
            key = normalise(h)
            assert seen.setdefault(key, f.name) == f.name, f"{h} maps to two fields"
    m = find_header(rows(["标题"], [f.standard_header for f in contract.fields]), contract)
    assert m.complete and len(m.bindings) == len(contract.fields)
