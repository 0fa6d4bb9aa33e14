"""Open a delivered file into sheets of raw cells, each row with the number a person sees.

Rows are streamed (`open_sheets`), so a file of millions of rows is never held in memory.
CSV is decoded in Python (DuckDB cannot read GBK): strict UTF-8 (BOM or not) first, then
GB18030, the superset of the GBK that Chinese office software writes. Excel cells keep their
Python types (numbers, datetimes, booleans); error cells come back as their text (#REF!).
The workbook format is taken from the bytes, not the suffix (an .xls that is really .xlsx).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from pipelines.ingest.issues import FileRejected

Row = tuple[int, list[Any]]  # (row number as a person sees it, cells)

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_ZIP_MAGIC = b"PK\x03\x04"  # xlsx
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # xls (BIFF in an OLE2 container)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode text" export
_DELIMITERS = (",", "\t", ";")
_SNIFF_CHARS = 64 * 1024
_CHUNK = 1 << 20
_MAX_FIELD_CHARS = 16 * 1024 * 1024


@dataclass(frozen=True)
class CsvSource:
    """What a CSV sheet was read with, so frames.csv_frames can read it again column-wise."""

    path: Path
    encoding: str
    delimiter: str


@dataclass
class Sheet:
    name: str | None  # None for CSV
    rows: Iterable[Row]  # streamed: iterate once
    csv: CsvSource | None = None  # CSV only


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


@contextmanager
def open_sheets(path: Path) -> Iterator[list[Sheet]]:
    """The sheets of the file (one for CSV), rows streamed while the context is open.

    Raises FileRejected(unreadable | empty_file) on opening, and FileRejected(unreadable) from
    the row iterators when the file breaks part-way. Emptiness beyond a 0-byte file is for the
    caller to see: it reads the rows anyway.
    """
    path = Path(path)
    kind = _kind(path)
    if kind == "csv":
        book: _Csv | _Xlsx | _Xls = _Csv(path, detect_encoding(path))
    else:
        try:
            book = _Xlsx(path) if kind == "xlsx" else _Xls(path)
        except Exception as exc:  # a corrupt workbook raises whatever its parser raises
            raise FileRejected("unreadable", f"工作簿无法打开（{type(exc).__name__}）") from exc
    streams = [(name, _guarded(rows)) for name, rows in book.sheets()]
    source = book.source if isinstance(book, _Csv) else None
    try:
        yield [Sheet(name, rows, source) for name, rows in streams]
    finally:
        for _, rows in streams:
            rows.close()  # releases an open CSV file even when reading stopped early
        book.close()


def read_sheets(path: Path) -> list[Sheet]:
    """Every sheet with its rows as a list (small files, tests). Raises like open_sheets, and
    FileRejected(empty_file) when no sheet has a non-blank cell."""
    with open_sheets(path) as sheets:
        sheets = [Sheet(s.name, list(s.rows)) for s in sheets]
    if not any(not is_blank(c) for s in sheets for _, cells in s.rows for c in cells):
        raise FileRejected("empty_file", "文件为空，没有任何内容")
    return sheets


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES:
        raise FileRejected(
            "unreadable", f"不支持的文件类型“{path.suffix}”（应为 CSV、xlsx 或 xls）"
        )
    if path.stat().st_size == 0:
        raise FileRejected("empty_file", "文件为空（0 字节）")
    if suffix in CSV_SUFFIXES:
        return "csv"
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == _ZIP_MAGIC:
        return "xlsx"
    if magic == _OLE_MAGIC:
        return "xls"
    raise FileRejected("unreadable", "文件不是有效的 Excel 工作簿（xlsx 或 xls）")


def _guarded(rows: Iterator[Row]) -> Iterator[Row]:
    """A file that breaks part-way is unreadable, whatever its parser raised."""
    try:
        yield from rows
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected("unreadable", f"文件读取中断（{type(exc).__name__}: {exc}）") from exc


# --- CSV -------------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """utf-16 (BOM), else utf-8-sig if the whole file is strict UTF-8, else gb18030 if it is
    strict GB18030; else FileRejected(unreadable). Streams the bytes: nothing is kept."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise FileRejected("unreadable", "文件编码无法识别（应为 UTF-8 或 GBK/GB18030 文本）")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                if b"\x00" in chunk:
                    return False  # binary content, not text in either encoding
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def decode_text(data: bytes) -> str:
    """The same decision as detect_encoding, for bytes in memory."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16")
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise FileRejected("unreadable", "文件编码无法识别（应为 UTF-8 或 GBK/GB18030 文本）")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number (> 1) of fields."""
    lines = text.splitlines()
    sample = [line for line in lines[:40] if line.strip()]
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


class _Csv:
    def __init__(self, path: Path, encoding: str):
        self.path, self.encoding = path, encoding
        try:
            with path.open(encoding=encoding, newline="") as fh:
                self.delimiter = sniff_delimiter(fh.read(_SNIFF_CHARS))
        except UnicodeError as exc:  # a UTF-16 file whose BOM is all that is right about it
            raise FileRejected(
                "unreadable", f"文件读取中断（{type(exc).__name__}: {exc}）"
            ) from exc
        self.source = CsvSource(path, encoding, self.delimiter)

    def sheets(self) -> list[tuple[None, Iterator[Row]]]:
        return [(None, self._rows())]

    def _rows(self) -> Iterator[Row]:
        # Free text (简要经过) can outgrow csv's default 128 KiB field limit.
        csv.field_size_limit(max(csv.field_size_limit(), _MAX_FIELD_CHARS))
        with self.path.open(encoding=self.encoding, newline="") as fh:
            reader = csv.reader(fh, delimiter=self.delimiter)
            next_line = 1
            try:
                for cells in reader:
                    # A quoted field may span lines: the record is numbered by its first line.
                    yield next_line, cells
                    next_line = reader.line_num + 1
            except csv.Error as exc:
                raise FileRejected("unreadable", f"CSV 格式错误（第{next_line}行）：{exc}") from exc

    def close(self) -> None:
        pass


# --- Excel -----------------------------------------------------------------------------------


class _Xlsx:
    """Workbooks through calamine (Rust), about 12 times faster than openpyxl; openpyxl only for
    a workbook with error cells, whose text (#REF!) calamine does not give back."""

    def __init__(self, path: Path):
        from python_calamine import CalamineWorkbook

        # A file object: the format comes from the bytes, not the suffix.
        self.fh = path.open("rb")
        try:
            if _has_error_cells(self.fh):
                self.fallback: _Openpyxl | None = _Openpyxl(self.fh)
            else:
                self.fallback = None
                self.fh.seek(0)
                self.wb = CalamineWorkbook.from_filelike(self.fh)
        except Exception:
            self.fh.close()
            raise

    def sheets(self) -> list[tuple[str, Iterator[Row]]]:
        if self.fallback is not None:
            return self.fallback.sheets()
        from python_calamine import SheetTypeEnum

        # Chart sheets hold no cells; openpyxl's `worksheets` leaves them out too.
        return [
            (m.name, self._rows(m.name))
            for m in self.wb.sheets_metadata
            if m.typ == SheetTypeEnum.WorkSheet
        ]

    def _rows(self, name: str) -> Iterator[Row]:
        sheet = self.wb.get_sheet_by_name(name)
        if sheet.start is None:
            return
        # iter_rows starts at row 1 but at the first used column: pad back to column A so that
        # positions match what a person sees.
        pad = [None] * sheet.start[1]
        for i, values in enumerate(sheet.iter_rows(), start=1):
            yield i, pad + [_calamine_cell(v) for v in values]

    def close(self) -> None:
        if self.fallback is not None:
            self.fallback.close()
        else:
            self.wb.close()
        self.fh.close()


def _calamine_cell(v: Any) -> Any:
    """A calamine value as openpyxl gives it: blank → None, 3.0 → 3, a date → midnight."""
    if v == "":
        return None
    if type(v) is float and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if type(v) is dt.date:
        return dt.datetime(v.year, v.month, v.day)
    return v


def _has_error_cells(fh: BinaryIO) -> bool:
    """Whether any worksheet holds an error cell (t="e" in its XML)."""
    with zipfile.ZipFile(fh) as z:
        for info in z.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with z.open(info) as member:
                    tail = b""
                    for block in iter(lambda: member.read(1 << 20), b""):
                        if b't="e"' in tail + block:
                            return True
                        tail = block[-8:]
    return False


class _Openpyxl:
    def __init__(self, fh: BinaryIO):
        import openpyxl

        # data_only: the cached values, not formulas; an error cell reads as its text ("#REF!").
        fh.seek(0)
        self.wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)

    def sheets(self) -> list[tuple[str, Iterator[Row]]]:
        return [(ws.title, self._rows(ws)) for ws in self.wb.worksheets]

    @staticmethod
    def _rows(ws: Any) -> Iterator[Row]:
        # Read-only mode starts at row 1 and yields empty rows for gaps, so the position is
        # the spreadsheet row number.
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            yield i, list(values)

    def close(self) -> None:
        self.wb.close()


class _Xls:
    def __init__(self, path: Path):
        import xlrd

        self.xlrd = xlrd
        self.book = xlrd.open_workbook(str(path), on_demand=True)

    def sheets(self) -> list[tuple[str, Iterator[Row]]]:
        return [(name, self._rows(i)) for i, name in enumerate(self.book.sheet_names())]

    def _rows(self, index: int) -> Iterator[Row]:
        sh = self.book.sheet_by_index(index)
        for r in range(sh.nrows):
            yield r + 1, [self._cell(c) for c in sh.row(r)]

    def _cell(self, cell: Any) -> Any:
        xlrd, ctype = self.xlrd, cell.ctype
        if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if ctype == xlrd.XL_CELL_DATE:
            try:
                return xlrd.xldate_as_datetime(cell.value, self.book.datemode)
            except Exception:
                return cell.value  # out of Excel's range: the serial, judged by the parser
        if ctype == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(cell.value, "#N/A")
        if ctype == xlrd.XL_CELL_BOOLEAN:
            return bool(cell.value)
        return cell.value

    def close(self) -> None:
        self.book.release_resources()
