"""Build small warehouses directly (without the reader) for dbt, validation and board tests.

`load_rows` records one delivered file in the ledger and its rows in raw.<dataset>, exactly as
the loader would, so dbt's staging sees them as current.
"""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import duckdb

from pipelines.ingest.audit_schema import ensure_schema
from pipelines.ingest.contracts import all_contracts


def period_bounds(period: str) -> tuple[str, dt.date, dt.date]:
    """'2023' | '2023-Q2' | '2023-06' -> (kind, start, end)."""
    year = int(period[:4])
    if len(period) == 4:
        return "year", dt.date(year, 1, 1), dt.date(year, 12, 31)
    if "Q" in period:
        q = int(period[-1])
        end_month = q * 3
        return "quarter", dt.date(year, end_month - 2, 1), dt.date(
            year, end_month, calendar.monthrange(year, end_month)[1]
        )
    month = int(period[5:7])
    return "month", dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def open_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    ensure_schema(con)
    return con


def load_rows(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    period: str,
    rows: list[dict],
    *,
    revision: str | None = None,
    revision_rank: int = 1,
    status: str = "loaded",
    file_name: str | None = None,
) -> int:
    """Record a file for `dataset` and `period` with `rows` (dicts of contract fields); return load_id."""
    contract = all_contracts()[dataset]
    kind, start, end = period_bounds(period)
    load_id = con.execute("SELECT nextval('audit.load_id_seq')").fetchone()[0]
    path = f"{contract.folder}/{file_name or f'{period}_{load_id}.csv'}"
    con.execute(
        """INSERT INTO audit.load_ledger (load_id, file_path, sha256, department, dataset, period,
        period_kind, period_start, period_end, revision, revision_rank, status, rows_loaded,
        rows_quarantined, message, loaded_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, now())""",
        [load_id, path, f"sha-{load_id}", contract.department, dataset, period, kind, start, end,
         revision, revision_rank, status, len(rows)],
    )
    columns = list(contract.raw_columns())
    for i, row in enumerate(rows):
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"{dataset}: unknown columns {sorted(unknown)}")
        values = {**row, "_load_id": load_id, "_file_path": path, "_row_number": i + 4}
        cols = [c for c in columns if c in values]
        con.execute(
            f"INSERT INTO raw.{dataset} ({', '.join(f'{c!r}'.replace(chr(39), chr(34)) for c in cols)}) "
            f"VALUES ({', '.join('?' for _ in cols)})",
            [values[c] for c in cols],
        )
    return load_id
