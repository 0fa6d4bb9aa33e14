"""A deployment is data: a copy of the dbt project whose seeds describe its areas and plan.

The same code serves Qijiang, a city or a nation: point EMSTATS_DBT_PROJECT_DIR at a deployment
made here and the reader (townships), the validation and dbt all take their seeds from it
(pipelines.settings.SEEDS_DIR). Models, macros and tests are copied as they are; only seeds are
replaced. The copy has its own target/ (manifest, partial parse), so a deployment never disturbs
the project's own dbt state.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines import settings

_SKIP = shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml")


def make_deployment(dest: Path, seeds: dict[str, Path], source: Path | None = None) -> Path:
    """Copy the dbt project to dest, then put each given seed (name → CSV file) into dest/seeds/."""
    source = source or (settings.PROJECT_DIR / "dbt_project")
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest, ignore=_SKIP)
    for name, path in seeds.items():
        target = dest / "seeds" / (name if name.endswith(".csv") else f"{name}.csv")
        if not target.exists():
            raise ValueError(f"{target.name} is not a seed of the dbt project")
        shutil.copyfile(path, target)
    return dest


def deployment_env(dest: Path) -> dict[str, str]:
    return {"EMSTATS_DBT_PROJECT_DIR": str(Path(dest).resolve())}
