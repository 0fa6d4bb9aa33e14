import csv

import pytest

from pipelines import settings
from pipelines.ingest.townships import TownshipResolver, default_resolver, split_township_list


def seed_rows():
    with (settings.SEEDS_DIR / "townships.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def resolver():
    return default_resolver()


def test_every_seed_unit_resolves_by_name_and_both_codes(resolver):
    for rec in seed_rows():
        for form in (
            rec["name"],
            rec["code9"],
            rec["code12"],
            int(rec["code9"]),
            float(rec["code12"]),
        ):
            assert resolver.lookup(form).code9 == rec["code9"], form


def test_forms_of_a_name(resolver):
    gunan = next(r for r in seed_rows() if r["name"] == "古南街道")["code9"]
    for form in ("古南街道", "古南", " 古南街道 ", "古 南", "古南镇", "古南街道\u3000"):
        assert resolver.resolve(form, 2023) == (gunan, None), form


def test_old_name_and_code_are_the_current_unit(resolver):
    assert resolver.resolve("新盛镇", 2018) == ("500110006", None)
    assert resolver.resolve("500110122", 2018) == ("500110006", None)
    assert resolver.resolve(500110122, 2023) == ("500110006", None)
    assert resolver.resolve("500110122000", 2023) == ("500110006", None)


def test_reasons(resolver):
    assert resolver.resolve("不存在镇", 2023) == (None, "unknown_township")
    assert resolver.resolve("500110999", 2023) == (None, "unknown_township")
    assert resolver.resolve("万盛街道", 2023) == (None, "out_of_scope")
    assert resolver.resolve("黑山", 2023) == (None, "out_of_scope")
    assert resolver.resolve("通惠街道", 2019) == (None, "township_not_valid")
    assert resolver.resolve("通惠", 2020) == ("500110007", None)


def test_resolver_reads_the_seed_not_code(tmp_path):
    seed = tmp_path / "townships.csv"
    seed.write_text(
        "code9,code12,name,kind,scope,aliases,valid_from,note\n"
        "999000001,999000001000,测试镇,镇,本级,测试|老测试乡,2030,\n",
        encoding="utf-8",
    )
    r = TownshipResolver.from_csv(seed)
    assert r.resolve("老测试乡", 2031) == ("999000001", None)
    assert r.resolve("测试镇", 2029) == (None, "township_not_valid")
    assert r.resolve("古南街道", 2031) == (None, "unknown_township")


def test_list_separators():
    assert split_township_list("古南、文龙，三江,石角；东溪;赶水/打通 石壕\u3000永新") == [
        "古南",
        "文龙",
        "三江",
        "石角",
        "东溪",
        "赶水",
        "打通",
        "石壕",
        "永新",
    ]
    assert split_township_list("  ") == []


@pytest.mark.parametrize("year", [2019, 2023])
def test_column_join_path_agrees_with_the_per_cell_resolver(resolver, year):
    # The reader joins exactly spelled in-scope townships instead of resolving cell by cell;
    # every other spelling falls through to the resolver. Both paths must give the same codes
    # and reasons, including out-of-scope units and units not yet valid in the file's year.
    import datetime as dt

    import polars as pl

    from pipelines.ingest.columns import ColumnParser
    from pipelines.ingest.contracts import all_contracts
    from pipelines.ingest.periods import year_period

    contract = all_contracts()["drills"]
    field = next(f for f in contract.fields if f.type == "township")
    cells = [r["name"] for r in seed_rows()] + [r["code9"] for r in seed_rows()] + [
        "古南", " 古南街道 ", "古 南", "新盛镇", "500110122", "不存在镇", "万盛街道", "黑山", "通惠街道", None, "",
    ]

    def parse(join: bool):
        parser = ColumnParser(field, 1.0, contract, year_period(year), dt.date(2026, 11, 30), resolver)
        if not join:
            parser._township = lambda t: pl.Series([None] * t.len(), dtype=pl.Utf8)
        p = parser.parse(pl.Series(cells, dtype=pl.Utf8))
        return p.value.to_list(), p.reason.to_list()

    joined, per_cell = parse(True), parse(False)
    assert joined == per_cell
    expected = [resolver.resolve(c, year) if c and c.strip() else (None, None) for c in cells]
    assert list(zip(*joined, strict=True)) == expected


@pytest.mark.parametrize("year", [2019, 2023])
def test_township_list_join_path_agrees_with_the_per_cell_parser(resolver, year):
    # Lists whose every entry is an exactly spelled in-scope township are joined; any other list
    # falls through to the scalar parser. Both must give the same codes (first mention order, no
    # repeats) and reasons.
    import datetime as dt

    import polars as pl

    from pipelines.ingest.columns import ColumnParser
    from pipelines.ingest.contracts import all_contracts
    from pipelines.ingest.periods import year_period

    contract = all_contracts()["weather_warnings"]
    field = next(f for f in contract.fields if f.type == "township_list")
    names = [r["name"] for r in seed_rows()]
    codes = [r["code9"] for r in seed_rows()]
    cells = [
        "、".join(names[:3]),
        "，".join(codes[2:6]),
        f"{names[0]}、{names[0]}；{codes[0]}",
        f"{names[1]} {names[2]}\u3000{names[3]}/{names[4]}",
        "古南、火星",
        "古南、新盛镇",
        "古南、万盛街道",
        "古南、黑山",
        "古南、通惠街道",
        "古 南、文龙",
        "、",
        "  ",
        "ＡＢ",
        None,
        "",
        names[5],
    ]

    def parse(join: bool):
        parser = ColumnParser(field, 1.0, contract, year_period(year), dt.date(2026, 11, 30), resolver)
        if not join:
            parser._township_list = lambda t: pl.Series([None] * t.len(), dtype=pl.List(pl.Utf8))
        p = parser.parse(pl.Series(cells, dtype=pl.Utf8))
        return p.value.to_list(), p.reason.to_list()

    joined, per_cell = parse(True), parse(False)
    assert joined == per_cell
    assert joined[0][0] == [r["code9"] for r in seed_rows()[:3]]
    assert joined[0][2] == [codes[0]]
    assert joined[1][4] == "unknown_township"
