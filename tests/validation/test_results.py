"""audit.validation_results keeps every run (append only); no-data datasets are skipped cleanly;
the time GX adds is measured and printed."""

from __future__ import annotations

import json
import sys
import time

from pipelines.validation import runner
from pipelines.validation.results import ensure_validation_schema
from tests.validation.builders import clean_rows, replace_file, townships


def test_rerunning_keeps_earlier_results(warehouse):
    con = warehouse
    gone = townships(2023)[0]
    replace_file(con, "population", "2023", [r for r in clean_rows("population", 2023) if r["township"] != gone])
    first = runner.validate_dataset(con, "population", "run-1")
    assert first.blocking
    before = con.execute("SELECT * FROM audit.validation_results ORDER BY result_id").fetchall()

    # The bureau sends a corrected revision; the next run passes and the failure stays in history.
    replace_file(con, "population", "2023", clean_rows("population", 2023))
    second = runner.validate_dataset(con, "population", "run-2")
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
        "WHERE run_id = 'run-1' AND NOT success"
    ).fetchone()
    files, failing, details, observed, desc = row
    assert len(files) == 3 and failing[0] in files  # three current files (2021–2023), the 2023 one failing
    assert json.loads(details)["failing_rows"][0]["township"] == gone
    assert observed.startswith("1/")
    assert "街镇" in desc

    latest = con.execute(
        "SELECT run_id, errors, blocked FROM audit.validation_latest WHERE dataset = 'population'"
    ).fetchone()
    assert latest == ("run-2", 0, False)


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
    gone = townships(2022)[1]
    replace_file(warehouse, "forest_resources", "2022",
                 [r for r in clean_rows("forest_resources", 2022) if r["township"] != gone])
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


def test_time_gx_adds(clean_template, tmp_path, capsys):
    """Measure (do not assert) what validation costs on the clean fixture: GX set-up, then all 26
    suites, then a rerun with nothing new."""
    import shutil

    import duckdb

    path = tmp_path / "timing.duckdb"
    shutil.copy(clean_template, path)
    con = duckdb.connect(str(path))
    t0 = time.perf_counter()
    runner.validate_dataset(con, "gdp", "timing-warmup")
    warm = time.perf_counter() - t0
    t0 = time.perf_counter()
    vs = runner.validate_all(con, "timing-1")
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    runner.validate_all(con, "timing-2")
    second = time.perf_counter() - t0
    con.close()
    n = sum(len(v.results) for v in vs)
    with capsys.disabled():
        print(
            f"\n[validation timing] GX import+context {runner.GX_SETUP_SECONDS:.2f}s (first dataset incl. it {warm:.2f}s); "
            f"26 suites / {n} expectations: {first:.2f}s; rerun with nothing new: {second:.2f}s"
        )
