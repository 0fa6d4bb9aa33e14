"""The one generic reader: a delivered file plus its contract → typed rows, quarantine, notes.

read_extract() opens the file (decode), finds each sheet's header (headers), parses every row
with one converter per field (converters), skips layout rows (layout), checks the contract's
row rules (rules) and the key, and returns the accepted rows as a polars frame with exactly
the contract's fields plus _sheet, _row_number and _flags. Whole-file problems raise
FileRejected with a Chinese message naming the file.

Decisions the spec leaves open:
- a row is quarantined at its first failing column in file order; row rules and the key
  come after every cell has parsed;
- a key counts as seen once its row got that far: a quarantined row whose key columns parsed
  still makes a later row with that key a duplicate (the spec's "already seen earlier");
- a header-only file loads no rows (a month without accidents), it is not rejected;
- a sheet whose header lacks required columns is skipped with a note when another sheet of
  the workbook is complete, and rejects the file (missing_column) when none is;
- text that is neither an identifier (*_id) nor a coded value is masked for ID and mobile
  numbers (privacy), private or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.ingest.contracts import Contract, Field
from pipelines.ingest.converters import (
    IN_SCOPE,
    Converter,
    build_converter,
    norm_text,
)
from pipelines.ingest.decode import Row, Sheet, open_sheets
from pipelines.ingest.headers import (
    HEADER_SCAN_ROWS,
    HeaderMatch,
    find_header,
    normalise,
    take_head,
)
from pipelines.ingest.issues import FileRejected, RowIssue
from pipelines.ingest.layout import (
    is_column_number_row,
    is_footer_or_unit_row,
    is_repeated_header,
    is_totals_row,
)
from pipelines.ingest.periods import FilePeriod
from pipelines.ingest.privacy import mask_personal_numbers
from pipelines.ingest.rules import check_rules
from pipelines.ingest.values import NULL_MARKERS, CellError, clean_text, is_null

__all__ = ["POLARS_TYPES", "FileRejected", "ReadResult", "RowIssue", "empty_frame", "read_extract"]

# Polars dtype of each contract type, matching DUCKDB_TYPES in contracts.py.
POLARS_TYPES: dict[str, pl.DataType] = {
    "text": pl.Utf8(),
    "int": pl.Int64(),
    "year": pl.Int32(),
    "num": pl.Float64(),
    "date": pl.Date(),
    "datetime": pl.Datetime("us"),
    "bool": pl.Boolean(),
    "township": pl.Utf8(),
    "township_list": pl.List(pl.Utf8()),
    "scope": pl.Utf8(),
}
META_TYPES = {"_sheet": pl.Utf8(), "_row_number": pl.Int32(), "_flags": pl.Utf8()}

# What a blank (or absent) value of a type means when the field names no default:
# a blank 口径 is the district's own scope (datasets.md, population and gdp).
_TYPE_DEFAULTS = {"scope": IN_SCOPE}

_CHUNK_ROWS = 100_000  # rows buffered as Python values before they become a frame

# Extra columns every department adds; not worth a note in the ledger.
_UNREMARKABLE_HEADERS = {"序号", "备注", "说明"}

_REASON_TEXT = {
    "missing_required": "为必填项，不能为空",
    "unknown_township": "不是已知的街镇",
    "out_of_scope": "不在本级统计范围内",
    "township_not_valid": "当年尚未设立",
    "negative": "为负数",
    "not_a_number": "不是有效数字",
    "formula_error": "为公式错误",
    "fraction_in_int": "应为整数",
    "bad_date": "不是有效日期",
    "date_out_of_period": "不在文件所属期间内",
    "future_date": "晚于今天",
    "bad_bool": "不是有效的是/否值",
    "not_in_domain": "不在允许的取值范围内",
    "rule_violation": "不符合规则",
}


@dataclass
class ReadResult:
    rows: pl.DataFrame
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sheets_read: list[str | None] = field(default_factory=list)
    rows_skipped: int = 0  # totals, footer, unit, blank and repeated-header rows

    @property
    def rows_quarantined(self) -> int:
        return len(self.issues)


class _Column:
    """A bound contract field: where to read it and how to parse it (plain slots: read per cell)."""

    __slots__ = ("field", "index", "header", "convert", "soft", "name", "required", "default")

    def __init__(self, f: Field, index: int, header: str, convert: Converter):
        self.field = f
        self.index = index
        self.header = header  # as written in the file
        self.convert = convert
        # soft_domain: normalised → canonical; an unrecognised value becomes NULL and is flagged
        self.soft = {norm_text(v): v for v in f.soft_domain} if f.soft_domain else None
        self.name = f.name
        self.required = f.required
        self.default = _default(f)


@dataclass(frozen=True)
class _Layout:
    """How to read the data rows below one header row."""

    columns: tuple[_Column, ...]  # in column order
    absent: dict[str, Any]  # fields without a column → their default
    header_cells: dict[int, str]
    year_column: _Column | None  # parsed first when townships need the row's year


def read_extract(path: Path, contract: Contract, period: FilePeriod, today: date) -> ReadResult:
    """Read one delivered file. Raises FileRejected for whole-file problems."""
    path = Path(path)
    try:
        with open_sheets(path) as sheets:
            return _Reader(contract, period, today).read(sheets)
    except FileRejected as exc:
        raise FileRejected(exc.reason_code, f"文件“{path.name}”{exc.message_zh}") from None


class _Reader:
    def __init__(self, contract: Contract, period: FilePeriod, today: date):
        self.contract = contract
        self.period = period
        self.today = today
        self.columns: dict[str, list[Any]] = {f.name: [] for f in contract.fields}
        self.meta: dict[str, list[Any]] = {name: [] for name in META_TYPES}
        self.issues: list[RowIssue] = []
        self.notes: list[str] = []
        self.seen_keys: dict[tuple, tuple[str | None, int]] = {}
        self.unrecognised: dict[str, dict[str, int]] = {}  # header → soft-domain value → rows
        self.skipped = 0
        self.frames: list[pl.DataFrame] = []

    # --- sheets ------------------------------------------------------------------------------

    def read(self, sheets: list[Sheet]) -> ReadResult:
        read: list[str | None] = []
        partial: list[tuple[str | None, HeaderMatch]] = []
        ignored: list[str] = []
        has_content = False
        for sheet in sheets:
            rows = iter(sheet.rows)
            head = take_head(rows)
            if not any(not is_null(c) for _, cells in head for c in cells):
                continue  # empty extra sheets are ignored silently
            has_content = True
            try:
                match = find_header(head, self.contract)
            except FileRejected as exc:
                raise FileRejected(
                    exc.reason_code, _in_sheet(sheet.name) + exc.message_zh
                ) from None
            if match is None:
                ignored.append(sheet.name or "")
            elif not match.complete:
                partial.append((sheet.name, match))
            else:
                self._read_sheet(sheet.name, chain(head[match.row_index + 1 :], rows), match)
                read.append(sheet.name)
        if not has_content:
            raise FileRejected("empty_file", "文件为空，没有任何内容")
        if not read:
            raise self._no_usable_sheet(partial)
        for name, match in partial:
            missing = "、".join(f.standard_header for f in match.missing_required)
            self.notes.append(f"工作表“{name}”缺少必填列（{missing}），未读取")
        if ignored:
            names = "、".join(f"“{n}”" for n in ignored)
            self.notes.append(f"已忽略未找到表头的非空工作表：{names}")
        self._note_unrecognised()
        return ReadResult(self._frame(), self.issues, self.notes, read, self.skipped)

    def _no_usable_sheet(self, partial: list[tuple[str | None, HeaderMatch]]) -> FileRejected:
        if partial:
            name, match = partial[0]
            missing = "、".join(f.standard_header for f in match.missing_required)
            return FileRejected("missing_column", f"{_in_sheet(name)}缺少必填列：{missing}")
        expected = "、".join(f.standard_header for f in self.contract.fields if f.required)
        return FileRejected(
            "no_header",
            f"未找到表头：前{HEADER_SCAN_ROWS}行中没有“{self.contract.name_zh}”的列名行（应含：{expected}）",
        )

    def _read_sheet(self, sheet: str | None, rows: Iterable[Row], match: HeaderMatch) -> None:
        layout = self._layout(match)
        if match.unknown_headers:
            extra = [h for h in match.unknown_headers if normalise(h) not in _UNREMARKABLE_HEADERS]
            if extra:
                self.notes.append(f"{_in_sheet(sheet)}已忽略未识别的列：{'、'.join(extra)}")
        for row_number, cells in rows:
            # Totals rows can look like valid data, so they are recognised before parsing; other
            # layout rows (blank, footer, unit, repeated header) always fail to parse and are
            # recognised only then, which keeps the common path short.
            if not any(cells) and all(is_null(c) for c in cells) or is_totals_row(cells):
                self.skipped += 1
                continue
            self._read_row(sheet, row_number, cells, layout)

    def _layout(self, match: HeaderMatch) -> _Layout:
        columns = tuple(
            _Column(
                b.field,
                b.column,
                b.header,
                build_converter(b.field, self.contract, self.period, self.today, b.factor),
            )
            for b in match.bindings
        )
        bound = {c.field.name for c in columns}
        absent = {f.name: _default(f) for f in self.contract.fields if f.name not in bound}
        # The row's own year decides township validity: 年度, else the event date's year.
        year_column = None
        if any(c.field.type in ("township", "township_list") for c in columns):
            for name in ("year", self.contract.event_date):
                year_column = next((c for c in columns if c.field.name == name), None)
                if year_column is not None:
                    break
        return _Layout(columns, absent, {c.index: c.header for c in columns}, year_column)

    # --- rows --------------------------------------------------------------------------------

    def _read_row(self, sheet, row_number, cells, layout: _Layout) -> None:
        n = len(cells)
        year = self.period.year
        early: tuple[Any, CellError | None] | None = None  # the year column, parsed first
        if layout.year_column is not None:
            early = self._parse_early(layout.year_column, cells, n, year)
            if early[1] is None and early[0] is not None:
                year = early[0] if isinstance(early[0], int) else early[0].year
        values: dict[str, Any] = {}
        flags: list[str] = []
        year_column = layout.year_column
        for c in layout.columns:
            index = c.index
            cell = cells[index] if index < n else None
            if cell is None or (cell.__class__ is str and cell.strip() in NULL_MARKERS):
                value = None
            else:
                if c is year_column:
                    value, err = early
                else:
                    try:
                        value, err = c.convert(cell, year), None
                    except CellError as exc:
                        value, err = None, exc
                if err is not None:
                    return self._reject_row(
                        sheet,
                        row_number,
                        cells,
                        layout,
                        values,
                        c,
                        err.reason_code,
                        cell,
                        err.detail,
                    )
                if c.soft is not None:
                    value = self._soft(c, value, flags)
            if value is None:
                if c.required:
                    return self._reject_row(
                        sheet, row_number, cells, layout, values, c, "missing_required", cell
                    )
                value = c.default
            values[c.name] = value
        values.update(layout.absent)

        breach = check_rules(self.contract.rules, values)
        if breach is not None:
            c = next((c for c in layout.columns if c.name == breach.field), None)
            f = self.contract.field(breach.field)
            header = c.header if c is not None else f.standard_header
            self._remember_key(values, sheet, row_number)
            return self._quarantine(
                sheet, row_number, header, f, "rule_violation", breach.value, breach.message
            )

        key = tuple(values[k] for k in self.contract.key)
        if None not in key:
            first = self.seen_keys.get(key)
            if first is not None:
                return self._duplicate(sheet, row_number, layout.columns, key, first)
            self.seen_keys[key] = (sheet, row_number)

        columns = self.columns
        for name, value in values.items():
            columns[name].append(value)
        self.meta["_sheet"].append(sheet)
        self.meta["_row_number"].append(row_number)
        self.meta["_flags"].append("; ".join(flags) if flags else None)
        if len(self.meta["_row_number"]) >= _CHUNK_ROWS:
            self._flush()

    @staticmethod
    def _parse_early(c: _Column, cells, n: int, year: int) -> tuple[Any, CellError | None]:
        cell = cells[c.index] if c.index < n else None
        if is_null(cell):
            return None, None
        try:
            return c.convert(cell, year), None
        except CellError as exc:
            return None, exc

    def _remember_key(self, values: dict[str, Any], sheet, row_number) -> None:
        """A quarantined row's key, when its key columns parsed, still counts as seen."""
        key = tuple(values.get(k) for k in self.contract.key)
        if None not in key:
            self.seen_keys.setdefault(key, (sheet, row_number))

    def _reject_row(
        self, sheet, row_number, cells, layout, values, c: _Column, reason, cell, detail=""
    ):
        """Quarantine the row, unless it is a layout row that merely failed to parse."""
        n = len(cells)
        if (
            all(c.index >= n or is_null(cells[c.index]) for c in layout.columns)  # only 序号 filled
            or is_footer_or_unit_row(cells)
            or is_repeated_header(cells, layout.header_cells)
            or is_column_number_row(cells)
        ):
            self.skipped += 1
            return
        self._remember_key(values, sheet, row_number)
        self._quarantine(sheet, row_number, c.header, c.field, reason, cell, detail)

    def _soft(self, c: _Column, value: str, flags: list[str]) -> str | None:
        """A soft-domain value: kept when recognised, else NULL and flagged (never quarantined)."""
        canonical = c.soft.get(value) or c.soft.get(norm_text(value))
        if canonical is None:
            flags.append(f"unrecognised_{c.field.name}={value}")
            counts = self.unrecognised.setdefault(c.header, {})
            counts[value] = counts.get(value, 0) + 1
        return canonical

    def _note_unrecognised(self) -> None:
        for header, counts in self.unrecognised.items():
            listed = "、".join(f"“{v}”（{n}行）" for v, n in counts.items())
            self.notes.append(f"“{header}”的取值未能识别，已置空并标记：{listed}")

    def _quarantine(self, sheet, row_number, header, f: Field, reason, cell, detail="") -> None:
        raw = None if cell is None else clean_text(cell)
        if raw is not None:
            raw = mask_personal_numbers(raw)  # raw values are stored too
        text = f"第{row_number}行“{header}”{_REASON_TEXT[reason]}"
        if raw:
            text += f"：{raw}"
        if detail:
            text += f"（{detail}）"
        self.issues.append(RowIssue(sheet, row_number, header, f.name, reason, text, raw))

    def _duplicate(self, sheet, row_number, columns, key, first) -> None:
        names = self.contract.key
        headers = {c.field.name: c.header for c in columns}
        shown = "，".join(
            f"{headers.get(k, k)}={_show_key(v)}" for k, v in zip(names, key, strict=True)
        )
        where = f"第{first[1]}行" if first[0] == sheet else f"工作表“{first[0]}”第{first[1]}行"
        header = headers.get(names[0], names[0])
        message = f"第{row_number}行与{where}重复（{shown}）"
        raw = _show_key(key[0])
        self.issues.append(
            RowIssue(sheet, row_number, header, names[0], "duplicate_key", message, raw)
        )

    # --- frame -------------------------------------------------------------------------------

    def _flush(self) -> None:
        """Move the buffered Python values into a typed frame: memory stays bounded."""
        if not self.meta["_row_number"]:
            return
        series = [
            pl.Series(f.name, self.columns[f.name], dtype=POLARS_TYPES[f.type])
            for f in self.contract.fields
        ]
        series += [pl.Series(n, self.meta[n], dtype=t) for n, t in META_TYPES.items()]
        self.frames.append(pl.DataFrame(series))
        self.columns = {name: [] for name in self.columns}
        self.meta = {name: [] for name in self.meta}

    def _frame(self) -> pl.DataFrame:
        self._flush()
        if not self.frames:
            return empty_frame(self.contract)
        return self.frames[0] if len(self.frames) == 1 else pl.concat(self.frames, rechunk=True)


def empty_frame(contract: Contract) -> pl.DataFrame:
    """A frame with the reader's schema and no rows."""
    schema = {f.name: POLARS_TYPES[f.type] for f in contract.fields} | META_TYPES
    return pl.DataFrame(schema=schema)


def _default(f: Field) -> Any:
    return f.default if f.default is not None else _TYPE_DEFAULTS.get(f.type)


def _in_sheet(name: str | None) -> str:
    return f"工作表“{name}”" if name is not None else ""


def _show_key(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
