"""`emstats build` end to end through Dagster and dbt: exit codes, summary, publishing, reruns."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from tests.pipeline.landing import fire_file

pytestmark = pytest.mark.slow

PUBLIC_TABLES = [
    "marts.indicator_values",
    "marts.indicator_progress",
    "marts.fct_accidents",
    "marts.fct_forest_fires",
    "marts.fct_disaster_events",
    "marts.reconciliation_findings",
    "audit.load_ledger",
    "audit.quarantine",
]


def run_build(raw: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "EMSTATS_TODAY": "2026-11-30"}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "build", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def snapshot(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for t in PUBLIC_TABLES:
            cols = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema||'.'||table_name = ? ORDER BY ordinal_position",
                    [t],
                ).fetchall()
                if c not in ("loaded_at", "quarantined_at", "checked_at")
            ]
            out[t] = con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    fire_file(raw, "2023年森林火灾统计表.csv", [("F1", "2023-03-01 10:00", "古南街道", 30, 15, 0, 0)])
    fire_file(raw, "2023年_重复.csv", [("F1", "2023-03-01 10:00", "古南街道", 30, 15, 0, 0)])
    (raw / "forestry" / "forest_fires" / "2023年_重复.csv").write_bytes(
        (raw / "forestry" / "forest_fires" / "2023年森林火灾统计表.csv").read_bytes()
    )
    fire_file(raw, "2024年.csv", [("F9", "2024-02-01", "东溪", 3, 1, 0, 0), ("F8", "2024-02-02", "不存在镇", 3, 1, 0, 0)])
    fire_file(raw, "没有期别.csv", [("F7", "2024-02-01", "东溪", 3, 1, 0, 0)])
    return raw


@pytest.fixture(scope="module")
def built(landing, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    first = run_build(landing, warehouse)
    return warehouse, first


def test_build_exits_zero_and_reports_per_department(built):
    warehouse, first = built
    assert first.returncode == 0, first.stderr[-3000:]
    out = first.stdout
    assert "forestry" in out and "拒收" in out
    assert "没有期别.csv" in out  # the rejected file is named


def test_public_tables_exist_and_ledger_states(built):
    warehouse, _ = built
    tables = snapshot(warehouse)
    statuses = sorted(r for r in duckdb.connect(str(warehouse), read_only=True).execute(
        "SELECT status FROM audit.load_ledger").fetchall())
    assert statuses == [("duplicate",), ("loaded",), ("loaded",), ("rejected",)]
    fires = {r[0] for r in tables["marts.fct_forest_fires"]}
    assert fires == {"F1", "F9"}


def test_published_copy_is_swapped_in_and_readable(built):
    warehouse, _ = built
    published = warehouse.with_name("warehouse.published.duckdb")
    assert published.exists()
    assert snapshot(published) == snapshot(warehouse)


def test_rerun_is_a_no_op_on_the_tables(built, landing):
    warehouse, _ = built
    before = snapshot(warehouse)
    second = run_build(landing, warehouse)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "没有新文件" in second.stdout
    assert snapshot(warehouse) == before


def test_usage_errors_exit_two(tmp_path, capsys):
    assert main(["build", "--raw-dir", str(tmp_path / "missing")]) == 2
    assert "落地区目录不存在" in capsys.readouterr().err
    assert main(["build", "--no-such-flag"]) == 2
    assert main([]) == 2


def test_incremental_build_then_full_rebuild_give_identical_marts(built, landing):
    warehouse, _ = built
    fire_file(landing, "2025年3月.csv", [("F25", "2025-03-01", "三江", 15, 6, 0, 0)])
    incremental = run_build(landing, warehouse)
    assert incremental.returncode == 0, incremental.stderr[-3000:]
    assert "增量" in incremental.stderr
    after_incremental = snapshot(warehouse)
    assert "F25" in {r[0] for r in after_incremental["marts.fct_forest_fires"]}
    env_full = run_build_full(landing, warehouse)
    assert env_full.returncode == 0, env_full.stderr[-3000:]
    assert "全量" in env_full.stderr
    assert snapshot(warehouse) == after_incremental


def run_build_full(raw: Path, warehouse: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "EMSTATS_TODAY": "2026-11-30"}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "build", "--full", "--raw-dir", str(raw), "--warehouse", str(warehouse)],
        capture_output=True, text=True, env=env, timeout=900,
    )
