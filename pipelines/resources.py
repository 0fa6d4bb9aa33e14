"""Dagster resources, configured from the environment (see pipelines/settings.py)."""

from __future__ import annotations

import os
from functools import cached_property
from importlib.metadata import version as installed_version

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource
from dagster_duckdb import DuckDBResource

from pipelines import settings
from pipelines.dbt_project import dbt_project


class LandingZone(ConfigurableResource):
    """The folder departments' files are dropped into: raw/<department>/<dataset>/."""

    raw_dir: str


class EmstatsDbtCliResource(DbtCliResource):
    """dagster-dbt's resource without two costs it pays on every build for things emstats does
    not use: running `dbt --version` in a subprocess to learn the version of the dbt-core
    installed beside it (3.6 s on this machine, as dbt also asks PyPI for its latest release),
    and building a dbt adapter inside this process (for fetching column metadata, which emstats
    does not do; it also imports dbt here, memory held while dbt runs)."""

    @cached_property
    def _cli_version(self):
        from packaging.version import Version

        return Version(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002
        return None


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
        "dbt": EmstatsDbtCliResource(
            project_dir=dbt_project,
            profiles_dir=str(settings.DBT_PROJECT_DIR),
            dbt_executable=settings.dbt_executable(),
        ),
    }
