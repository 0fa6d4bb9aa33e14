"""The dbt project as Dagster sees it. The manifest is prepared at build time (`make prepare`),
never when the code location loads."""

from __future__ import annotations

from dagster_dbt import DbtProject

from pipelines import settings

dbt_project = DbtProject(
    project_dir=settings.DBT_PROJECT_DIR,
    profiles_dir=settings.DBT_PROJECT_DIR,
)
