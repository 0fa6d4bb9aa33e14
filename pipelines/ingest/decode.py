"""Open a delivered file into sheets of raw cells, each row with the number a person sees.

CSV is decoded in Python (DuckDB cannot read GBK): strict UTF-8 (BOM or not) first, then
GB18030, the superset of the GBK that Chinese office software writes. Excel cells keep their
Python types (numbers, datetimes, booleans); error cells come back as their text (#REF!).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.ingest.issues import FileRejected

Row = tuple[int, list[Any]]  # (row number as a person sees it, cells)

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
XLS_SUFFIXES = {".xls"}
_DELIMITERS = (",", "\t", ";")
_SNIFF_LINES = 40


@dataclass
class Sheet:
    name: str | None  # None for CSV
    rows: list[Row] = field(default_factory=list)


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet of the file (one for CSV). Raises FileRejected(unreadable | empty_file)."""
    suffix = path.suffix.lower()
    try:
        if suffix in CSV_SUFFIXES:
            sheets = [_read_csv(path)]
        elif suffix in XLSX_SUFFIXES:
            sheets = _read_xlsx(path)
        elif suffix in XLS_SUFFIXES:
            sheets = _read_xls(path)
        else:
            raise FileRejected(
                "unreadable", f"不支持的文件类型“{path.suffix}”（应为 CSV、xlsx 或 xls）"
            )
    except FileRejected:
        raise
    except Exception as exc:  # a corrupt workbook raises whatever its parser raises
        raise FileRejected("unreadable", f"文件无法打开（{type(exc).__name__}）") from exc
    if not any(any(not is_blank(c) for c in cells) for s in sheets for _, cells in s.rows):
        raise FileRejected("empty_file", "文件为空，没有任何内容")
    return sheets


# --- CSV -------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        return data.decode("utf-16")
    if b"\x00" in data:
        raise FileRejected("unreadable", "文件不是文本文件（含有二进制内容）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("unreadable", "文件编码无法识别（应为 UTF-8 或 GBK/GB18030）")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number (> 1) of fields."""
    sample = [line for line in text.splitlines()[:_SNIFF_LINES] if line.strip()]
    best, best_score = ",", (0, 0)
    for delim in _DELIMITERS:
        counts: dict[int, int] = {}
        for fields in csv.reader(sample, delimiter=delim):
            if len(fields) > 1:
                counts[len(fields)] = counts.get(len(fields), 0) + 1
        if counts:
            width = max(counts, key=lambda w: (counts[w], w))
            score = (counts[width], width)
            if score > best_score:
                best, best_score = delim, score
    return best


def _read_csv(path: Path) -> Sheet:
    if path.stat().st_size == 0:
        raise FileRejected("empty_file", "文件为空（0 字节）")
    text = decode_text(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[Row] = []
    next_line = 1
    try:
        for cells in reader:
            # A quoted field may span lines: the record is numbered by the line it starts on.
            rows.append((next_line, cells))
            next_line = reader.line_num + 1
    except csv.Error as exc:
        raise FileRejected("unreadable", f"CSV 格式错误（第{next_line}行）：{exc}") from exc
    return Sheet(None, rows)


# --- Excel -----------------------------------------------------------------------------------


def _read_xlsx(path: Path) -> list[Sheet]:
    import openpyxl

    if not zipfile.is_zipfile(path):
        raise FileRejected("unreadable", "文件不是有效的 xlsx 工作簿")
    # data_only: the cached values, not formulas; an error cell reads as its text ("#REF!").
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = []
        for ws in wb.worksheets:
            rows: list[Row] = []
            # Read-only mode starts at row 1 and yields empty rows for gaps, so the position
            # is the spreadsheet row number.
            for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
                rows.append((i, list(values)))
            sheets.append(Sheet(ws.title, rows))
        return sheets
    finally:
        wb.close()


def _read_xls(path: Path) -> list[Sheet]:
    import xlrd

    book = xlrd.open_workbook(str(path), on_demand=True)
    try:
        sheets = []
        for idx in range(book.nsheets):
            sh = book.sheet_by_index(idx)
            rows: list[Row] = []
            for r in range(sh.nrows):
                rows.append((r + 1, [_xls_cell(book, c) for c in sh.row(r)]))
            sheets.append(Sheet(sh.name, rows))
        return sheets
    finally:
        book.release_resources()


def _xls_cell(book: Any, cell: Any) -> Any:
    import xlrd

    ctype = cell.ctype
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, book.datemode)
        except Exception:
            return cell.value
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#N/A")
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value
