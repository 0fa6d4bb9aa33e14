"""Find the header row of a sheet and bind its columns to contract fields.

Headers compare after normalisation (NFKC full-width → half-width, no spaces, （）→ ()) and
with a trailing bracketed unit set aside: `直接经济损失（万元）`, `直接经济损失(万元)` and
`直接经济损失` are one column. A bracketed unit converts the column (units.yaml, by the field's
quantity); a unit of another quantity (美元 in a 万元 column) rejects the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipelines.ingest.contracts import Contract, Field, units
from pipelines.ingest.decode import Row
from pipelines.ingest.issues import FileRejected

HEADER_SCAN_ROWS = 15  # title and unit rows sit above the header, never this many
_SPACES = re.compile(r"\s+")
_REQUIRED_MARKS = "*※"
_TRAILING_UNIT = re.compile(r"^(.+?)\(([^()]*)\)$")


def normalise(text: Any) -> str:
    if text is None:
        return ""
    # Templates mark required columns with * or ※ (`*事故编号`); the mark is not the name.
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).strip(_REQUIRED_MARKS)


def split_unit(text: Any) -> tuple[str, str | None]:
    """`直接经济损失（万元）` → (`直接经济损失`, `万元`); no brackets → (text, None)."""
    norm = normalise(text)
    m = _TRAILING_UNIT.match(norm)
    if m is None:
        return norm, None
    return m.group(1), m.group(2)


@dataclass(frozen=True)
class Binding:
    """A contract field read from one column of the sheet."""

    field: Field
    column: int
    header: str  # as written in the file
    factor: float = 1.0  # multiplies the value into the canonical unit


@dataclass(frozen=True)
class HeaderMatch:
    row_index: int  # position in Sheet.rows
    row_number: int
    bindings: tuple[Binding, ...]  # in column order
    missing_required: tuple[Field, ...]
    unknown_headers: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing_required


class _HeaderIndex:
    """Normalised header text → (field, alias rank, bracket text of the alias)."""

    def __init__(self, contract: Contract):
        self.full: dict[str, tuple[Field, int]] = {}
        self.bare: dict[str, tuple[Field, int]] = {}
        for f in contract.fields:
            for rank, alias in enumerate(f.headers):
                self.full.setdefault(normalise(alias), (f, rank))
                self.bare.setdefault(split_unit(alias)[0], (f, rank))

    def lookup(self, cell: Any) -> tuple[Field, int, str | None] | None:
        """(field, alias rank, unit written in the header or None)."""
        if not isinstance(cell, str | int | float) or isinstance(cell, bool):
            return None
        full = normalise(cell)
        if not full:
            return None
        if full in self.full:
            # The alias itself, brackets included: `死亡（人）`, `地区生产总值（现价）`. Its bracket
            # is the canonical unit or a qualifier, never a conversion.
            f, rank = self.full[full]
            return f, rank, None
        name, unit = split_unit(full)
        if unit is not None:
            hit = self.full.get(name) or self.bare.get(name)  # `地区生产总值（现价）（万元）`
            if hit:
                return hit[0], hit[1], unit
        if full in self.bare:
            f, rank = self.bare[full]
            return f, rank, None
        return None


def unit_factor(f: Field, unit: str | None, header: str) -> float:
    """Factor into the field's canonical unit; FileRejected(bad_unit) for a foreign unit."""
    if unit is None or f.quantity is None:
        return 1.0  # no bracket, or a field without a quantity (the bracket is a remark)
    factors = units()[f.quantity]["factors"]
    if unit in factors:
        return float(factors[unit])
    canonical = units()[f.quantity].get("canonical")
    allowed = "、".join(factors)
    raise FileRejected(
        "bad_unit",
        f"列“{header}”的单位“{unit}”不适用于该列（应为{canonical or '计数单位'}；可接受：{allowed}）",
    )


def match_row(cells: list[Any], index: _HeaderIndex, contract: Contract) -> tuple[list, list]:
    """Bind the row's cells to fields: ([(field, rank, unit, column, header)], unknown headers)."""
    best: dict[str, tuple[Field, int, str | None, int, str]] = {}
    unknown = []
    for col, cell in enumerate(cells):
        hit = index.lookup(cell)
        if hit is None:
            if isinstance(cell, str) and cell.strip():
                unknown.append(cell.strip())
            continue
        f, rank, unit = hit
        # Two columns for one field (`编号` beside `事故编号`): the standard header wins,
        # then the leftmost column.
        if f.name not in best or rank < best[f.name][1]:
            best[f.name] = (f, rank, unit, col, str(cell).strip())
    return list(best.values()), unknown


def take_head(rows: Iterator[Row]) -> list[Row]:
    """The rows find_header looks at: up to HEADER_SCAN_ROWS non-blank rows, and the blank
    rows between them. Consumes only those from the iterator."""
    head: list[Row] = []
    non_blank = 0
    for row in rows:
        head.append(row)
        if any(c is not None and str(c).strip() for c in row[1]):
            non_blank += 1
            if non_blank >= HEADER_SCAN_ROWS:
                break
    return head


def find_header(rows: list[Row], contract: Contract) -> HeaderMatch | None:
    """The header row among the first rows: the first with every required field, else the one
    binding the most fields (at least two). None when no row looks like this dataset's header.
    Raises FileRejected(bad_unit) for the chosen row's foreign units."""
    index = _HeaderIndex(contract)
    required = [f for f in contract.fields if f.required]
    candidate = None
    scanned = 0
    for i, (row_number, cells) in enumerate(rows):
        if not any(c is not None and str(c).strip() for c in cells):
            continue  # blank rows above the header do not count towards the scan limit
        scanned += 1
        if scanned > HEADER_SCAN_ROWS:
            break
        bound, unknown = match_row(cells, index, contract)
        names = {b[0].name for b in bound}
        missing = tuple(f for f in required if f.name not in names)
        if len(bound) < min(2, len(contract.fields)):
            continue
        if candidate is None or len(bound) > len(candidate[2]):
            candidate = (i, row_number, bound, missing, unknown)
        if not missing:
            candidate = (i, row_number, bound, missing, unknown)
            break
    if candidate is None:
        return None
    i, row_number, bound, missing, unknown = candidate
    bindings = tuple(
        sorted(
            (
                Binding(f, col, header, unit_factor(f, unit, header))
                for f, _, unit, col, header in bound
            ),
            key=lambda b: b.column,
        )
    )
    return HeaderMatch(i, row_number, bindings, missing, tuple(unknown))
