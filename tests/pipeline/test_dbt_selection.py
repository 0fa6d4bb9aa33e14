"""Which dbt models a build runs: full the first time, then only what new files touch."""

from __future__ import annotations

import pytest

from pipelines.assets.dbt_selection import plan_build, record_build
from tests.warehouse_fixtures import load_rows, open_warehouse

READERS = ["dim_years", "int_years"]


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
    first = plan_build(con, "r1", "abc", READERS)
    assert first.mode == "full" and "--select" not in first.args()
    record_build(con, "r1", "abc", first)

    assert plan_build(con, "r2", "abc", READERS).mode == "skipped"

    fire(con, "2024")
    load_rows(con, "gdp", "2024", [dict(year=2024, gdp_current=500.0, vintage="初步核算")])
    plan = plan_build(con, "r3", "abc", READERS)
    assert plan.mode == "incremental" and plan.changed == ["forest_fires", "gdp"]
    args = plan.args()
    assert args[args.index("--select") + 1 :] == [
        "source:raw.forest_fires+", "source:raw.gdp+", "dim_years+", "int_years+"
    ]
    assert "unit_test" in args  # unit tests are excluded from pipeline builds


def test_project_change_or_request_forces_a_full_build(con, monkeypatch):
    fire(con)
    record_build(con, "r1", "abc", plan_build(con, "r1", "abc", READERS))
    fire(con, "2024")
    assert plan_build(con, "r2", "changed", READERS).mode == "full"
    monkeypatch.setenv("EMSTATS_FULL_REFRESH", "1")
    assert plan_build(con, "r2", "abc", READERS).mode == "full"


def test_datasets_with_validation_errors_are_held_back(con):
    from pipelines.validation.results import ensure_validation_schema

    ensure_validation_schema(con)
    fire(con)
    con.execute(
        "INSERT INTO audit.validation_results (run_id, dataset, expectation, severity, success, checked_at) "
        "VALUES ('r1', 'forest_fires', 'x', 'error', false, now())"
    )
    plan = plan_build(con, "r1", "abc", READERS)
    assert plan.held_back == ["forest_fires"]
    assert plan.args()[-2:] == ["--exclude", "source:raw.forest_fires+"]
