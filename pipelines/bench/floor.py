"""The floor: bare DuckDB reading every extract's rows into tables, nothing else.

Each file becomes one table in a fresh DuckDB file (same memory_limit, threads and spill directory
as the pipeline): CSV through DuckDB's own `read_csv` (GB18030 files are transcoded to UTF-8
first, since DuckDB reads UTF-8 only; the transcoding is timed as part of the floor), workbooks
through calamine (.xlsx) / xlrd (.xls) into Arrow, every sheet. Cells stay text (`all_varchar`): no header aliases, units,
townships, periods, revisions, validation or history. The header line is the first of the top
lines with the most non-empty cells (title and units rows have one).

    python -m pipelines.bench.floor RAW_DIR DB OUT.json
"""

from __future__ import annotations

import csv
import io
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines import settings

SUFFIXES = {".csv", ".txt", ".xlsx", ".xls"}


def extract_files(raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                  and not p.name.startswith((".", "~$")))


def _header_index(lines: list[list]) -> int:
    counts = [sum(1 for c in row if c not in ("", None)) for row in lines]
    return counts.index(max(counts)) if counts else 0


def _csv_source(path: Path, tmp: Path) -> tuple[Path, int]:
    """(a UTF-8 file DuckDB can read, lines to skip before the header)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
        src = path
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
        src = tmp / f"{abs(hash(path))}.csv"
        src.write_text(text, "utf-8")
    head = list(csv.reader(io.StringIO("\n".join(text[:65536].splitlines()[:12]))))
    return src, _header_index(head)


def _workbook_sheets(path: Path) -> list[list[list]]:
    """Every sheet's cells: .xlsx through calamine (the fastest reader there is for Python, as
    the pipeline uses), .xls through xlrd."""
    raw = path.read_bytes()
    if raw[:2] == b"PK":
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        try:
            return [wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names]
        finally:
            wb.close()
    import xlrd

    book = xlrd.open_workbook(file_contents=raw)
    return [[sh.row_values(i) for i in range(sh.nrows)] for sh in book.sheets()]


def load_all(raw_dir: Path, db: Path) -> dict:
    cfg = settings.duckdb_config()
    cfg["temp_directory"] = f"{db}.tmp"
    con = duckdb.connect(str(db), config=cfg)
    files = extract_files(raw_dir)
    rows = 0
    failed: list[str] = []
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=db.parent) as tmpdir:
        tmp = Path(tmpdir)
        for i, path in enumerate(files):
            table = f"t{i}"
            try:
                if path.suffix.lower() in (".xlsx", ".xls"):
                    for k, grid in enumerate(_workbook_sheets(path)):
                        h = _header_index(grid[:12])
                        width = max((len(r) for r in grid), default=0)
                        cols = {f"c{j}": [None if j >= len(r) or r[j] in (None, "") else str(r[j])
                                          for r in grid[h + 1:]] for j in range(width)}
                        arrow = pa.table(cols) if cols else pa.table({"c0": pa.array([], pa.string())})
                        con.register("arrow_in", arrow)
                        con.execute(f"CREATE TABLE {table}_{k} AS SELECT * FROM arrow_in")
                        con.unregister("arrow_in")
                        rows += con.execute(f"SELECT count(*) FROM {table}_{k}").fetchone()[0]
                else:
                    src, skip = _csv_source(path, tmp)
                    con.execute(
                        f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, skip={skip}, header=true, "
                        "all_varchar=true, null_padding=true, strict_mode=false, ignore_errors=true)",
                        [str(src)],
                    )
                    rows += con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            except Exception as e:  # a corrupt file: the floor skips it too
                failed.append(f"{path.relative_to(raw_dir)}: {type(e).__name__}")
        con.execute("CHECKPOINT")
    seconds = time.perf_counter() - t0
    con.close()
    return {"files": len(files), "rows": rows, "failed": failed, "seconds_in_process": seconds,
            "bytes": sum(p.stat().st_size for p in files)}


def main(argv: list[str]) -> int:
    raw_dir, db, out = Path(argv[0]), Path(argv[1]), Path(argv[2])
    for p in (db, Path(f"{db}.wal")):
        p.unlink(missing_ok=True)
    result = load_all(raw_dir, db)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
