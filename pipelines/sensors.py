"""A sensor on the landing zone: a new or changed file launches a load of its dataset and
everything downstream of it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import (
    AssetSelection,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from pipelines import settings
from pipelines.assets.ingestion import ingestion_key
from pipelines.ingest.contracts import all_contracts
from pipelines.ingest.loader import discover_files


def landing_zone_fingerprint(raw_dir: Path) -> dict[str, str]:
    """dataset -> a fingerprint of its files (names, sizes, mtimes); cheap enough to poll."""
    prints = {}
    for contract in all_contracts().values():
        files = discover_files(raw_dir, contract)
        prints[contract.dataset] = "|".join(
            f"{p.relative_to(raw_dir).as_posix()}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files
        )
    return prints


def build_landing_zone_sensor(job_name: str):
    @sensor(
        name="landing_zone_sensor",
        job_name=job_name,
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
        description="监视 raw/ 落地区：有新文件或更正文件时，装载该数据集并更新其下游模型",
    )
    def landing_zone_sensor(context: SensorEvaluationContext):
        current = landing_zone_fingerprint(settings.raw_dir())
        previous = json.loads(context.cursor) if context.cursor else {}
        changed = sorted(d for d, fp in current.items() if fp and previous.get(d) != fp)
        context.update_cursor(json.dumps(current))
        if not changed:
            return SkipReason("落地区没有新文件")
        selection = AssetSelection.assets(*[ingestion_key(d) for d in changed]).downstream()
        return RunRequest(
            run_key="landing-" + hashlib.sha256("\n".join(current[d] for d in changed).encode()).hexdigest()[:16],
            asset_selection=list(selection.resolve(context.repository_def.asset_graph))
            if context.repository_def
            else None,
            tags={"emstats/datasets": ",".join(changed)},
        )

    return landing_zone_sensor
