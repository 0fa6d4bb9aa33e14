"""Deliveries that parse and pass every row rule but are wrong as a whole, each kind once: caught
with the right severity, dataset and files. Plus raw rows that break a contract rule (the guard)."""

from __future__ import annotations

import datetime as dt

from pipelines.validation.queries import seed_townships
from pipelines.validation.runner import validate_dataset
from tests.validation.builders import (
    clean_rows,
    file_of,
    population_of,
    replace_file,
    townships,
)
from tests.warehouse_fixtures import load_rows


def _failed(v):
    return {(r.name, r.severity) for r in v.results if not r.success}


def test_missing_township_in_a_township_by_year_table_is_flagged(warehouse):
    # A township whose only row was quarantined is missing from the current data too: flagged,
    # not held back, since the rest of the delivery is good and the quarantine already says why.
    gone = townships(2023)[3]
    rows = [r for r in clean_rows("fire_hydrants", 2023) if r["township"] != gone]
    new = replace_file(warehouse, "fire_hydrants", "2023", rows)
    v = validate_dataset(warehouse, "fire_hydrants", "t-missing")
    assert _failed(v) == {("every_township_every_year", "warning")}
    assert not v.blocking
    o = v.outcome("every_township_every_year")
    assert o.failing_files == [file_of(warehouse, new)]
    assert [(e["year"], e["township"]) for e in o.examples] == [(2023, gone)]
    assert "消火栓" in v.summary_zh() and "警告 1 项" in v.summary_zh()


def test_missing_township_in_population_is_only_a_warning(warehouse):
    # The glossary carries a township's population forward when its year is missing (flagged),
    # so the gap is reported without holding the dataset back.
    gone = townships(2023)[3]
    rows = [r for r in clean_rows("population", 2023) if r["township"] != gone]
    replace_file(warehouse, "population", "2023", rows)
    v = validate_dataset(warehouse, "population", "t-missing-pop")
    assert ("every_township_every_year", "warning") in _failed(v)
    assert not v.blocking


def test_key_reused_across_two_files_is_an_error(warehouse):
    def accident(day: dt.datetime) -> dict:
        row = clean_rows("production_accidents", day.year)[0]
        return {**row, "accident_id": "SG-2024-REUSED", "occurred_at": day}

    a = load_rows(warehouse, "production_accidents", "2024-01", [accident(dt.datetime(2024, 1, 10, 9))])
    b = load_rows(warehouse, "production_accidents", "2024-02", [accident(dt.datetime(2024, 2, 12, 9))])
    v = validate_dataset(warehouse, "production_accidents", "t-reuse")
    assert ("key_unique_across_files", "error") in _failed(v)
    assert ("key_unique_within_file", "error") not in _failed(v)
    o = v.outcome("key_unique_across_files")
    assert o.failing_files == sorted([file_of(warehouse, a), file_of(warehouse, b)])
    assert v.blocking


def test_a_year_file_beside_its_month_file_is_not_a_reused_key(warehouse):
    row = {**clean_rows("waterway_accidents", 2024)[0], "accident_id": "SS-2024-NESTED",
           "occurred_at": dt.datetime(2024, 3, 5, 10)}
    load_rows(warehouse, "waterway_accidents", "2024-03", [row])
    load_rows(warehouse, "waterway_accidents", "2024", [row])
    v = validate_dataset(warehouse, "waterway_accidents", "t-nested")
    assert v.outcome("key_unique_across_files").success


def test_the_same_team_on_every_years_roster_is_not_a_reused_key(warehouse):
    # rescue_teams has no year column: the key is unique per yearly roster, not across years.
    v = validate_dataset(warehouse, "rescue_teams", "t-roster")
    assert v.outcome("key_unique_across_files").success


def test_a_month_with_ten_times_the_usual_warnings_is_a_warning(empty_warehouse):
    con = empty_warehouse

    def warnings(year: int, months: range, per_month: int) -> list[dict]:
        base = clean_rows("weather_warnings", year, per_month * len(months))
        return [
            {**r, "warning_id": f"YJ-{year}-{i:04d}", "onset_at": None,
             "issued_at": dt.datetime(year, months[i % len(months)], 1 + i % 28, 9, 0)}
            for i, r in enumerate(base)
        ]

    # Three years of about 13 warnings a month (year files), then a January with 130.
    for year in (2021, 2022, 2023):
        load_rows(con, "weather_warnings", str(year), warnings(year, range(1, 13), 13))
    spike = load_rows(con, "weather_warnings", "2024-01", warnings(2024, range(1, 2), 130))
    v = validate_dataset(con, "weather_warnings", "t-volume")
    assert _failed(v) == {("volume_against_history", "warning")}
    assert not v.blocking
    o = v.outcome("volume_against_history")
    assert [(e["bucket"], e["row_count"], e["baseline"]) for e in o.examples] == [("2024-01", 130, 13)]
    assert o.failing_files == [file_of(con, spike)]

    # A usual January passes.
    con.execute("UPDATE audit.load_ledger SET status = 'superseded' WHERE load_id = ?", [spike])
    load_rows(con, "weather_warnings", "2024-01", warnings(2024, range(1, 2), 14))
    assert validate_dataset(con, "weather_warnings", "t-volume-ok").passed


def test_population_ten_times_its_own_history_is_a_warning(warehouse):
    target = townships(2023)[5]
    rows = [
        {**r, "resident_population": r["resident_population"] * 10} if r["township"] == target else r
        for r in clean_rows("population", 2023)
    ]
    new = replace_file(warehouse, "population", "2023", rows)
    v = validate_dataset(warehouse, "population", "t-plausible")
    assert _failed(v) == {("resident_population_plausible_against_history", "warning")}
    assert not v.blocking
    o = v.outcome("resident_population_plausible_against_history")
    assert [(e["township"], e["year"]) for e in o.examples] == [(target, 2023)]
    assert o.failing_files == [file_of(warehouse, new)]


def test_forest_area_disagreeing_between_forestry_tables_is_a_warning(warehouse):
    # FF_MONITORING_COVERAGE uses fire_monitoring's own forest area (glossary): a difference is
    # worth a look, not a reason to hold the dataset back.
    target = townships(2023)[2]
    rows = [
        {**r, "forest_ha": r["forest_ha"] * 1.3} if r["township"] == target else r
        for r in clean_rows("fire_monitoring", 2023)
    ]
    new = replace_file(warehouse, "fire_monitoring", "2023", rows)
    v = validate_dataset(warehouse, "fire_monitoring", "t-forest")
    assert _failed(v) == {("forest_area_agrees_with_forest_resources", "warning")}
    o = v.outcome("forest_area_agrees_with_forest_resources")
    assert [(e["township"], e["year"]) for e in o.examples] == [(target, 2023)]
    fr_2023 = warehouse.execute(
        "SELECT file_path FROM audit.load_ledger WHERE dataset = 'forest_resources' AND period = '2023'"
    ).fetchone()[0]
    assert o.failing_files == sorted([file_of(warehouse, new), fr_2023])
    assert not v.blocking


def test_affected_person_times_far_above_the_township_population_is_flagged(warehouse):
    # Person-times may exceed the population (people hit twice): flagged, never blocking.
    rows = clean_rows("flood_drought_events", 2023)
    target = rows[1]["township"]
    rows[1] = {**rows[1], "affected_person_times": population_of(target) * 10}
    new = replace_file(warehouse, "flood_drought_events", "2023", rows)
    v = validate_dataset(warehouse, "flood_drought_events", "t-affected")
    assert _failed(v) == {("affected_within_population", "warning"), ("affected_not_far_above_population", "warning")}
    assert not v.blocking
    o = v.outcome("affected_not_far_above_population")
    assert [(e["township"], e["year"]) for e in o.examples] == [(target, 2023)]
    assert file_of(warehouse, new) in o.failing_files


def test_affected_person_times_a_little_above_the_population_is_a_warning(warehouse):
    rows = clean_rows("geohazard_events", 2023)
    rows[0] = {**rows[0], "affected_person_times": int(population_of(rows[0]["township"]) * 1.3)}
    replace_file(warehouse, "geohazard_events", "2023", rows)
    v = validate_dataset(warehouse, "geohazard_events", "t-affected-warn")
    assert _failed(v) == {("affected_within_population", "warning")}
    assert not v.blocking


def test_gdp_and_population_missing_for_a_year_with_events_is_a_warning(warehouse):
    load_rows(warehouse, "production_accidents", "2024", clean_rows("production_accidents", 2024))
    # The current year (EMSTATS_TODAY 2026) is not judged: its GDP is published after it ends.
    load_rows(warehouse, "production_accidents", "2026", clean_rows("production_accidents", 2026))
    for dataset in ("gdp", "population"):
        v = validate_dataset(warehouse, dataset, "t-event-years")
        assert _failed(v) == {("present_for_every_event_year", "warning")}, dataset
        o = v.outcome("present_for_every_event_year")
        assert [e["year"] for e in o.examples] == [2024]
        assert not v.blocking


def test_rows_breaking_contract_rules_in_raw_are_caught_by_the_guard(warehouse):
    out_of_scope = next(t.code for t in seed_townships() if not t.in_scope)
    good = clean_rows("production_accidents", 2024)
    bad = [
        {**good[0], "deaths": -1},
        {**good[1], "township": out_of_scope},
        {**good[2], "occurred_at": dt.datetime(2023, 12, 31, 23)},  # outside the 2024 file
        {**good[3], "industry": "航空运输"},
        {**good[4], "direct_loss": None},
        {**good[5], "accident_id": good[0]["accident_id"]},  # repeated within the file
    ]
    new = load_rows(warehouse, "production_accidents", "2024", bad)
    v = validate_dataset(warehouse, "production_accidents", "t-guard")
    expected = {
        ("numbers_not_negative", "error"),
        ("township_in_scope", "error"),
        ("event_date_within_period", "error"),
        ("industry_in_domain", "error"),
        ("required_fields_present", "error"),
        ("key_unique_within_file", "error"),
        ("key_unique_across_files", "error"),
    }
    assert expected <= _failed(v)
    for name, _ in expected:
        assert v.outcome(name).failing_files == [file_of(warehouse, new)], name
    assert v.outcome("required_fields_present").examples[0]["field"] == "direct_loss"


def test_order_and_conditional_rules_in_raw_are_caught(warehouse):
    drills = clean_rows("drills", 2024)
    drills[0] = {**drills[0], "level": "地灾点", "site_id": None}
    load_rows(warehouse, "drills", "2024", drills)
    v = validate_dataset(warehouse, "drills", "t-cond")
    assert ("site_id_required_if_1", "error") in _failed(v)

    events = clean_rows("weather_disasters", 2024)
    events[0] = {**events[0], "deaths": 500}  # more deaths than affected person-times
    load_rows(warehouse, "weather_disasters", "2024", events)
    v = validate_dataset(warehouse, "weather_disasters", "t-order")
    assert ("nesting_and_order_rules", "error") in _failed(v)
    assert v.outcome("nesting_and_order_rules").examples[0]["field"] == "deaths <= affected_person_times"
