"""Paths shared by Dagster, dbt, the CLI and the boards, all from environment variables.

EMSTATS_WAREHOUSE names the DuckDB file the pipeline writes; readers open the published copy
beside it (see published_path), never the file being written.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def dbt_project_dir() -> Path:
    """The dbt project of this deployment: EMSTATS_DBT_PROJECT_DIR, default dbt_project/.

    A deployment (a city, a nation) is data, not code: a copy of the dbt project whose seeds hold
    its own areas (townships.csv) and plan (catalog, targets). The reader, the validation and dbt
    all take their seeds from here (SEEDS_DIR); see pipelines/bench/deployment.py.
    """
    return Path(os.environ.get("EMSTATS_DBT_PROJECT_DIR", PROJECT_DIR / "dbt_project")).resolve()


DBT_PROJECT_DIR = dbt_project_dir()
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


def dbt_env(memory_limit: str | None = None) -> dict[str, str]:
    """What dbt's profile reads besides the warehouse: dbt's DuckDB memory_limit
    (EMSTATS_DBT_MEMORY_LIMIT, by default derived from the build's budget `memory_limit`, else
    EMSTATS_DUCKDB_MEMORY_LIMIT, see pipelines/memory.py) and threads. Every dbt invocation,
    `make prepare` included, gets the same values, so dbt's partial parsing keeps working."""
    from pipelines.memory import dbt_memory_limit

    config = duckdb_config()
    return {
        "EMSTATS_DBT_MEMORY_LIMIT": os.environ.get("EMSTATS_DBT_MEMORY_LIMIT")
        or dbt_memory_limit(memory_limit or config["memory_limit"]),
        "EMSTATS_DUCKDB_THREADS": str(config["threads"]),
    }


def duckdb_config() -> dict:
    """DuckDB resource settings for every writer (Dagster's DuckDBResource; dbt via profiles.yml).

    EMSTATS_DUCKDB_MEMORY_LIMIT (default 4GB), EMSTATS_DUCKDB_THREADS (default: the CPU count) and
    EMSTATS_DUCKDB_TEMP_DIRECTORY (default: <warehouse>.tmp beside the warehouse, DuckDB's own
    default): large inputs spill to the temp directory instead of failing.
    """
    return {
        "memory_limit": os.environ.get("EMSTATS_DUCKDB_MEMORY_LIMIT", "4GB"),
        "threads": int(os.environ.get("EMSTATS_DUCKDB_THREADS") or os.cpu_count() or 1),
        "temp_directory": os.environ.get("EMSTATS_DUCKDB_TEMP_DIRECTORY") or f"{warehouse_path()}.tmp",
        "preserve_insertion_order": False,
    }
