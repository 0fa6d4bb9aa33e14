"""Read-only SQL for statisticians over the published warehouse.

Defence in depth: a statement allow-list (one SELECT-like statement, no file-reading functions),
then a read-only connection with external access disabled and the configuration locked, a row
limit and a time limit enforced by interrupting the connection from a timer thread.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dashboards import data

MAX_ROWS = 10_000
TIME_LIMIT_S = 20.0
ALLOWED_FIRST = {"SELECT", "WITH", "FROM", "VALUES", "DESCRIBE", "DESC", "SHOW", "SUMMARIZE",
                 "TABLE", "EXPLAIN", "("}
FORBIDDEN_WORDS = {"ATTACH", "DETACH", "COPY", "INSTALL", "LOAD", "PRAGMA", "SET", "RESET", "CREATE",
                   "INSERT", "UPDATE", "DELETE", "DROP", "ALTER", "EXPORT", "IMPORT", "CALL", "USE",
                   "CHECKPOINT", "VACUUM", "TRUNCATE", "MERGE", "GRANT", "BEGIN", "COMMIT"}
FILE_FUNCTIONS = re.compile(
    r"\b(read_\w+|\w+_scan|glob|sniff_csv|parquet_\w+|st_read\w*|iceberg_\w+|delta_\w+|"
    r"http\w*|getenv|current_setting|duckdb_secrets|duckdb_extensions|which_secret|"
    r"query|query_table)\s*\(",
    re.IGNORECASE,
)
# A quoted string where a table is expected ("FROM '/etc/passwd'") is a replacement scan of a file.
FILE_AS_TABLE = re.compile(r"\b(FROM|JOIN)\s*\(?\s*'", re.IGNORECASE)


class RefusedQuery(ValueError):
    """The statement is not allowed on the SQL page (message in Chinese)."""


class QueryTimeout(RuntimeError):
    """The query ran past the time limit and was interrupted."""


@dataclass
class Result:
    frame: pd.DataFrame
    truncated: bool
    seconds: float


def _strip(sql: str) -> str:
    """The SQL without comments and string literals (for the keyword checks)."""
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.DOTALL)
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


def check(sql: str) -> str:
    """Return the single allowed statement, or raise RefusedQuery saying why."""
    sql = sql.strip().rstrip(";").strip()
    if not sql:
        raise RefusedQuery("请输入一条查询语句。")
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise RefusedQuery(f"语句无法解析：{exc}") from exc
    if len(statements) != 1:
        raise RefusedQuery("一次只能执行一条查询语句。")
    if statements[0].type not in (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN):
        raise RefusedQuery(f"只允许查询（SELECT 等），不允许 {statements[0].type.name} 语句。")
    bare = _strip(sql)
    words = re.findall(r"[A-Za-z_]+|\(", bare)
    if not words or words[0].upper() not in ALLOWED_FIRST:
        raise RefusedQuery("只允许以 SELECT、WITH、FROM、DESCRIBE、SHOW、SUMMARIZE 开头的查询。")
    bad = sorted({w.upper() for w in words} & FORBIDDEN_WORDS)
    if bad:
        raise RefusedQuery(f"查询中不允许使用：{'、'.join(bad)}（只读、不可修改数据或设置）。")
    if FILE_FUNCTIONS.search(bare) or FILE_AS_TABLE.search(sql):
        raise RefusedQuery("不允许读取文件或外部资源，只能查询数据库中的表。")
    return sql


@functools.cache
def private_fields() -> frozenset[str]:
    """Free-text fields that may carry names or ID numbers (contracts: private: true)."""
    from pipelines.ingest.contracts import all_contracts

    return frozenset(f.name for c in all_contracts().values() for f in c.fields if f.private)


def _walk(node, tables: list[str], refs: list[list[str]], flags: set[str]) -> None:
    if isinstance(node, dict):
        if node.get("table_name"):
            tables.append(str(node["table_name"]).lower())
            if node.get("alias"):
                tables.append(str(node["alias"]).lower())
        if node.get("class") == "COLUMN_REF":
            refs.append([str(n).lower() for n in node.get("column_names", [])])
        if node.get("class") == "STAR":
            flags.add("star")
        for v in node.values():
            _walk(v, tables, refs, flags)
    elif isinstance(node, list):
        for v in node:
            _walk(v, tables, refs, flags)


def check_private(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Refuse queries that could show private free-text fields (names, ID and phone numbers)."""
    private = private_fields()
    if not private:
        return
    marks = ", ".join("?" for _ in private)
    rows = con.execute(
        f"SELECT DISTINCT lower(table_name) FROM duckdb_columns() WHERE column_name IN ({marks})",
        list(private)).fetchall()
    guarded = {r[0] for r in rows}
    words = {w.lower() for w in re.findall(r"\w+", _strip(sql))}
    if not guarded & words:
        return
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()[0])
    tables: list[str] = []
    refs: list[list[str]] = []
    flags: set[str] = set()
    if tree.get("error"):
        flags.add("unparsed")
    _walk(tree.get("statements", []), tables, refs, flags)
    leaks = (flags
             or any(r and r[-1] in private for r in refs)
             or any(len(r) == 1 and r[0] in tables for r in refs))
    if leaks:
        raise RefusedQuery(
            f"所查询的表含个人信息字段（{'、'.join(sorted(private))}），不能整行查询或查询这些字段；"
            "请列出所需的其他字段。")


def connect(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection whose configuration is locked with external access off."""
    con = data.connect(path)
    try:
        external, locked = con.execute(
            "SELECT current_setting('enable_external_access'), current_setting('lock_configuration')"
        ).fetchone()
        if external and not locked:
            con.execute("SET enable_external_access = false")
        if not locked:
            con.execute("SET lock_configuration = true")
        external, locked = con.execute(
            "SELECT current_setting('enable_external_access'), current_setting('lock_configuration')"
        ).fetchone()
        if external or not locked:
            raise RefusedQuery("查询连接未能锁定为只读安全配置，已拒绝执行。")
    except BaseException:
        data.close(con)
        raise
    return con


def run(sql: str, max_rows: int = MAX_ROWS, time_limit: float = TIME_LIMIT_S,
        path: Path | None = None) -> Result:
    """Check and run one query; at most max_rows rows, interrupted after time_limit seconds."""
    sql = check(sql)
    con = connect(path)
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(time_limit, stop)
    start = time.monotonic()
    timer.start()
    try:
        check_private(con, sql)
        cur = con.execute(sql)
        names = [d[0] for d in cur.description or []]
        rows = cur.fetchmany(max_rows + 1)
    except duckdb.InterruptException as exc:
        raise QueryTimeout(f"查询超过时间限制（{time_limit:g} 秒），已中止。") from exc
    except duckdb.Error as exc:
        if timed_out.is_set():
            raise QueryTimeout(f"查询超过时间限制（{time_limit:g} 秒），已中止。") from exc
        raise
    finally:
        timer.cancel()
        data.close(con)
    truncated = len(rows) > max_rows
    frame = pd.DataFrame(rows[:max_rows], columns=names)
    return Result(frame, truncated, time.monotonic() - start)
