"""Every dataset has a suite; every suite is well formed, covers its contract's row rules, and
passes on a clean warehouse."""

from __future__ import annotations

import re
import time

import pytest

from pipelines import settings
from pipelines.ingest.contracts import all_contracts
from pipelines.validation import queries, runner
from pipelines.validation.suites import KINDS, load_suite

DATASETS = list(all_contracts())
CJK = re.compile(r"[\u4e00-\u9fff]")
TIMINGS: dict[str, tuple[float, float]] = {}


def test_one_suite_file_per_dataset():
    files = sorted(p.stem for p in settings.EXPECTATIONS_DIR.glob("*.yaml"))
    assert files == sorted(DATASETS)
    assert len(files) == 26


@pytest.mark.parametrize("dataset", DATASETS)
def test_suite_is_well_formed_and_covers_the_contract(dataset):
    suite = load_suite(dataset)
    c = all_contracts()[dataset]
    assert suite.dataset == dataset
    for frame in suite.frames.values():
        assert frame.query in queries.QUERIES
    for e in suite.expectations:
        assert e.severity in ("error", "warning")
        assert e.kind in KINDS
        assert CJK.search(e.description_zh), e.name
    by_name = {e.name: e for e in suite.expectations}
    kinds = {e.kind for e in suite.expectations}
    assert {"row_rule", "uniqueness"} <= kinds

    # Row rules once more: required, non-negative, domains, townships, order rules, keys.
    required = [f.name for f in c.fields if f.required]
    assert suite.frames["long"].params["required"] == required
    assert by_name["required_fields_present"].severity == "error"
    numeric = [f.name for f in c.fields if f.type in ("int", "num", "year")]
    assert suite.frames["long"].params["numeric"] == numeric
    if numeric:
        assert by_name["numbers_not_negative"].kwargs["min_value"] == 0
    for f in c.fields:
        if f.domain:
            assert by_name[f"{f.name}_in_domain"].kwargs["value_set"] == list(f.domain)
        if f.type == "township":
            assert by_name[f"{f.name}_in_scope"].kwargs["value_set"] == "$in_scope_townships"
        if f.max is not None:
            assert any(e.kwargs.get("column") == f.name and e.kwargs.get("max_value") == f.max
                       for e in suite.expectations)
    if any(r.get("check") == "le" for r in c.rules):
        assert by_name["nesting_and_order_rules"].severity == "error"
    for r in c.rules:
        if r.get("check") in ("required_if", "required_unless"):
            assert any(e.kwargs.get("column") == r["field"] and "row_condition" in e.kwargs
                       for e in suite.expectations)
    assert by_name["key_unique_across_files"].severity == "error"
    if c.event_date:
        assert "event_date_within_period" in by_name and "event_date_not_future" in by_name
    if c.has_year_column:
        assert "year_matches_period" in by_name


def test_dataset_level_checks_are_where_the_issue_wants_them():
    def names(dataset, kind):
        return {(e.name, e.severity) for e in load_suite(dataset).expectations if e.kind == kind}

    # A gap is flagged, never held back: population and forest area are carried forward by the
    # glossary's rules, and a township whose row was quarantined is already reported.
    for ds in ("population", "forest_resources", "fire_monitoring", "fire_hydrants"):
        assert ("every_township_every_year", "warning") in names(ds, "completeness")
    for ds in ("population", "gdp"):
        assert ("present_for_every_event_year", "warning") in names(ds, "completeness")
    assert ("resident_population_plausible_against_history", "warning") in names("population", "plausibility")
    assert ("forest_area_agrees_with_forest_resources", "warning") in names("fire_monitoring", "consistency")
    for ds in ("flood_drought_events", "weather_disasters", "geohazard_events", "disaster_reports"):
        assert {("affected_within_population", "warning"),
                ("affected_not_far_above_population", "warning")} <= names(ds, "consistency")
    assert ("volume_against_history", "warning") in names("weather_warnings", "volume")


def test_no_township_code_is_written_into_a_suite():
    codes = {t.code for t in queries.seed_townships()}
    for path in settings.EXPECTATIONS_DIR.glob("*.yaml"):
        text = path.read_text("utf-8")
        assert not any(code in text for code in codes), path.name


def test_every_expectation_type_is_a_gx_expectation():
    state = runner._gx()
    for dataset in DATASETS:
        for e in load_suite(dataset).expectations:
            conf = state["config"](type=e.type, kwargs=runner._resolve_kwargs(e.kwargs))
            conf.to_domain_obj()  # raises on an unknown type or bad kwargs


@pytest.fixture(scope="module")
def clean_results(clean_template, tmp_path_factory):
    import shutil

    import duckdb

    path = tmp_path_factory.mktemp("clean_run") / "w.duckdb"
    shutil.copy(clean_template, path)
    con = duckdb.connect(str(path))
    wall, cpu = time.perf_counter(), time.process_time()
    results = {v.dataset: v for v in runner.validate_all(con, "clean-run")}
    TIMINGS["first"] = (time.perf_counter() - wall, time.process_time() - cpu)
    wall, cpu = time.perf_counter(), time.process_time()
    again = runner.validate_all(con, "clean-rerun")
    TIMINGS["rerun"] = (time.perf_counter() - wall, time.process_time() - cpu)
    assert all(v.reused_from == "clean-run" for v in again)
    con.close()
    return results


def test_time_gx_adds(clean_results, capsys):
    """Measured, not asserted: GX set-up, all 26 suites on the clean fixture, and a rerun with
    nothing new (outcomes reused, GX not run)."""
    n = sum(len(v.results) for v in clean_results.values())
    (w1, c1), (w2, c2) = TIMINGS["first"], TIMINGS["rerun"]
    setup = runner.GX_SETUP_SECONDS or 0.0
    with capsys.disabled():
        print(
            f"\n[validation timing] GX import+context {setup:.2f}s wall (once per process); "
            f"26 suites / {n} expectations: {w1:.2f}s wall, {c1:.2f}s CPU (incl. set-up if first); "
            f"rerun with nothing new: {w2:.2f}s wall, {c2:.2f}s CPU"
        )


@pytest.mark.parametrize("dataset", DATASETS)
def test_every_suite_passes_on_clean_data(clean_results, dataset):
    v = clean_results[dataset]
    assert not v.no_data
    assert v.files, "the clean fixture delivers files for every dataset"
    failed = [(r.name, r.observed) for r in v.results if not r.success]
    assert failed == []
    assert not v.blocking
    assert len(v.results) == len(load_suite(dataset).expectations)
