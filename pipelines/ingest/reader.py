"""The one generic reader: a delivered file plus its contract → typed rows, quarantine, notes.

read_extract() opens the file (decode), finds each sheet's header (headers), and reads the rows
below it a chunk at a time as a frame of raw cell strings (frames: CSV split by polars, workbooks
from their streamed rows). Each chunk is worked column by column, never cell by cell:

- blank and totals rows are dropped by expressions (layout);
- every bound field's column is parsed by its ColumnParser (columns): a value and, where the
  cell breaks the field, a reason code and detail; unusual spellings go to the scalar parsers of
  values.py once per distinct cell;
- the row's first failing column in file order wins; failing rows that are layout rows (footer,
  unit line, repeated header, column numbers, only 序号) are skipped, the others quarantined with
  their Chinese message, built for those rows only;
- the contract's row rules (rules.breach_index) and soft domains run as expressions on the rows
  that parsed; duplicate keys are found once the whole file is read, in file order.

The accepted rows come back as a polars frame with exactly the contract's fields plus _sheet,
_row_number and _flags. Whole-file problems raise FileRejected with a Chinese message naming
the file.

Decisions the spec leaves open:
- a row is quarantined at its first failing column in file order; row rules and the key
  come after every cell has parsed;
- a key counts as seen once its row got that far: a quarantined row whose key columns parsed
  still makes a later row with that key a duplicate (the spec's "already seen earlier");
- a header-only file loads no rows (a month without accidents), it is not rejected;
- a sheet whose header lacks required columns is skipped with a note when another sheet of
  the workbook is complete, and rejects the file (missing_column) when none is;
- text that is neither an identifier (*_id) nor a coded value is masked for ID and mobile
  numbers (privacy), private or not;
- a township is judged by the period's year: the row's own year (年度, or the event date) can
  only differ from it when that cell fails, and then the period's year is the one used.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.ingest.columns import (
    POLARS_TYPES,
    ColumnParser,
    Parsed,
    nulls,
    soft_values,
    where,
)
from pipelines.ingest.contracts import Contract, Field
from pipelines.ingest.converters import IN_SCOPE
from pipelines.ingest.decode import Row, Sheet, open_sheets
from pipelines.ingest.frames import cell_column, chunks, csv_frames, number_column
from pipelines.ingest.headers import (
    HEADER_SCAN_ROWS,
    HeaderMatch,
    find_header,
    normalise,
    take_head,
)
from pipelines.ingest.issues import FileRejected, RowIssue
from pipelines.ingest.layout import (
    is_blank_row,
    is_layout_frame,
    is_totals_row_frame,
)
from pipelines.ingest.periods import FilePeriod
from pipelines.ingest.quarantine import cell_issue, cell_issues, duplicate_issue
from pipelines.ingest.rules import breach_index, check_rules
from pipelines.ingest.values import is_null

__all__ = ["POLARS_TYPES", "FileRejected", "ReadResult", "RowIssue", "empty_frame", "read_extract"]

META_TYPES = {"_sheet": pl.Utf8(), "_row_number": pl.Int32(), "_flags": pl.Utf8()}

# What a blank (or absent) value of a type means when the field names no default:
# a blank 口径 is the district's own scope (datasets.md, population and gdp).
_TYPE_DEFAULTS = {"scope": IN_SCOPE}

_CHUNK_ROWS = 500_000  # rows of raw cell strings parsed together (bounds memory)
_BATCH_ROWS = 20_000  # chunks of small sheets are parsed together up to this many rows
_MISSING = "missing_required"
_PARSE_THREADS = 2
_EXTRA_CSV_COLUMNS = 8  # cells right of the widest head row still seen (a totals label there)

# Extra columns every department adds; not worth a note in the ledger.
_UNREMARKABLE_HEADERS = {"序号", "备注", "说明"}


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


@dataclass(frozen=True)
class _Column:
    """A bound contract field: which sheet column it reads and its parser."""

    field: Field
    index: int
    header: str  # as written in the file
    parser: ColumnParser

    @property
    def name(self) -> str:
        return self.field.name

    @property
    def required(self) -> bool:
        return self.field.required

    @property
    def soft(self) -> bool:  # an unrecognised value becomes NULL and is flagged
        return bool(self.field.soft_domain)

    @property
    def default(self) -> Any:
        return _default(self.field)


@dataclass(frozen=True)
class _Plan:
    """How to read the data rows below one header row."""

    columns: tuple[_Column, ...]  # in column order
    absent: dict[str, Any]  # fields without a column → their default
    header_cells: dict[int, str]
    positions: dict[str, int]  # field → its position in columns


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
        self.issues: list[tuple[int, RowIssue]] = []  # (file order, issue)
        self.notes: list[str] = []
        self.keys: list[pl.DataFrame] = []  # key values of every row that got that far
        self.headers: dict[str | None, dict[str, str]] = {}  # sheet → field → header
        self.unrecognised: list[pl.DataFrame] = []  # soft-domain values not recognised
        self.skipped = 0
        self.order = 0  # rows seen so far, over all sheets: the file order
        self.frames: list[pl.DataFrame] = []
        self.pending: list[pl.DataFrame] = []  # chunks waiting to be parsed together
        self.pending_plan: _Plan | None = None

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
                self._read_sheet(sheet.name, self._frames(sheet, head, rows, match), match)
                read.append(sheet.name)
        self._flush()
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
        frame = self._frame()
        issues = [issue for _, issue in sorted(self.issues, key=lambda x: x[0])]
        return ReadResult(frame, issues, self.notes, read, self.skipped)

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

    @staticmethod
    def _frames(
        sheet: Sheet, head: list[Row], rows: Iterable[Row], match: HeaderMatch
    ) -> Iterator[pl.DataFrame]:
        """The data rows below the header as string frames: CSV column-wise by polars (UTF-16
        excepted), workbooks from their streamed rows."""
        if sheet.csv is not None and sheet.csv.encoding != "utf-16":
            width = max(len(cells) for _, cells in head) + _EXTRA_CSV_COLUMNS
            return csv_frames(sheet.csv, match.row_number, width, _CHUNK_ROWS)
        return chunks(chain(head[match.row_index + 1 :], rows), _CHUNK_ROWS)

    def _read_sheet(
        self, sheet: str | None, frames: Iterable[pl.DataFrame], match: HeaderMatch
    ) -> None:
        plan = self._plan(match)
        self.headers[sheet] = {c.name: c.header for c in plan.columns}
        if match.unknown_headers:
            extra = [h for h in match.unknown_headers if normalise(h) not in _UNREMARKABLE_HEADERS]
            if extra:
                self.notes.append(f"{_in_sheet(sheet)}已忽略未识别的列：{'、'.join(extra)}")
        for frame in frames:
            self._batch(sheet, frame, plan)

    # --- batches of small sheets -------------------------------------------------------------

    def _batch(self, sheet: str | None, frame: pl.DataFrame, plan: _Plan) -> None:
        """Queue a chunk; chunks of sheets bound alike are parsed together. A workbook of twelve
        monthly sheets of a few rows each costs one parse instead of twelve (each parse has a
        fixed cost of some 80 ms in polars calls, whatever its rows)."""
        queued = sum(f.height for f in self.pending)
        if self.pending and (
            _signature(plan) != _signature(self.pending_plan) or queued + frame.height > _BATCH_ROWS
        ):
            self._flush()
            queued = 0
        self.pending.append(frame.with_columns(pl.lit(sheet, dtype=pl.Utf8).alias("_sheet")))
        self.pending_plan = plan  # bound like the queued chunks (same signature), or the first
        if queued + frame.height >= _BATCH_ROWS:  # large enough to pay its own way: parse it now
            self._flush()

    def _flush(self) -> None:
        if not self.pending:
            return
        frame = pl.concat(self.pending, how="diagonal") if len(self.pending) > 1 else self.pending[0]
        numbers = [c for c in frame.columns if c.startswith("n")]
        if numbers and len(self.pending) > 1:
            frame = frame.with_columns(pl.col(numbers).fill_null(False))
        plan = self.pending_plan
        self.pending, self.pending_plan = [], None
        self._read_chunk(frame, plan)

    def _plan(self, match: HeaderMatch) -> _Plan:
        columns = tuple(
            _Column(
                b.field,
                b.column,
                b.header,
                ColumnParser(b.field, b.factor, self.contract, self.period, self.today),
            )
            for b in match.bindings
        )
        bound = {c.name for c in columns}
        absent = {f.name: _default(f) for f in self.contract.fields if f.name not in bound}
        positions = {c.name: i for i, c in enumerate(columns)}
        return _Plan(columns, absent, {c.index: c.header for c in columns}, positions)

    # --- one chunk of rows -------------------------------------------------------------------

    def _read_chunk(self, frame: pl.DataFrame, plan: _Plan) -> None:
        """Parse one chunk (rows of one or more sheets bound alike; `_sheet` names each row's)."""
        base = self.order
        self.order += frame.height
        frame = frame.with_columns(
            pl.int_range(base, base + frame.height, dtype=pl.Int64).alias("_order")
        )
        # Blank and totals rows are recognised before parsing (totals can look like valid data).
        cells = [c for c in frame.columns if c.startswith("c")]
        skip = is_blank_row(frame, cells) | is_totals_row_frame(frame, cells)
        self.skipped += int(skip.sum())
        frame = frame.filter(~skip)
        if frame.height == 0:
            return
        n = frame.height
        values: dict[str, pl.Series] = {}
        reasons: list[pl.Series] = []
        details: list[pl.Series] = []
        soft_raw: dict[str, pl.Series] = {}

        def parse(c: _Column) -> Parsed:
            name = cell_column(c.index)
            raw = frame[name] if name in frame.columns else nulls(n, pl.Utf8)
            return c.parser.parse(raw, frame.get_column(number_column(c.index), default=None))

        # Columns are independent and polars releases the GIL: parse them side by side.
        with ThreadPoolExecutor(_PARSE_THREADS) as pool:
            parsed = list(pool.map(parse, plan.columns))
        for c, p in zip(plan.columns, parsed, strict=True):
            value, reason = p.value, p.reason
            if c.soft:
                soft_raw[c.name] = value
                value = soft_values(c.field, value)
            if c.required:
                missing = value.is_null() & reason.is_null()
                reason = where(
                    missing, pl.Series(dtype=pl.Utf8).extend_constant(_MISSING, n), reason
                )
            elif c.default is not None:
                value = value.fill_null(c.default)
            values[c.name] = value.alias(c.name)
            reasons.append(reason.alias(f"r{len(reasons)}"))
            details.append(p.detail.alias(f"d{len(details)}"))
        soft = [v.alias(f"_soft_{k}") for k, v in soft_raw.items()]
        work = pl.DataFrame([*values.values(), *reasons, *details, *soft]).with_columns(
            frame["_row_number"], frame["_order"], frame["_sheet"]
        )
        fail = pl.coalesce(
            [pl.when(pl.col(r.name).is_not_null()).then(pl.lit(i)) for i, r in enumerate(reasons)]
        ).alias("_fail")
        work = work.with_columns(fail)
        self._count_unrecognised(work, soft_raw, plan)
        self._quarantine_cells(frame, work, plan)
        passing = work.filter(pl.col("_fail").is_null())
        for name, default in plan.absent.items():
            dtype = POLARS_TYPES[self.contract.field(name).type]
            passing = passing.with_columns(pl.lit(default, dtype=dtype).alias(name))
        passing = self._check_rules(passing, plan)
        self._keep(passing, list(soft_raw), plan)

    def _quarantine_cells(self, frame: pl.DataFrame, work: pl.DataFrame, plan) -> None:
        """Rows with a failing cell: layout rows are skipped, the others quarantined at their
        first failing column (messages built for these rows only)."""
        failed = work["_fail"].is_not_null()
        rows, failing = frame.filter(failed), work.filter(failed)
        cells = [c for c in frame.columns if c.startswith("c")]
        layout = is_layout_frame(
            rows,
            cells,
            [cell_column(c.index) for c in plan.columns],
            {cell_column(i): text for i, text in plan.header_cells.items()},
        )
        self.skipped += int(layout.sum())
        rows, failing = rows.filter(~layout), failing.filter(~layout)
        if failing.height == 0:
            return
        at = pl.col("_fail")
        n = len(plan.columns)
        cell_of = [
            pl.col(cell_column(c.index)) if cell_column(c.index) in rows.columns else pl.lit(None)
            for c in plan.columns
        ]
        picked = pl.concat(
            [
                failing.select(
                    "_order",
                    "_row_number",
                    "_fail",
                    pl.coalesce(pl.when(at == i).then(pl.col(f"r{i}")) for i in range(n)),
                    pl.coalesce(pl.when(at == i).then(pl.col(f"d{i}")) for i in range(n)),
                ),
                rows.with_columns(failing["_fail"]).select(
                    pl.coalesce(pl.when(at == i).then(cell_of[i]) for i in range(n)).alias("cell"),
                    "_sheet",
                ),
            ],
            how="horizontal",
        )
        headers = {i: c.header for i, c in enumerate(plan.columns)}
        fields = {i: c.name for i, c in enumerate(plan.columns)}
        self.issues.extend(cell_issues(picked, headers, fields))
        # A row whose key parsed before its failing column still makes later rows duplicates.
        key_pos = max(plan.positions.get(k, len(plan.columns)) for k in self.contract.key)
        seen = failing.filter(at > key_pos)
        if seen.height:
            self._remember(seen.select(self._key_columns()), passed=False)

    def _check_rules(self, passing: pl.DataFrame, plan: _Plan) -> pl.DataFrame:
        if not self.contract.rules or passing.height == 0:
            return passing
        passing = passing.with_columns(breach_index(self.contract.rules).alias("_breach"))
        broken = passing.filter(pl.col("_breach").is_not_null())
        for row in broken.iter_rows(named=True):
            breach = check_rules(self.contract.rules, row)
            c = next((c for c in plan.columns if c.name == breach.field), None)
            f = self.contract.field(breach.field)
            header = c.header if c is not None else f.standard_header
            self._quarantine(
                row["_order"],
                row["_sheet"],
                row["_row_number"],
                header,
                f,
                "rule_violation",
                breach.value,
                breach.message,
            )
        if broken.height:
            self._remember(broken.select(self._key_columns()), passed=False)
        return passing.filter(pl.col("_breach").is_null())

    def _keep(self, passing: pl.DataFrame, soft: list[str], plan: _Plan) -> None:
        if passing.height == 0:
            return
        flags = [
            pl.when(pl.col(name).is_null() & pl.col(f"_soft_{name}").is_not_null()).then(
                pl.concat_str(pl.lit(f"unrecognised_{name}="), pl.col(f"_soft_{name}"))
            )
            for name in soft
        ]
        if flags:
            flag = pl.concat_str(flags, separator="; ", ignore_nulls=True)
            flag = pl.when(flag != "").then(flag)
        else:
            flag = pl.lit(None, dtype=pl.Utf8)
        out = passing.select(
            *[pl.col(f.name).cast(POLARS_TYPES[f.type]) for f in self.contract.fields],
            pl.col("_sheet"),
            pl.col("_row_number").cast(pl.Int32),
            flag.alias("_flags"),
            pl.col("_order"),
        )
        self.frames.append(out)
        self._remember(out.select(self._key_columns()), passed=True)

    def _count_unrecognised(self, work: pl.DataFrame, soft: dict, plan: _Plan) -> None:
        """An unrecognised soft value is noted once its column was reached (no earlier column
        failed), whatever becomes of the row."""
        for name in soft:
            pos = plan.positions[name]
            raw = pl.col(f"_soft_{name}")
            hits = work.filter(
                raw.is_not_null()
                & pl.col(name).is_null()
                & (pl.col("_fail").is_null() | (pl.col("_fail") >= pos))
            ).select(
                "_order",
                pl.lit(pos, dtype=pl.Int64).alias("_pos"),
                pl.lit(plan.columns[pos].header, dtype=pl.Utf8).alias("header"),
                raw.alias("value"),
            )
            if hits.height:
                self.unrecognised.append(hits)

    # --- keys ----------------------------------------------------------------------------------

    def _key_columns(self) -> list[pl.Expr]:
        return [
            *(pl.col(k) for k in self.contract.key),
            pl.col("_order"),
            pl.col("_row_number"),
            pl.col("_sheet"),
        ]

    def _remember(self, keys: pl.DataFrame, passed: bool) -> None:
        self.keys.append(keys.with_columns(pl.lit(passed).alias("_passed")))

    def _duplicates(self) -> pl.DataFrame | None:
        """Rows whose key an earlier row already had (quarantined rows with a parsed key count)."""
        if not self.keys:
            return None
        key = list(self.contract.key)
        keys = pl.concat(self.keys, how="vertical_relaxed").drop_nulls(key).sort("_order")
        keys = keys.with_columns(pl.struct(key).is_first_distinct().alias("_first"))
        dups = keys.filter(pl.col("_passed") & ~pl.col("_first"))
        if dups.height == 0:
            return None
        first = keys.filter(pl.col("_first")).join(dups.select(key), on=key, how="semi")
        first = first.select(
            *key,
            pl.col("_row_number").alias("_first_row"),
            pl.col("_sheet").alias("_first_sheet"),
        )
        dups = dups.join(first, on=key, how="left", maintain_order="left")
        for row in dups.iter_rows(named=True):
            headers = self.headers.get(row["_sheet"], {})
            self.issues.append((row["_order"], duplicate_issue(row, self.contract.key, headers)))
        return dups.select("_order")

    # --- notes and issues ----------------------------------------------------------------------

    def _note_unrecognised(self) -> None:
        if not self.unrecognised:
            return
        hits = pl.concat(self.unrecognised).sort("_order", "_pos")
        counts: dict[str, dict[str, int]] = {}
        for header, value, n in (
            hits.group_by(["header", "value"], maintain_order=True).len().iter_rows()
        ):
            counts.setdefault(header, {})[value] = n
        for header, by_value in counts.items():
            listed = "、".join(f"“{v}”（{n}行）" for v, n in by_value.items())
            self.notes.append(f"“{header}”的取值未能识别，已置空并标记：{listed}")

    def _quarantine(
        self, order, sheet, row_number, header, f: Field, reason, cell, detail=""
    ) -> None:
        issue = cell_issue(sheet, row_number, header, f.name, reason, cell, detail)
        self.issues.append((order, issue))

    # --- frame ---------------------------------------------------------------------------------

    def _frame(self) -> pl.DataFrame:
        dups = self._duplicates()
        if not self.frames:
            return empty_frame(self.contract)
        frame = pl.concat(self.frames, rechunk=True)
        if dups is not None and dups.height:
            frame = frame.join(dups, on="_order", how="anti", maintain_order="left")
        return frame.drop("_order")


def _signature(plan: _Plan) -> tuple:
    """Plans with one signature parse a cell alike: same fields, columns, headers and units."""
    return tuple((c.name, c.index, c.header, c.parser.factor) for c in plan.columns)


def empty_frame(contract: Contract) -> pl.DataFrame:
    """A frame with the reader's schema and no rows."""
    schema = {f.name: POLARS_TYPES[f.type] for f in contract.fields} | META_TYPES
    return pl.DataFrame(schema=schema)


def _default(f: Field) -> Any:
    return f.default if f.default is not None else _TYPE_DEFAULTS.get(f.type)


def _in_sheet(name: str | None) -> str:
    return f"工作表“{name}”" if name is not None else ""
