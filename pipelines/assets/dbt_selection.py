"""Which dbt models a build must run: everything downstream of datasets that changed since the
last successful build, minus what validation holds back.

A full build happens when nothing was built before, the dbt project changed since (its manifest
checksum differs), or EMSTATS_FULL_REFRESH is set (`emstats build --full`).
"""

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

BUILDS_DDL = """
CREATE TABLE IF NOT EXISTS audit.dbt_builds (
  run_id VARCHAR,
  built_at TIMESTAMP,
  max_load_id BIGINT,          -- ledger high-water mark the build saw
  manifest_checksum VARCHAR,
  mode VARCHAR,                -- full, incremental, skipped
  selected VARCHAR,            -- datasets whose downstream was rebuilt
  held_back VARCHAR            -- datasets blocked by validation errors
)
"""


@dataclass
class DbtPlan:
    mode: str  # full, incremental, skipped
    changed: list[str] = field(default_factory=list)
    held_back: list[str] = field(default_factory=list)
    max_load_id: int = 0
    reason: str = ""
    # Models other than staging that read the ledger itself (year spines, dataset-years): any
    # new file can change them, whichever dataset it belongs to.
    ledger_readers: list[str] = field(default_factory=list)

    def args(self) -> list[str]:
        # Unit tests check the SQL logic, not the data: they run in `make test`, not in every load.
        args = ["build", "--exclude-resource-type", "unit_test"]
        if self.mode == "incremental":
            args += [
                "--select",
                *[f"source:raw.{d}+" for d in self.changed],
                *[f"{m}+" for m in self.ledger_readers],
            ]
        if self.held_back:
            args += ["--exclude", *[f"source:raw.{d}+" for d in self.held_back]]
        return args


def manifest_checksum(manifest_path: Path) -> str:
    return hashlib.sha256(manifest_path.read_bytes()).hexdigest()[:16]


def ledger_reading_models(manifest_path: Path) -> list[str]:
    nodes = json.loads(manifest_path.read_text("utf-8"))["nodes"].values()
    return sorted(
        n["name"]
        for n in nodes
        if n["resource_type"] == "model"
        and n["config"].get("schema") != "staging"
        and any(d.endswith(".audit.load_ledger") for d in n["depends_on"]["nodes"])
    )


def _table_exists(con, schema: str, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def held_back_datasets(con, run_id: str) -> list[str]:
    """Datasets whose validation failed with an error in this run."""
    if not _table_exists(con, "audit", "validation_results"):
        return []
    rows = con.execute(
        "SELECT DISTINCT dataset FROM audit.validation_results "
        "WHERE run_id = ? AND severity = 'error' AND NOT success ORDER BY dataset",
        [run_id],
    ).fetchall()
    return [r[0] for r in rows]


def plan_build(con, run_id: str, checksum: str, ledger_readers: list[str] | None = None) -> DbtPlan:
    con.execute(BUILDS_DDL)
    held = held_back_datasets(con, run_id)
    max_load_id = con.execute("SELECT coalesce(max(load_id), 0) FROM audit.load_ledger").fetchone()[0]
    last = con.execute(
        "SELECT max_load_id, manifest_checksum FROM audit.dbt_builds ORDER BY built_at DESC LIMIT 1"
    ).fetchone()
    if os.environ.get("EMSTATS_FULL_REFRESH"):
        return DbtPlan("full", held_back=held, max_load_id=max_load_id, reason="要求全量重建")
    if last is None or not _table_exists(con, "marts", "indicator_values"):
        return DbtPlan("full", held_back=held, max_load_id=max_load_id, reason="首次构建")
    if last[1] != checksum:
        return DbtPlan("full", held_back=held, max_load_id=max_load_id, reason="dbt 项目有变更")
    changed = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT dataset FROM audit.load_ledger "
            "WHERE load_id > ? AND status IN ('loaded', 'superseded') ORDER BY dataset",
            [last[0]],
        ).fetchall()
    ]
    changed = [d for d in changed if d not in held]
    if not changed:
        return DbtPlan("skipped", held_back=held, max_load_id=max_load_id, reason="没有数据变化")
    return DbtPlan(
        "incremental", changed, held, max_load_id, reason="仅更新有新文件的数据集的下游",
        ledger_readers=list(ledger_readers or []),
    )


def record_build(con, run_id: str, checksum: str, plan: DbtPlan) -> None:
    con.execute(
        "INSERT INTO audit.dbt_builds VALUES (?, now(), ?, ?, ?, ?, ?)",
        [run_id, plan.max_load_id, checksum, plan.mode, ",".join(plan.changed), ",".join(plan.held_back)],
    )
