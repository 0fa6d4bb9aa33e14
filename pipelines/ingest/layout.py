"""Rows of a sheet that are not data: totals, unit and footer rows, repeated headers.

They are skipped, never quarantined and never summed (datasets.md, Rules every dataset follows).
Blank and totals rows are recognised on a whole chunk before parsing (totals can look like
valid data); the others always fail to parse and are told apart from bad data rows only then
(is_layout_frame), with the scalar checks deciding the few candidate rows.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import polars as pl

from pipelines.ingest.columns import PY_WHITESPACE
from pipelines.ingest.values import NULL_MARKERS

# 合计/总计/小计, alone or with a short label (全区合计, 本月小计, 合计：, 总计（21个街镇）).
_TOTALS = re.compile(r".{0,8}(?:合计|总计|小计)[:：]?(?:\(.*\))?")
# Lines under the table: who filled it in, who checked it, when, notes.
_FOOTER_STARTS = (
    "填报单位",
    "填报人",
    "填表人",
    "填报日期",
    "填表日期",
    "报送日期",
    "审核人",
    "审核",
    "制表",
    "单位负责人",
    "统计负责人",
    "负责人",
    "联系人",
    "联系电话",
    "注:",
    "说明:",
    "备注:",
)
_UNIT_ROW_STARTS = ("单位:",)
# Official forms number their columns under the header: 甲, 乙, 1, 2, 3 …
_COLUMN_LETTERS = frozenset("甲乙丙丁戊己庚辛壬癸")
_MAX_LABEL_LEN = 24
# Every character int() takes after NFKC, and the column letters (generous: a pre-filter only).
_NUMBERISH = (
    r"^[\s\d+\-_＋－＿\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089\u2460-\u2473"
    r"甲乙丙丁戊己庚辛壬癸]+$"
)


def _norm(cell: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell))


def is_totals_label(text: str) -> bool:
    """合计/总计/小计 with at most a short label (the label does not always sit in column one)."""
    return "计" in text and len(text) <= _MAX_LABEL_LEN and bool(_TOTALS.fullmatch(_norm(text)))


def is_footer_or_unit_row(cells: list[Any]) -> bool:
    """Judged by the first non-empty cell: footers and unit lines start with their label."""
    for c in cells:
        if c is None or (isinstance(c, str) and not c.strip()):
            continue
        if not isinstance(c, str):
            return False
        text = _norm(c)
        return text.startswith(_FOOTER_STARTS) or text.startswith(_UNIT_ROW_STARTS)
    return False


def is_column_number_row(cells: list[Any]) -> bool:
    """The row of column numbers under an official form's header (甲 乙 1 2 3 …)."""
    numbers = []
    for c in cells:
        if c is None or (isinstance(c, str) and not c.strip()):
            continue
        text = _norm(c) if isinstance(c, str) else c
        if text in _COLUMN_LETTERS:
            continue
        try:
            numbers.append(int(text))
        except (TypeError, ValueError):
            return False
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


# --- whole chunks of raw cell strings (frames.py) -----------------------------------------------


def is_blank_row(frame: pl.DataFrame, cells: list[str]) -> pl.Series:
    """Every cell empty (None or ""); rows of spaces or dashes fail to parse and are judged then."""
    if not cells:
        return pl.Series([True] * frame.height)
    return frame.select(
        pl.all_horizontal([(pl.col(c).is_null() | (pl.col(c) == "")) for c in cells])
    ).to_series()


def is_totals_row_frame(frame: pl.DataFrame, cells: list[str]) -> pl.Series:
    """A totals label in any cell of the row; each distinct short text with 计 judged once."""
    if not cells:
        return pl.Series([False] * frame.height)
    maybe = frame.select(
        (pl.col(c).str.contains("计", literal=True) & (pl.col(c).str.len_chars() <= _MAX_LABEL_LEN))
        .fill_null(False)
        .alias(c)
        for c in cells
    )
    candidates = set()
    for c in cells:
        if maybe[c].any():
            candidates.update(frame[c].filter(maybe[c]).unique().to_list())
    labels = [c for c in candidates if is_totals_label(c)]
    if not labels:
        return pl.Series([False] * frame.height)
    return frame.select(
        pl.any_horizontal([pl.col(c).is_in(labels).fill_null(False) for c in cells])
    ).to_series()


def is_layout_frame(
    rows: pl.DataFrame, cells: list[str], bound: list[str], header_cells: dict[str, str]
) -> pl.Series:
    """For rows that failed to parse: a layout row (only 序号 filled, footer or unit line, the
    header again, the column-number row) rather than a bad data row. Expressions settle most
    rows; the scalar checks above decide the rest (footers start with a CJK label, column
    numbers hold nothing but digits and 甲乙…)."""
    if rows.height == 0 or not cells:
        return pl.Series([False] * rows.height, dtype=pl.Boolean)
    trimmed = {c: pl.col(c).str.strip_chars(PY_WHITESPACE) for c in cells}
    blank = {c: pl.col(c).is_null() | (trimmed[c] == "") for c in cells}
    nulls = sorted(NULL_MARKERS)
    only_unbound = pl.all_horizontal(
        [pl.col(c).is_null() | trimmed[c].is_in(nulls) for c in bound if c in trimmed]
        or [pl.lit(True)]
    )
    header = pl.all_horizontal(
        [trimmed[c] == text if c in trimmed else pl.lit(False) for c, text in header_cells.items()]
    )
    first = pl.coalesce([pl.when(~blank[c]).then(pl.col(c)) for c in cells])
    numberish = pl.all_horizontal([blank[c] | pl.col(c).str.contains(_NUMBERISH) for c in cells])
    marks = rows.select(
        (only_unbound | header).fill_null(False).alias("sure"),
        (first.str.contains(r"[^\x00-\x7f]") | numberish).fill_null(False).alias("maybe"),
    )
    sure, maybe = marks["sure"], marks["maybe"] & ~marks["sure"]
    if not maybe.any():
        return sure
    checked = [
        is_footer_or_unit_row(list(r)) or is_column_number_row(list(r))
        for r in rows.filter(maybe).select(cells).iter_rows()
    ]
    return sure.scatter(maybe.arg_true(), checked)
