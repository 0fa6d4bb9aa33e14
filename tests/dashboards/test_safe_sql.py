"""The SQL page's query runner refuses writes, ATTACH, COPY and file access, and stops runaways."""

from __future__ import annotations

import time

import duckdb
import pytest

from dashboards import safe_sql

REFUSED = [
    "INSERT INTO marts.indicator_values VALUES ('X', 2024, '500110', 1, NULL, NULL, NULL)",
    "UPDATE marts.indicator_progress SET status = 'met'",
    "DELETE FROM audit.load_ledger",
    "DROP TABLE marts.indicator_values",
    "CREATE TABLE marts.x AS SELECT 1",
    "ATTACH '/tmp/other.duckdb' AS other",
    "ATTACH ':memory:' AS m",
    "COPY marts.indicator_values TO '/tmp/out.csv'",
    "COPY (SELECT 1) TO '/tmp/out.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '/tmp/dump'",
    "INSTALL httpfs",
    "LOAD httpfs",
    "PRAGMA version",
    "SET enable_external_access = true",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_csv_auto('/etc/passwd')",
    "SELECT * FROM '/etc/passwd'",
    "SELECT * FROM read_text('/etc/passwd')",
    "SELECT * FROM read_parquet('/tmp/*.parquet')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT 1; DROP TABLE marts.indicator_values",
    "CALL pragma_version()",
    "",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_refused(sql, board_env):
    with pytest.raises(safe_sql.RefusedQuery):
        safe_sql.run(sql)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM marts.indicator_progress",
    "WITH p AS (SELECT * FROM marts.indicator_progress) SELECT count(*) FROM p",
    "FROM marts.indicator_values LIMIT 3",
    "DESCRIBE marts.indicator_values",
    "SHOW ALL TABLES",
    "SUMMARIZE marts.indicator_values",
    "SELECT 'ATTACH and COPY are only words here' AS note",
])
def test_allowed(sql, board_env):
    assert len(safe_sql.run(sql).frame) >= 1


def test_connection_itself_blocks_files_and_writes(board_env):
    """Defence in depth: even past the allow-list the connection cannot read files or write."""
    con = safe_sql.connect()
    try:
        with pytest.raises(duckdb.PermissionException):
            con.execute("SELECT * FROM read_csv('/etc/passwd')").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE marts.x AS SELECT 1")
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
    finally:
        con.close()


def test_row_limit(board_env):
    res = safe_sql.run("SELECT * FROM range(50000)", max_rows=1000)
    assert len(res.frame) == 1000 and res.truncated


@pytest.mark.parametrize("sql", ["SELECT count(*) FROM range(1e12::BIGINT)",
                                 "SELECT count(*) FROM range(1000000000000)"])
def test_runaway_query_stopped_at_time_limit(sql, board_env):
    start = time.monotonic()
    with pytest.raises(safe_sql.QueryTimeout):
        safe_sql.run(sql, time_limit=1.0)
    assert time.monotonic() - start < 5
    assert len(safe_sql.run("SELECT 1").frame) == 1  # the next query works


def test_range_of_a_double_is_an_error_not_a_hang(board_env):
    with pytest.raises(duckdb.Error):
        safe_sql.run("SELECT count(*) FROM range(1e12)", time_limit=2.0)


@pytest.mark.parametrize("sql", [
    "SELECT * FROM raw.forest_fires",
    "SELECT COLUMNS(*) FROM raw.production_accidents",
    "SELECT cause FROM raw.forest_fires",
    "SELECT t.location AS l FROM raw.forest_fires t",
    "SELECT f FROM raw.forest_fires f",
    "SELECT to_json(f) FROM raw.forest_fires AS f",
    "SUMMARIZE raw.production_accidents",
    "WITH x AS (SELECT summary AS s FROM raw.production_accidents) SELECT s FROM x",
    "SELECT * FROM query('SELECT summary FROM raw.production_accidents')",
])
def test_private_fields_never_shown(sql, board_env):
    with pytest.raises(safe_sql.RefusedQuery):
        safe_sql.run(sql)


def test_other_fields_of_a_private_table_are_queryable(board_env):
    res = safe_sql.run("SELECT fire_id, damaged_forest_ha FROM raw.forest_fires ORDER BY fire_id")
    assert res.frame["fire_id"].tolist() == ["LH2023-01", "LH2024-01"]
