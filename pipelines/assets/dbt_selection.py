"""Which dbt models a build must run: everything downstream of datasets that changed since the
last successful build (and of the models that read the ledger itself, such as the year spine),
minus what validation holds back.

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

    # Models untouched by the changed datasets (filled from the manifest for incremental builds).
    unaffected: list[str] = field(default_factory=list)

    def args(self) -> list[str]:
        # Unit tests check the SQL logic, not the data: they run in `make test`, not in every load.
        args = ["build", "--exclude-resource-type", "unit_test"]
        # Everything is expressed as exclusions: dagster-dbt adds its own `--select fqn:*` to a
        # run of the whole asset, and dbt takes the union of --select flags but applies every
        # --exclude. One space-separated value per flag, as dagster-dbt parses them.
        excluded = [f"source:raw.{d}+" for d in self.held_back]
        if self.mode == "incremental":
            excluded += ["resource_type:seed", *self.unaffected]
        if excluded:
            args += ["--exclude", " ".join(excluded)]
        return args


def manifest_checksum(manifest_path: Path) -> str:
    return hashlib.sha256(manifest_path.read_bytes()).hexdigest()[:16]


def ledger_reading_models(manifest: dict) -> list[str]:
    return sorted(
        n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model"
        and n["config"].get("schema") != "staging"
        and any(d.endswith(".audit.load_ledger") for d in n["depends_on"]["nodes"])
    )


def unaffected_models(manifest: dict, changed: list[str]) -> list[str]:
    """Models downstream of neither a changed dataset's source nor a ledger-reading model."""
    models = {uid: n for uid, n in manifest["nodes"].items() if n["resource_type"] == "model"}
    names = set(ledger_reading_models(manifest))
    frontier = [uid for uid, n in models.items() if n["name"] in names]
    frontier += [
        uid for uid, src in manifest["sources"].items()
        if src["source_name"] == "raw" and src["name"] in changed
    ]
    reached: set[str] = set()
    while frontier:
        uid = frontier.pop()
        if uid in reached:
            continue
        reached.add(uid)
        frontier.extend(manifest["child_map"].get(uid, []))
    return sorted(n["name"] for uid, n in models.items() if uid not in reached)


def load_manifest(manifest_path: Path) -> dict:
    return json.loads(manifest_path.read_text("utf-8"))


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


def plan_build(con, run_id: str, checksum: str, manifest: dict | None = None) -> DbtPlan:
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
        unaffected=unaffected_models(manifest, changed) if manifest else [],
    )


def record_build(con, run_id: str, checksum: str, plan: DbtPlan) -> None:
    con.execute(
        "INSERT INTO audit.dbt_builds VALUES (?, now(), ?, ?, ?, ?, ?)",
        [run_id, plan.max_load_id, checksum, plan.mode, ",".join(plan.changed), ",".join(plan.held_back)],
    )
