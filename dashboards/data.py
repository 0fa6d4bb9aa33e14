"""Read-only access to the published warehouse.

Every query opens a short-lived read-only connection to `published_path()` (with a bounded retry)
and closes it at once; results (DataFrames, never connections) are cached with `st.cache_data`
keyed on the published file's inode, mtime and size, so a new publish shows without a restart
and a build running meanwhile never holds or breaks a board.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipelines import settings

RETRIES = 6
RETRY_DELAY_S = 0.25
# Same configuration for every connection of this process (DuckDB shares one instance per file).
CONNECT_CONFIG = {"enable_external_access": False, "threads": 2, "memory_limit": "1GB"}


class WarehouseMissing(RuntimeError):
    """The published warehouse file does not exist (yet)."""


def published() -> Path:
    return settings.published_path()


def file_key(path: Path | None = None) -> tuple:
    """Identity of the published file's current version: (path, inode, mtime_ns, size)."""
    path = path or published()
    try:
        s = os.stat(path)
    except FileNotFoundError as exc:
        raise WarehouseMissing(str(path)) from exc
    return (str(path), s.st_ino, s.st_mtime_ns, s.st_size)


def connect(path: Path | str | None = None, retries: int = RETRIES) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published copy, retried a few times (file being swapped)."""
    path = Path(path or published())
    last: Exception | None = None
    for attempt in range(retries):
        if not path.exists():
            raise WarehouseMissing(str(path))
        try:
            return duckdb.connect(str(path), read_only=True, config=CONNECT_CONFIG)
        except (duckdb.IOException, duckdb.ConnectionException, duckdb.InvalidInputException) as exc:
            last = exc
            time.sleep(RETRY_DELAY_S * (attempt + 1))
    raise RuntimeError(f"无法打开已发布数据库：{last}")


def run_query(sql: str, params: Sequence = ()) -> pd.DataFrame:
    """Uncached query on a fresh read-only connection."""
    con = connect()
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached(key: tuple, sql: str, params: tuple) -> pd.DataFrame:
    return run_query(sql, params)


def query(sql: str, params: Sequence = ()) -> pd.DataFrame:
    """Cached query, invalidated whenever the published file changes."""
    return _cached(file_key(), sql, tuple(params)).copy()


def tables() -> pd.DataFrame:
    """schema, name, comment of every table and view in the published warehouse."""
    return query(
        """SELECT schema_name AS schema, table_name AS name, comment FROM duckdb_tables()
           WHERE database_name = current_database()
           UNION ALL
           SELECT schema_name, view_name, comment FROM duckdb_views()
           WHERE database_name = current_database() AND NOT internal
           ORDER BY 1, 2"""
    )


def has_table(qualified: str) -> bool:
    try:
        t = tables()
    except WarehouseMissing:
        return False
    schema, name = qualified.split(".", 1)
    return bool(((t["schema"] == schema) & (t["name"] == name)).any())


def columns(qualified: str) -> list[str]:
    schema, name = qualified.split(".", 1)
    df = query(
        """SELECT column_name FROM duckdb_columns()
           WHERE database_name = current_database() AND schema_name = ? AND table_name = ?
           ORDER BY column_index""",
        (schema, name),
    )
    return df["column_name"].tolist()


def all_columns() -> pd.DataFrame:
    return query(
        """SELECT schema_name AS schema, table_name AS "table", column_name AS "column",
                  data_type AS type, comment
           FROM duckdb_columns() WHERE database_name = current_database()
           ORDER BY schema_name, table_name, column_index"""
    )


def published_at() -> str:
    """Local time at which the published file was written."""
    _, _, mtime_ns, _ = file_key()
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(mtime_ns / 1e9))
