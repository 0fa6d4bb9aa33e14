"""Read-only access to the published warehouse.

One read-only connection per page render: `app.py` runs each page inside `render()`, which opens
the published copy on the first query that is not cached, reuses that connection for every other
query of the same script run and closes it when the run ends (normally, by st.stop or by a
rerun). No connection outlives a render, so a build swapping the file (os.replace) is never held
up and the next render opens the new file.

Results (DataFrames, never connections) are cached with `st.cache_data` keyed on the published
file's version (inode, mtime, size): a new publish shows without a restart. A render reads one
version: its key is fixed on first use and is the version its connection has open.

DuckDB keeps one database instance per path while any connection to it is open, so a connection
opened while another render still holds the previous version would read the old file. The
process's open connections are tracked with their version; in that case the new file is attached
to a fresh in-memory instance instead (slower, but never stale).
"""

from __future__ import annotations

import contextvars
import os
import re
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pipelines import settings

RETRIES = 6
RETRY_DELAY_S = 0.25
# Same configuration for every connection of this process (DuckDB shares one instance per file).
CONNECT_CONFIG = {"enable_external_access": False, "threads": 2, "memory_limit": "1GB"}
OPEN_ERRORS = (duckdb.IOException, duckdb.ConnectionException, duckdb.InvalidInputException)


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


# --- connections -------------------------------------------------------------------------------

_LOCK = threading.Lock()
# path -> [(weakref to a connection opened on that path's shared instance, its file version)]
_LIVE: dict[str, list[tuple[weakref.ref, tuple]]] = {}


def _live_versions(path: str) -> set[tuple]:
    entries = [(ref, key) for ref, key in _LIVE.get(path, []) if ref() is not None]
    _LIVE[path] = entries
    return {key for _, key in entries}


def _forget(con: duckdb.DuckDBPyConnection) -> None:
    with _LOCK:
        for path, entries in _LIVE.items():
            _LIVE[path] = [(ref, key) for ref, key in entries if ref() is not None and ref() is not con]


def _attach_fresh(path: Path) -> duckdb.DuckDBPyConnection:
    """The file at `path` attached read-only to a new in-memory instance (bypasses the cache)."""
    con = duckdb.connect(":memory:", config={k: v for k, v in CONNECT_CONFIG.items()
                                              if k != "enable_external_access"})
    try:
        con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS published (READ_ONLY)")
        con.execute("USE published")
        con.execute("SET enable_external_access = false")
    except BaseException:
        con.close()
        raise
    return con


def open_version(path: Path | str | None = None,
                 retries: int = RETRIES) -> tuple[duckdb.DuckDBPyConnection, tuple]:
    """A read-only connection to the published copy and the file version it was opened at.

    The version is taken just before opening, so the connection holds that version or, if a
    publish lands in between, a newer one: rows are never cached under a newer version than
    theirs. Retried a few times (file being swapped). Close it with `close()`.
    """
    path = Path(path or published())
    last: Exception | None = None
    for attempt in range(retries):
        key = file_key(path)  # WarehouseMissing when absent
        with _LOCK:
            stale = bool(_live_versions(str(path)) - {key})
            try:
                if stale:
                    con = _attach_fresh(path)
                else:
                    con = duckdb.connect(str(path), read_only=True, config=CONNECT_CONFIG)
            except OPEN_ERRORS as exc:
                last = exc
            else:
                if not stale:
                    _LIVE.setdefault(str(path), []).append((weakref.ref(con), key))
                return con, key
        time.sleep(RETRY_DELAY_S * (attempt + 1))
    raise RuntimeError(f"无法打开已发布数据库：{last}")


def connect(path: Path | str | None = None, retries: int = RETRIES) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the published copy (see open_version)."""
    return open_version(path, retries)[0]


def close(con: duckdb.DuckDBPyConnection | None) -> None:
    if con is not None:
        try:
            con.close()
        finally:
            _forget(con)


def fetch(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence = ()) -> pd.DataFrame:
    """Every board query goes through here (the benchmark records the pages' SQL at this point)."""
    return con.execute(sql, list(params)).df()


def run_query(sql: str, params: Sequence = ()) -> pd.DataFrame:
    """Uncached query on a connection of its own."""
    con = connect()
    try:
        return fetch(con, sql, params)
    finally:
        close(con)


# --- one connection per render -----------------------------------------------------------------


class Render:
    """What one script run reads: one file version, one connection opened on first need."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path or published())
        self.key: tuple | None = None
        self.con: duckdb.DuckDBPyConnection | None = None
        self.con_key: tuple | None = None

    def version(self) -> tuple:
        if self.key is None:
            self.key = file_key(self.path)
        return self.key

    def connection(self) -> tuple[duckdb.DuckDBPyConnection, tuple]:
        if self.con is None:
            self.con, self.con_key = open_version(self.path)
        return self.con, self.con_key

    def close(self) -> None:
        con, self.con = self.con, None
        close(con)


_CURRENT: contextvars.ContextVar[Render | None] = contextvars.ContextVar("emstats_render", default=None)


@contextmanager
def render() -> Iterator[Render]:
    """Run a page with one connection for all its uncached queries, closed when the block ends."""
    current = _CURRENT.get()
    if current is not None:  # nested: the outer render owns the connection
        yield current
        return
    r = Render()
    token = _CURRENT.set(r)
    try:
        yield r
    finally:
        _CURRENT.reset(token)
        r.close()


class _VersionMoved(Exception):
    """A publish landed between the render's first look at the file and opening its connection."""

    def __init__(self, key: tuple):
        super().__init__(key)
        self.key = key


@st.cache_data(ttl=3600, max_entries=512, show_spinner=False)
def _cached(key: tuple, sql: str, params: tuple, missing_ok: bool = False) -> pd.DataFrame | None:
    r = _CURRENT.get()
    con, con_key = r.connection()
    if con_key != key:
        raise _VersionMoved(con_key)  # never cache a newer file's rows under an older key
    try:
        return fetch(con, sql, params)
    except duckdb.CatalogException:
        if missing_ok:  # a table that is not there (yet) is an answer, cached like any other
            return None
        raise


def _query(sql: str, params: Sequence, missing_ok: bool) -> pd.DataFrame | None:
    r = _CURRENT.get()
    if r is None:  # outside a page render (scripts, tests): a render of one query
        with render():
            return _query(sql, params, missing_ok)
    try:
        df = _cached(r.version(), sql, tuple(params), missing_ok)
    except _VersionMoved as moved:
        r.key = moved.key
        df = _cached(r.key, sql, tuple(params), missing_ok)
    return None if df is None else df.copy()


def query(sql: str, params: Sequence = ()) -> pd.DataFrame:
    """Cached query on the render's connection, invalidated whenever the published file changes."""
    return _query(sql, params, missing_ok=False)


def version() -> tuple:
    """The file version this render reads (the current one outside a render)."""
    r = _CURRENT.get()
    return r.version() if r is not None else file_key()


# --- catalog -----------------------------------------------------------------------------------


def tables() -> pd.DataFrame:
    """schema, name, comment of every table and view in the published warehouse.

    The one catalog query (for the SQL page's table list), cached per file version.
    """
    return query(
        """SELECT schema_name AS schema, table_name AS name, comment FROM duckdb_tables()
           WHERE database_name = current_database()
           UNION ALL
           SELECT schema_name, view_name, comment FROM duckdb_views()
           WHERE database_name = current_database() AND NOT internal
           ORDER BY 1, 2"""
    )


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def table_columns(qualified: str) -> list[str] | None:
    """Column names of a table or view of the published warehouse, None when it does not exist.

    A zero-row select of the one object (cached per file version) instead of listing the whole
    catalog: the pages only ever ask about tables they know by name.
    """
    parts = qualified.split(".")
    if len(parts) != 2 or not all(_IDENT.match(p) for p in parts):
        raise ValueError(f"not a schema.table name: {qualified!r}")
    try:
        df = _query(f'SELECT * FROM "{parts[0]}"."{parts[1]}" LIMIT 0', (), missing_ok=True)
    except WarehouseMissing:
        return None
    return None if df is None else [str(c) for c in df.columns]


def has_table(qualified: str) -> bool:
    return table_columns(qualified) is not None


def columns(qualified: str) -> list[str]:
    return table_columns(qualified) or []


def all_columns() -> pd.DataFrame:
    return query(
        """SELECT schema_name AS schema, table_name AS "table", column_name AS "column",
                  data_type AS type, comment
           FROM duckdb_columns() WHERE database_name = current_database()
           ORDER BY schema_name, table_name, column_index"""
    )


def published_at() -> str:
    """Local time at which the published file (the version this render reads) was written."""
    _, _, mtime_ns, _ = version()
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(mtime_ns / 1e9))
