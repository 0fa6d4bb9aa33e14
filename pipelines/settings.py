"""Paths shared by Dagster, dbt, the CLI and the boards, all from environment variables.

EMSTATS_WAREHOUSE names the DuckDB file the pipeline writes; readers open the published copy
beside it (see published_path), never the file being written.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_DIR / "expectations"


def warehouse_path() -> Path:
    return Path(os.environ.get("EMSTATS_WAREHOUSE", PROJECT_DIR / "data" / "warehouse.duckdb")).resolve()


def raw_dir() -> Path:
    return Path(os.environ.get("EMSTATS_RAW_DIR", PROJECT_DIR / "raw")).resolve()


def published_path(warehouse: Path | None = None) -> Path:
    """The read-only copy for boards and SQL users: <stem>.published<suffix> beside the warehouse."""
    if os.environ.get("EMSTATS_PUBLISHED"):
        return Path(os.environ["EMSTATS_PUBLISHED"]).resolve()
    w = warehouse or warehouse_path()
    return w.with_name(f"{w.stem}.published{w.suffix}")


def today():
    """The date against which future dates are judged; EMSTATS_TODAY (YYYY-MM-DD) pins it for tests."""
    import datetime as dt

    pinned = os.environ.get("EMSTATS_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def dbt_executable() -> str:
    """dbt from the same environment as this interpreter, so no PATH set-up is needed."""
    import shutil
    import sys

    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")
