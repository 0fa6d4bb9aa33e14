"""Land delivered files in the warehouse: one transaction per file, recorded in the load ledger.

A file already recorded (same path and bytes) is skipped, so a rerun changes nothing. The same
bytes under another name are a `duplicate`. Of the files of one dataset and period, the highest
revision is `loaded` and the others `superseded` (their rows stay in raw.<dataset> as history).
A file that cannot be read is `rejected` whole and never touches what is already loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.audit_schema import ensure_schema
from pipelines.ingest.contracts import Contract
from pipelines.ingest.periods import parse_file_name
from pipelines.ingest.reader import FileRejected, read_extract

# Office lock files and hidden files are never deliveries.
IGNORED_PREFIXES = (".", "~$")
EXTRACT_SUFFIXES = {".csv", ".xlsx", ".xls", ".txt"}


@dataclass
class FileOutcome:
    file_path: str
    status: str  # loaded, superseded, duplicate, rejected
    rows_loaded: int = 0
    rows_quarantined: int = 0
    message: str | None = None


@dataclass
class DatasetLoad:
    dataset: str
    department: str
    outcomes: list[FileOutcome] = field(default_factory=list)
    skipped: int = 0  # files already recorded by an earlier build

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def rows_loaded(self) -> int:
        return sum(o.rows_loaded for o in self.outcomes)

    @property
    def rows_quarantined(self) -> int:
        return sum(o.rows_quarantined for o in self.outcomes)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def discover_files(raw_dir: Path, contract: Contract) -> list[Path]:
    """Delivered files of one dataset, in a stable order (the order loads are recorded in)."""
    folder = raw_dir / contract.department / contract.dataset
    if not folder.is_dir():
        return []
    files = [
        p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(IGNORED_PREFIXES)
    ]
    return sorted(files, key=lambda p: p.relative_to(raw_dir).as_posix())


def load_dataset(
    con: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    contract: Contract,
    *,
    today: dt.date,
    progress: Callable[[str], None] | None = None,
) -> DatasetLoad:
    ensure_schema(con)
    result = DatasetLoad(contract.dataset, contract.department)
    files = discover_files(raw_dir, contract)
    recorded = _recorded_files(con, contract.dataset)
    for i, path in enumerate(files, 1):
        rel = path.relative_to(raw_dir).as_posix()
        try:
            sha = sha256_of(path)
        except FileNotFoundError:
            # Moved away while we were scanning (a sync still running): the next build sees it.
            continue
        if (rel, sha) in recorded:
            result.skipped += 1
            continue
        if progress:
            progress(f"[{contract.dataset} {i}/{len(files)}] {rel}")
        result.outcomes.append(_load_file(con, raw_dir, path, rel, sha, contract, today))
    return result


def _recorded_files(con, dataset: str) -> set[tuple[str, str]]:
    rows = con.execute(
        "SELECT file_path, sha256 FROM audit.load_ledger WHERE dataset = ?", [dataset]
    ).fetchall()
    return set(rows)


def _load_file(con, raw_dir, path, rel, sha, contract, today) -> FileOutcome:
    period, revision, rank = parse_file_name(path.name)
    base = {
        "file_path": rel,
        "sha256": sha,
        "department": contract.department,
        "dataset": contract.dataset,
        "period": period.period if period else None,
        "period_kind": period.kind if period else None,
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
        "revision": revision,
        "revision_rank": rank,
        "file_size": path.stat().st_size,
    }
    original = con.execute(
        "SELECT load_id, file_path FROM audit.load_ledger WHERE sha256 = ? ORDER BY load_id LIMIT 1",
        [sha],
    ).fetchone()
    if original is not None:
        msg = f"与已登记文件 {original[1]} 内容完全相同，不重复装载"
        _record(con, {**base, "status": "duplicate", "message": msg, "duplicate_of": original[0]})
        return FileOutcome(rel, "duplicate", message=msg)
    if suffix_unsupported(path):
        return _reject(
            con, base, "unreadable", f"文件 {rel} 的格式不受支持（仅接受 CSV、XLSX、XLS）"
        )
    if period is None:
        return _reject(
            con,
            base,
            "no_period",
            f"文件 {rel} 的文件名中没有可识别的统计期（如 2023年、2023年6月、2023Q2）",
        )
    try:
        read = read_extract(path, contract, period, today)
    except FileRejected as e:
        return _reject(con, base, e.reason_code, f"文件 {rel} 被拒收：{e.message}")
    return _land(con, base, read, contract)


def suffix_unsupported(path: Path) -> bool:
    return path.suffix.lower() not in EXTRACT_SUFFIXES


def _reject(con, base: dict, reason_code: str, message: str) -> FileOutcome:
    con.execute("BEGIN TRANSACTION")
    try:
        load_id = _record(
            con, {**base, "status": "rejected", "message": message, "reason_code": reason_code}
        )
        con.execute(
            """INSERT INTO audit.quarantine (load_id, file_path, dataset, sheet, row_number, column_name,
               field, reason_code, message, raw_value, quarantined_at)
               VALUES (?, ?, ?, NULL, NULL, NULL, NULL, ?, ?, NULL, now())""",
            [load_id, base["file_path"], base["dataset"], reason_code, message],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return FileOutcome(base["file_path"], "rejected", message=message)


def _land(con, base: dict, read, contract: Contract) -> FileOutcome:
    """Rows, quarantine, ledger row and revision bookkeeping in one transaction."""
    rel = base["file_path"]
    rows: pl.DataFrame = read.rows
    con.execute("BEGIN TRANSACTION")
    try:
        load_id = _record(
            con,
            {
                **base,
                "status": "loaded",
                "rows_loaded": rows.height,
                "rows_quarantined": len(read.issues),
                "message": "；".join(read.notes) or None,
            },
        )
        if rows.height:
            frame = rows.with_columns(
                pl.lit(load_id, dtype=pl.Int64).alias("_load_id"),
                pl.lit(rel).alias("_file_path"),
            ).to_arrow()
            con.register("_incoming", frame)
            cols = ", ".join(
                f'"{c}"'
                for c in contract.raw_columns()
                if c in rows.columns or c in ("_load_id", "_file_path")
            )
            con.execute(f"INSERT INTO raw.{contract.dataset} ({cols}) SELECT {cols} FROM _incoming")
            con.unregister("_incoming")
        if read.issues:
            # Through Arrow, not executemany: a file whose every row fails (a wrong deployment's
            # townships) can quarantine millions of rows.
            issues = pl.DataFrame(
                [
                    (i.sheet, i.row_number, i.column_name, i.field, i.reason_code, i.message,
                     None if i.raw_value is None else str(i.raw_value))
                    for i in read.issues
                ],
                schema={
                    "sheet": pl.Utf8,
                    "row_number": pl.Int64,
                    "column_name": pl.Utf8,
                    "field": pl.Utf8,
                    "reason_code": pl.Utf8,
                    "message": pl.Utf8,
                    "raw_value": pl.Utf8,
                },
                orient="row",
            ).to_arrow()
            con.register("_issues", issues)
            con.execute(
                """INSERT INTO audit.quarantine (load_id, file_path, dataset, sheet, row_number,
                   column_name, field, reason_code, message, raw_value, quarantined_at)
                   SELECT ?, ?, ?, sheet, row_number, column_name, field, reason_code, message,
                          raw_value, now()
                   FROM _issues""",
                [load_id, rel, contract.dataset],
            )
            con.unregister("_issues")
        status = _settle_revisions(con, contract.dataset, base["period"], load_id)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return FileOutcome(rel, status, rows.height, len(read.issues), "；".join(read.notes) or None)


def _settle_revisions(con, dataset: str, period: str, new_load_id: int) -> str:
    """Keep one current file per dataset and period: highest revision rank, ties to the later load."""
    candidates = con.execute(
        """SELECT load_id FROM audit.load_ledger
           WHERE dataset = ? AND period = ? AND status IN ('loaded', 'superseded')
           ORDER BY revision_rank DESC, load_id DESC""",
        [dataset, period],
    ).fetchall()
    current = candidates[0][0]
    con.execute(
        """UPDATE audit.load_ledger SET
             status = CASE WHEN load_id = ? THEN 'loaded' ELSE 'superseded' END,
             superseded_by = CASE WHEN load_id = ? THEN NULL ELSE ? END
           WHERE dataset = ? AND period = ? AND status IN ('loaded', 'superseded')""",
        [current, current, current, dataset, period],
    )
    return "loaded" if current == new_load_id else "superseded"


LEDGER_COLUMNS = (
    "file_path",
    "sha256",
    "department",
    "dataset",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "revision",
    "revision_rank",
    "status",
    "rows_loaded",
    "rows_quarantined",
    "message",
    "reason_code",
    "duplicate_of",
    "superseded_by",
    "file_size",
)


def _record(con, values: dict) -> int:
    load_id = con.execute("SELECT nextval('audit.load_id_seq')").fetchone()[0]
    row = {c: values.get(c) for c in LEDGER_COLUMNS}
    row["rows_loaded"] = row["rows_loaded"] or 0
    row["rows_quarantined"] = row["rows_quarantined"] or 0
    cols = ["load_id", *LEDGER_COLUMNS, "loaded_at"]
    con.execute(
        f"INSERT INTO audit.load_ledger ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols[:-1])}, now())",
        [load_id, *row.values()],
    )
    return load_id
