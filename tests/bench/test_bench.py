"""Smoke tests of `make bench` (pipelines/bench): no timing assertions, only that each piece runs
on a tiny synthetic world and the report has every section."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipelines.bench import floor, harness, pandas_indicators, report
from pipelines.bench.deployment import make_deployment
from pipelines.sample.generate import generate_sample


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("bench")
    s = generate_sample(root / "raw", areas=6, first_year=2025, last_year=2026, last_month=11)
    return root, root / "raw", s.townships_csv


def test_deployment_replaces_only_the_seed(world, tmp_path):
    _, _, seed = world
    dep = make_deployment(tmp_path / "dbt", {"townships": seed})
    assert (dep / "seeds" / "townships.csv").read_bytes() == seed.read_bytes()
    assert (dep / "models").is_dir() and (dep / "profiles.yml").exists()
    assert not (dep / "target").exists()
    with pytest.raises(ValueError):
        make_deployment(tmp_path / "dbt2", {"not_a_seed": seed})


def test_floor_reads_every_file(world, tmp_path):
    _, raw, _ = world
    res = floor.load_all(raw, tmp_path / "floor.duckdb")
    assert res["files"] == len(floor.extract_files(raw)) and res["rows"] > 0 and not res["failed"]


def test_pandas_indicators_and_revised_extract(world, tmp_path):
    _, raw, seed = world
    dep = make_deployment(tmp_path / "dbt", {"townships": seed})
    out = pandas_indicators.compute(raw, dep / "seeds")
    assert set(out["indicators"]) == {"PS_DEATHS", "ND_AFFECTED_PER_100K", "FF_DAMAGE_RATE"}
    assert out["rows_used"]["population"] > 0
    copy = tmp_path / "raw"
    import shutil

    shutil.copytree(raw, copy)
    before = pandas_indicators.compute(copy, dep / "seeds")["indicators"]["PS_DEATHS"]["district"]
    new = harness.add_revised_extract(copy)
    assert (copy / new["file"]).exists() and "更正" in new["file"]
    after = pandas_indicators.compute(copy, dep / "seeds")["indicators"]["PS_DEATHS"]["district"]
    assert after[new["year"]] == before[new["year"]] + 1


def test_report_has_every_section(world):
    """The report from a run whose builds are stand-ins: every section is written."""
    _, raw, _ = world
    run = harness.ScaleRun("national", str(raw), landing=harness.landing_stats(raw))
    for key, secs in (("floor", 2.0), ("full", 30.0), ("incremental", 9.0), ("pandas", 20.0), ("boards", 5.0)):
        run.steps[key] = harness.Step(key, ["x"], seconds=secs, rc=0, peak_rss_mb=900.0, peak_at_s=1.0,
                                      published_at_s=secs - 1)
    run.steps["floor"].result = {"rows": 1000, "failed": []}
    run.steps["boards"].result = {"pages": {"overview": {"queries": 3, "p50_ms": 40, "p95_ms": 60, "max_ms": 70,
                                                         "render_s": 1.0, "error": None, "slowest_sql": "SELECT 1",
                                                         "slowest_p50_ms": 20, "query_p95_ms": 25}}}
    run.profiles["full"] = {"phases": [("dbt build (models and tests)", 10.0)], "ingest_total_s": 12.0,
                            "last_stamp_s": 29.0, "last_message": "done", "dbt_nodes": 3, "dbt_node_total_s": 9.0,
                            "dbt_tests_total_s": 4.0, "dbt_slowest": [("model.emstats.x", 2.0)]}
    run.checks["new_extract"] = {"file": "a_更正.csv", "revises": "a.csv", "rows": 3, "encoding": "utf-8",
                                 "year": 2026, "ps_deaths_before": 4, "ps_deaths_after": 5}
    meta = {"started": "now", "seconds": 60, "areas": 6, "years": 2, "memory_limit": "2GB", "threads": "2",
            "reps": 2, "git": "abc"}
    text = report.render(meta, harness.machine_info(), [run])
    assert report.sections_of(text) == report.SECTIONS
    assert "full build ≤ 2 × the bare-DuckDB floor" in text and "**missed**" in text


@pytest.mark.slow
def test_make_bench_end_to_end(tmp_path, monkeypatch):
    """The whole harness on a tiny national world (district skipped): report and results written."""
    out = tmp_path / "benchmarks.md"
    monkeypatch.setattr(sys, "argv", ["bench"])
    rc = harness.main(["--areas", "4", "--years", "1", "--city-areas", "0", "--skip-district", "--reps", "2",
                       "--out", str(out),
                       "--work", str(tmp_path / "work"), "--build-timeout", "900"])
    assert rc == 0
    text = out.read_text("utf-8")
    assert report.sections_of(text) == report.SECTIONS
    results = json.loads((tmp_path / "work" / "results.json").read_text("utf-8"))
    national = results["runs"][0]
    assert national["steps"]["full"]["rc"] == 0, Path(national["steps"]["full"]["log"]).read_text()[-3000:]
    assert national["checks"]["new_extract"]["ps_deaths_after"] == national["checks"]["new_extract"]["ps_deaths_before"] + 1
    assert set(national["steps"]["boards"]["result"]["pages"]) >= {"overview", "indicator", "township"}
