"""Which dbt models a build runs: full the first time, then only what new files touch."""

from __future__ import annotations

import pytest

from pipelines.assets.dbt_selection import plan_build, record_build
from tests.warehouse_fixtures import load_rows, open_warehouse

LEDGER = "source.emstats.audit.load_ledger"


def _model(name, schema, parents):
    return {"resource_type": "model", "name": name, "config": {"schema": schema}, "depends_on": {"nodes": parents}}


def _manifest():
    src = {f"source.emstats.raw.{d}": {"source_name": "raw", "name": d} for d in ("forest_fires", "gdp", "population")}
    nodes = {
        "model.emstats.stg_fires": _model("stg_fires", "staging", ["source.emstats.raw.forest_fires", LEDGER]),
        "model.emstats.stg_gdp": _model("stg_gdp", "staging", ["source.emstats.raw.gdp", LEDGER]),
        "model.emstats.stg_pop": _model("stg_pop", "staging", ["source.emstats.raw.population", LEDGER]),
        "model.emstats.fct_fires": _model("fct_fires", "marts", ["model.emstats.stg_fires"]),
        "model.emstats.int_population": _model("int_population", "intermediate", ["model.emstats.stg_pop"]),
        "model.emstats.int_years": _model("int_years", "intermediate", [LEDGER]),
        "model.emstats.indicator_values": _model(
            "indicator_values", "marts", ["model.emstats.stg_gdp", "model.emstats.int_years"]),
    }
    child_map: dict[str, list[str]] = {}
    for uid, n in nodes.items():
        for parent in n["depends_on"]["nodes"]:
            child_map.setdefault(parent, []).append(uid)
    return {"nodes": nodes, "sources": src, "child_map": child_map}


MANIFEST = _manifest()


@pytest.fixture
def con():
    c = open_warehouse(":memory:")
    c.execute("CREATE SCHEMA marts; CREATE TABLE marts.indicator_values (x INT)")
    yield c
    c.close()


def fire(con, period="2023"):
    load_rows(con, "forest_fires", period, [dict(fire_id=f"F{period}", township="500110001")])


def test_first_build_is_full_then_only_changed_datasets(con):
    fire(con)
    first = plan_build(con, "r1", "abc", MANIFEST)
    assert first.mode == "full" and "--select" not in first.args()
    record_build(con, "r1", "abc", first)

    assert plan_build(con, "r2", "abc", MANIFEST).mode == "skipped"

    fire(con, "2024")
    load_rows(con, "gdp", "2024", [dict(year=2024, gdp_current=500.0, vintage="初步核算")])
    plan = plan_build(con, "r3", "abc", MANIFEST)
    assert plan.mode == "incremental" and plan.changed == ["forest_fires", "gdp"]
    # Population is untouched; the year spine reads the ledger, so any new file refreshes it.
    assert plan.unaffected == ["int_population", "stg_pop"]
    args = plan.args()
    assert "--select" not in args  # dagster-dbt adds `--select fqn:*`; only exclusions narrow it
    assert args[-2:] == ["--exclude", "resource_type:seed int_population stg_pop"]
    assert "unit_test" in args  # unit tests are excluded from pipeline builds


def test_project_change_or_request_forces_a_full_build(con, monkeypatch):
    fire(con)
    record_build(con, "r1", "abc", plan_build(con, "r1", "abc", MANIFEST))
    fire(con, "2024")
    assert plan_build(con, "r2", "changed", MANIFEST).mode == "full"
    monkeypatch.setenv("EMSTATS_FULL_REFRESH", "1")
    assert plan_build(con, "r2", "abc", MANIFEST).mode == "full"


def test_datasets_with_validation_errors_are_held_back(con):
    from pipelines.validation.results import ensure_validation_schema

    ensure_validation_schema(con)
    fire(con)
    con.execute(
        "INSERT INTO audit.validation_results (run_id, dataset, expectation, severity, success, checked_at) "
        "VALUES ('r1', 'forest_fires', 'x', 'error', false, now())"
    )
    plan = plan_build(con, "r1", "abc", MANIFEST)
    assert plan.held_back == ["forest_fires"]
    assert plan.args()[-2:] == ["--exclude", "source:raw.forest_fires+"]
    assert plan.mode == "full"
