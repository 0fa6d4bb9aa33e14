"""The suites as blocking Dagster asset checks, in a real materialisation: an error stops the asset
downstream of the dataset, a warning does not."""

from __future__ import annotations

import pytest
from dagster import AssetKey, asset, materialize
from dagster_duckdb import DuckDBResource

from pipelines.ingest.audit_schema import ensure_schema
from pipelines.validation.checks import CHECK_NAME, build_validation_checks
from tests.validation.builders import clean_rows, townships
from tests.warehouse_fixtures import load_rows

pytestmark = pytest.mark.slow


def _population_rows(year: int, fault: str | None) -> list[dict]:
    rows = clean_rows("population", year)
    if year == 2023 and fault == "negative":
        # A row the reader would have quarantined, written straight into raw: the row-rule guard.
        rows[0] = {**rows[0], "resident_population": -5}
    if year == 2023 and fault == "times_ten":
        rows[0] = {**rows[0], "resident_population": rows[0]["resident_population"] * 10}
    return rows


def _run(tmp_path, fault: str | None):
    @asset(key=AssetKey(["raw", "population"]))
    def raw_population(duckdb: DuckDBResource) -> None:
        with duckdb.get_connection() as con:
            ensure_schema(con)
            for year in (2021, 2022, 2023):
                load_rows(con, "population", str(year), _population_rows(year, fault))

    @asset(key=AssetKey(["marts", "population_per_township"]), deps=[raw_population])
    def downstream(duckdb: DuckDBResource) -> None:
        with duckdb.get_connection() as con:
            con.execute("CREATE OR REPLACE TABLE main.population_built AS SELECT 1 AS ok")

    checks = [
        c for c in build_validation_checks(lambda d: AssetKey(["raw", d]))
        if AssetKey(["raw", "population"]) in {k.asset_key for k in c.check_keys}
    ]
    assert len(checks) == 1
    result = materialize(
        [raw_population, downstream, *checks],
        resources={"duckdb": DuckDBResource(database=str(tmp_path / "w.duckdb"))},
        raise_on_error=False,
    )
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    evals = result.get_asset_check_evaluations()
    assert [e.check_name for e in evals] == [CHECK_NAME]
    return materialized, evals[0]


def test_an_error_blocks_the_downstream_asset(tmp_path):
    materialized, ev = _run(tmp_path, "negative")
    assert not ev.passed and ev.severity.value == "ERROR"
    assert ev.metadata["errors"].value >= 1
    assert "numbers_not_negative" in ev.metadata["failed_expectations"].value
    assert "statistics/population/2023" in ev.metadata["failing_files"].value
    assert AssetKey(["raw", "population"]) in materialized
    assert AssetKey(["marts", "population_per_township"]) not in materialized
    assert townships(2023)[0]  # the seed drives the fixture


def test_a_warning_does_not_block(tmp_path):
    materialized, ev = _run(tmp_path, "times_ten")
    assert not ev.passed and ev.severity.value == "WARN"
    assert ev.metadata["warnings"].value == 1 and ev.metadata["errors"].value == 0
    assert AssetKey(["marts", "population_per_township"]) in materialized


def test_a_clean_delivery_passes(tmp_path):
    materialized, ev = _run(tmp_path, None)
    assert ev.passed
    assert AssetKey(["marts", "population_per_township"]) in materialized
