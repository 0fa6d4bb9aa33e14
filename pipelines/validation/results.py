"""audit.validation_results: one row per expectation per dataset per run, appended, never updated.

`audit.validation_latest` summarises each dataset's latest run (for the CLI and the boards: which
dataset is held back and why).
"""

from __future__ import annotations

import duckdb

VALIDATION_DDL = [
    "CREATE SCHEMA IF NOT EXISTS audit",
    "CREATE SEQUENCE IF NOT EXISTS audit.validation_result_id_seq START 1",
    """
    CREATE TABLE IF NOT EXISTS audit.validation_results (
      result_id BIGINT NOT NULL DEFAULT nextval('audit.validation_result_id_seq'),
      run_id VARCHAR NOT NULL,          -- Dagster run id, or the CLI's run id
      dataset VARCHAR NOT NULL,
      files VARCHAR[],                  -- current file paths checked (ledger status 'loaded')
      expectation VARCHAR NOT NULL,     -- the expectation's name in expectations/<dataset>.yaml
      expectation_type VARCHAR,         -- GX expectation type, e.g. expect_column_values_to_not_be_null
      kind VARCHAR,                     -- row_rule, completeness, uniqueness, volume, plausibility, consistency, no_data
      description_zh VARCHAR,
      severity VARCHAR NOT NULL,        -- error (blocks downstream), warning (flags), info
      success BOOLEAN NOT NULL,
      observed_value VARCHAR,
      failing_files VARCHAR[],          -- files named by the failing rows, where the frame carries them
      details VARCHAR,                  -- JSON: frame, failing rows (first 20), exception
      checked_at TIMESTAMP NOT NULL,
      fingerprint VARCHAR               -- digest of the inputs (current files, suite, code, day)
    )
    """,
    "ALTER TABLE audit.validation_results ADD COLUMN IF NOT EXISTS fingerprint VARCHAR",
    """
    CREATE OR REPLACE VIEW audit.validation_latest AS
    WITH ranked AS (
        SELECT dataset, run_id, max(checked_at) AS checked_at
        FROM audit.validation_results GROUP BY dataset, run_id
    ), latest AS (
        SELECT * FROM ranked QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY checked_at DESC) = 1
    )
    SELECT
        l.dataset, l.run_id, l.checked_at,
        count(*) FILTER (WHERE r.severity IN ('error', 'warning')) AS expectations,
        count(*) FILTER (WHERE NOT r.success AND r.severity = 'error') AS errors,
        count(*) FILTER (WHERE NOT r.success AND r.severity = 'warning') AS warnings,
        count(*) FILTER (WHERE NOT r.success AND r.severity = 'error') > 0 AS blocked,
        bool_or(r.kind = 'no_data') AS no_data,
        string_agg(r.description_zh, '；' ORDER BY r.result_id) FILTER (WHERE NOT r.success) AS failed_zh
    FROM latest l JOIN audit.validation_results r USING (dataset, run_id)
    GROUP BY l.dataset, l.run_id, l.checked_at
    """,
]

INSERT_SQL = """
INSERT INTO audit.validation_results (run_id, dataset, files, expectation, expectation_type, kind,
    description_zh, severity, success, observed_value, failing_files, details, checked_at, fingerprint)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def ensure_validation_schema(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in VALIDATION_DDL:
        con.execute(stmt)


def append_results(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """Append rows in INSERT_SQL's column order (append only: nothing is updated or deleted)."""
    if rows:
        con.executemany(INSERT_SQL, rows)
