"""DDL of the audit schema and the raw landing tables."""

from __future__ import annotations

import duckdb

from pipelines.ingest.contracts import all_contracts

AUDIT_DDL = [
    "CREATE SCHEMA IF NOT EXISTS audit",
    "CREATE SCHEMA IF NOT EXISTS raw",
    "CREATE SEQUENCE IF NOT EXISTS audit.load_id_seq START 1",
    """
    CREATE TABLE IF NOT EXISTS audit.load_ledger (
      load_id BIGINT PRIMARY KEY,
      file_path VARCHAR NOT NULL,      -- relative to the landing zone, '/'-separated
      sha256 VARCHAR NOT NULL,
      department VARCHAR,
      dataset VARCHAR,
      period VARCHAR,                  -- YYYY, YYYY-Qn or YYYY-MM
      period_kind VARCHAR,             -- year, quarter, month
      period_start DATE,
      period_end DATE,
      revision VARCHAR,                -- as written in the file name, or NULL
      revision_rank INTEGER,           -- total order of revisions (datasets.md Rules)
      status VARCHAR NOT NULL,         -- loaded, superseded, duplicate, rejected
      rows_loaded BIGINT NOT NULL DEFAULT 0,
      rows_quarantined BIGINT NOT NULL DEFAULT 0,
      message VARCHAR,                 -- Chinese, for the bureau
      reason_code VARCHAR,             -- for rejected files
      duplicate_of BIGINT,             -- load_id of the file with the same bytes
      superseded_by BIGINT,            -- load_id of the newer revision
      file_size BIGINT,
      loaded_at TIMESTAMP NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS audit.quarantine (
      load_id BIGINT NOT NULL,
      file_path VARCHAR NOT NULL,
      dataset VARCHAR,
      sheet VARCHAR,                   -- NULL for CSV
      row_number INTEGER,              -- as a person sees it; NULL for a rejected file
      column_name VARCHAR,             -- the header as written in the file
      field VARCHAR,                   -- the contract's field name
      reason_code VARCHAR NOT NULL,
      message VARCHAR NOT NULL,        -- Chinese
      raw_value VARCHAR,
      quarantined_at TIMESTAMP NOT NULL
    )
    """,
]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing; a warehouse that has every table is left untouched (cheap check)."""
    expected = {("audit", "load_ledger"), ("audit", "quarantine")} | {
        ("raw", name) for name in all_contracts()
    }
    present = set(
        con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_catalog = current_database() AND table_schema IN ('raw', 'audit')"
        ).fetchall()
    )
    if expected <= present:
        return
    for stmt in AUDIT_DDL:
        con.execute(stmt)
    for contract in all_contracts().values():
        con.execute(contract.raw_table_ddl())
