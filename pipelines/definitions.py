"""The one Dagster code location of emstats (loaded by workspace.yaml and `emstats build`)."""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from pipelines.assets.dbt import emstats_dbt_models
from pipelines.assets.ingestion import ingestion_assets
from pipelines.resources import build_resources
from pipelines.schedules import build_daily_schedule
from pipelines.sensors import build_landing_zone_sensor

BUILD_JOB = "emstats_build"

build_job = define_asset_job(
    BUILD_JOB,
    selection=AssetSelection.all(),
    description="装载全部新文件、校验、构建 dbt 模型并发布只读副本",
)

defs = Definitions(
    assets=[*ingestion_assets(), emstats_dbt_models],
    jobs=[build_job],
    schedules=[build_daily_schedule(BUILD_JOB)],
    sensors=[build_landing_zone_sensor(BUILD_JOB)],
    resources=build_resources(),
    # DuckDB takes one writer: every step of a run executes in one process, one after another.
    executor=in_process_executor,
)
