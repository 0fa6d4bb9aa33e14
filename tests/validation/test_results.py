"""audit.validation_results keeps every run (append only); no-data datasets are skipped cleanly;
the time GX adds is measured and printed."""

from __future__ import annotations

import json
import sys

from pipelines.validation import runner
from pipelines.validation.results import ensure_validation_schema
from tests.validation.builders import clean_rows, replace_file


def test_rerunning_keeps_earlier_results(warehouse):
    con = warehouse
    rows = clean_rows("population", 2023)
    rows[0] = {**rows[0], "resident_population": -5}  # a row the reader would have quarantined
    replace_file(con, "population", "2023", rows)
    first = runner.validate_dataset(con, "population", "run-1", reuse=False)
    assert first.blocking
    before = con.execute("SELECT * FROM audit.validation_results ORDER BY result_id").fetchall()

    # The bureau sends a corrected revision; the next run passes and the failure stays in history.
    replace_file(con, "population", "2023", clean_rows("population", 2023))
    second = runner.validate_dataset(con, "population", "run-2", reuse=False)
    assert not second.blocking and second.passed
    after = con.execute("SELECT * FROM audit.validation_results ORDER BY result_id").fetchall()
    assert after[: len(before)] == before
    assert len(after) == 2 * len(before)

    runs = con.execute(
        "SELECT run_id, count(*) FILTER (WHERE NOT success AND severity = 'error'), count(*), "
        "count(DISTINCT checked_at) FROM audit.validation_results GROUP BY run_id ORDER BY run_id"
    ).fetchall()
    assert runs == [("run-1", 1, len(before), 1), ("run-2", 0, len(before), 1)]

    row = con.execute(
        "SELECT files, failing_files, details, observed_value, description_zh FROM audit.validation_results "
        "WHERE run_id = 'run-1' AND NOT success AND severity = 'error'"
    ).fetchone()
    files, failing, details, observed, desc = row
    assert len(files) == 3 and failing[0] in files  # three current files (2021–2023), the 2023 one failing
    failing_row = json.loads(details)["failing_rows"][0]
    assert (failing_row["field"], failing_row["_row_number"]) == ("resident_population", 4)
    assert observed.startswith("1/")
    assert "不得为负" in desc

    latest = con.execute(
        "SELECT run_id, errors, blocked FROM audit.validation_latest WHERE dataset = 'population'"
    ).fetchone()
    assert latest == ("run-2", 0, False)


def test_an_unchanged_dataset_records_the_earlier_outcomes_again(warehouse):
    con = warehouse
    first = runner.validate_dataset(con, "flood_drought_events", "r1")
    assert first.reused_from is None
    again = runner.validate_dataset(con, "flood_drought_events", "r2")
    assert again.reused_from == "r1"
    assert [(o.name, o.success) for o in again.results] == [(o.name, o.success) for o in first.results]
    assert con.execute(
        "SELECT count(*) FROM audit.validation_results WHERE run_id = 'r2' AND details LIKE '%reused_from%'"
    ).fetchone()[0] == len(first.results)

    # A new population file changes an input of the affected-vs-population check: GX runs again.
    replace_file(con, "population", "2023", clean_rows("population", 2023))
    third = runner.validate_dataset(con, "flood_drought_events", "r3")
    assert third.reused_from is None

    # So does a new file of the dataset itself, and the fault it brings is found.
    rows = clean_rows("flood_drought_events", 2023)
    rows[0] = {**rows[0], "deaths": rows[0]["affected_person_times"] + 1}
    replace_file(con, "flood_drought_events", "2023", rows)
    fourth = runner.validate_dataset(con, "flood_drought_events", "r4")
    assert fourth.reused_from is None and fourth.blocking


def test_schema_is_idempotent(warehouse):
    ensure_validation_schema(warehouse)
    ensure_validation_schema(warehouse)
    runner.validate_dataset(warehouse, "gdp", "r")
    ensure_validation_schema(warehouse)
    assert warehouse.execute("SELECT count(*) FROM audit.validation_results").fetchone()[0] > 0


def test_a_dataset_without_current_rows_is_skipped_not_failed(empty_warehouse):
    v = runner.validate_dataset(empty_warehouse, "forest_fires", "r-empty")
    assert v.no_data and not v.blocking and not v.errors and not v.warnings
    assert "无当前数据" in v.summary_zh()
    row = empty_warehouse.execute(
        "SELECT expectation, kind, severity, success FROM audit.validation_results WHERE run_id = 'r-empty'"
    ).fetchone()
    assert row == ("no_data", "no_data", "info", True)


def test_run_summary_names_blocked_and_warned_datasets(warehouse):
    rows = clean_rows("forest_resources", 2022)
    rows[1] = {**rows[1], "forest_ha": -1.0}  # an error: the row-rule guard
    replace_file(warehouse, "forest_resources", "2022", rows)
    vs = runner.validate_all(warehouse, "r-summary", datasets=["forest_resources", "gdp", "forest_fires"])
    text = runner.format_run_summary(vs)
    assert text.splitlines()[0].startswith("数据校验：3 个数据集已校验")
    assert "森林资源（forest_resources）" in text and "下游模型暂不更新" in text
    assert "1 个出错被阻断" in text


def test_gx_is_not_imported_by_the_api_modules():
    # A fresh interpreter: importing the runner and the checks must not pull GX in.
    import subprocess

    code = (
        "import sys; import pipelines.validation.runner, pipelines.validation.checks; "
        "print('great_expectations' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
