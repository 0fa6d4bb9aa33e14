"""One scalar parser per contract field, built from the field's type, unit, domain and role.

A parser takes (cell, row year) and returns the stored value or None, or raises CellError. The
row year matters only to townships (validity). columns.py calls these for the cells its column
expressions do not cover (unusual spellings, errors, coded values: once per distinct cell).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from pipelines import settings
from pipelines.ingest.contracts import Field
from pipelines.ingest.privacy import mask_personal_numbers
from pipelines.ingest.townships import TownshipResolver, default_resolver, split_township_list
from pipelines.ingest.values import (
    CellError,
    clean_text,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_float,
    parse_int,
    parse_year,
)

Converter = Callable[[Any, int], Any]

IN_SCOPE = "本级"
# Scope wording (口径): 本级 or "不含万盛" is the district's own 21 townships; any other scope
# (含万盛, 全区（含万盛经开区）) covers the whole 500110 footprint and is out of scope.
_EXCLUDES_OTHER = re.compile(r"不含|未含|除")
_HAZARD_PART_SEPARATORS = re.compile(r"[-—－_·/]+")


def norm_text(value: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", clean_text(value)))


@functools.cache
def hazard_words() -> dict[str, str]:
    """Every hazard label and alias of the hazards seed (normalised) → its label."""
    words: dict[str, str] = {}
    with (settings.SEEDS_DIR / "hazards.csv").open(encoding="utf-8-sig", newline="") as fh:
        for rec in csv.DictReader(fh):
            label = rec["label"].strip()
            for w in [label, *(rec.get("aliases") or "").split("|")]:
                if w.strip():
                    words.setdefault(norm_text(w), label)
    return words


def accepted_hazards(spec: tuple[str, ...] | str) -> frozenset[str]:
    """The wordings a `hazards:` field accepts: its labels and their aliases ('all' = any)."""
    if spec == "all":
        return frozenset(hazard_words())
    labels = {norm_text(x) for x in spec}
    return frozenset(w for w, label in hazard_words().items() if norm_text(label) in labels)


def is_in_scope(text: str) -> bool:
    if IN_SCOPE in text and "含" not in text:
        return True
    return bool(_EXCLUDES_OTHER.search(text))


def cell_parser(
    f: Field, factor: float = 1.0, resolver: TownshipResolver | None = None
) -> Converter:
    """The field's type parser for one non-blank cell. The checks that need the file (period,
    today, 年度, max) are column expressions in columns.py."""
    return _typed_parser(f, factor, resolver or default_resolver())


def _typed_parser(f: Field, factor: float, resolver: TownshipResolver) -> Converter:
    t = f.type
    if t == "int":
        return lambda cell, _y: parse_int(cell, factor)
    if t == "year":
        return lambda cell, _y: parse_year(cell)
    if t == "num":
        percent = f.quantity == "percent"
        return lambda cell, _y: parse_float(cell, factor, percent)
    if t == "date":
        return lambda cell, _y: parse_date(cell)
    if t == "datetime":
        return lambda cell, _y: parse_datetime(cell)
    if t == "bool":
        return lambda cell, _y: parse_bool(cell)
    if t == "township":
        return _township(resolver)
    if t == "township_list":
        return _township_list(resolver)
    if t == "scope":
        return _scope
    if t == "text":
        return _text(f)
    raise ValueError(f"field {f.name}: unknown type {t!r}")


def _text(f: Field) -> Converter:
    if f.hazards is not None:
        return _hazard(accepted_hazards(f.hazards))
    if f.domain is not None:
        return _domain(f.domain)
    # Identifiers (*_id) and coded values are left alone; any other text may carry a person's
    # ID or phone number and is masked, whether the contract marks it private or not.
    if f.private or not (f.soft_domain or f.name.endswith("_id")):
        return lambda cell, _y: mask_personal_numbers(clean_text(cell))
    return lambda cell, _y: clean_text(cell)


def _domain(domain: tuple[str, ...]) -> Converter:
    canonical = {norm_text(v): v for v in domain} | {v: v for v in domain}
    allowed = "、".join(domain)

    def parse(cell: Any, _y: int) -> str:
        value = canonical.get(cell)  # most cells are written exactly as the domain value
        if value is None:
            value = canonical.get(norm_text(cell))
        if value is None:
            raise CellError("not_in_domain", f"可选：{allowed}")
        return value

    return parse


def _hazard(accepted: frozenset[str]) -> Converter:
    def parse(cell: Any, _y: int) -> str:
        if cell in accepted:
            return cell
        text = norm_text(cell)
        # 一级-亚灾种 (洪涝灾害-山洪): the whole wording, or one of its parts, must be known.
        if text in accepted or any(p in accepted for p in _HAZARD_PART_SEPARATORS.split(text)):
            return text
        raise CellError("not_in_domain", "不是本数据集接受的灾种")

    return parse


def _scope(cell: Any, _y: int) -> str:
    if not is_in_scope(norm_text(cell)):
        raise CellError("out_of_scope", "口径不是本级")
    return IN_SCOPE


def _township(resolver: TownshipResolver) -> Converter:
    def parse(cell: Any, year: int) -> str:
        code, reason = resolver.resolve(cell, year)
        if reason:
            raise CellError(reason, f"{year}年" if reason == "township_not_valid" else "")
        return code

    return parse


def _township_list(resolver: TownshipResolver) -> Converter:
    def parse(cell: Any, year: int) -> list[str] | None:
        codes: list[str] = []
        for entry in split_township_list(cell):
            code, reason = resolver.resolve(entry, year)
            if reason:
                raise CellError(reason, f"“{entry}”")  # one bad entry quarantines the row
            if code not in codes:
                codes.append(code)
        return codes or None

    return parse
