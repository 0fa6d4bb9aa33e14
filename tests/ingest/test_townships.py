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
