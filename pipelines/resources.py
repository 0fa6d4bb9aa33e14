"""Dagster resources, configured from the environment (see pipelines/settings.py)."""

from __future__ import annotations

import os

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from pipelines import settings
from pipelines.dbt_project import dbt_project


class LandingZone(ConfigurableResource):
    """The folder departments' files are dropped into: raw/<department>/<dataset>/."""

    raw_dir: str


def build_resources() -> dict:
    warehouse = str(settings.warehouse_path())
    # dbt reads the same variable through profiles.yml; pin it so a default resolves identically.
    os.environ.setdefault("EMSTATS_WAREHOUSE", warehouse)
    # DuckDB's memory limit, threads and spill directory: the same for Dagster and dbt.
    duckdb_config = settings.duckdb_config()
    for name, value in settings.dbt_env().items():
        os.environ.setdefault(name, value)
    return {
        "duckdb": DuckDBResource(database=warehouse, connection_config=duckdb_config),
        "landing_zone": LandingZone(raw_dir=str(settings.raw_dir())),
        "dbt": DbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(settings.DBT_PROJECT_DIR),
            dbt_executable=settings.dbt_executable(),
        ),
    }
