"""Townships as departments write them, read from the dbt seed (never hard-coded here).

A row's township can be rendered by its current name, short alias, old name (新盛镇 before
2020) or 9-digit code: the reader must accept all of them.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import SEEDS_DIR

# The year the 2020 code list took effect: renamed units before it carry their old name.
CODE_LIST_YEAR = 2020


@dataclass(frozen=True)
class Town:
    code: str
    name: str
    kind: str
    in_scope: bool
    aliases: tuple[str, ...]
    valid_from: int | None
    note: str = ""

    @property
    def short(self) -> str:
        return next((a for a in self.aliases if not a.isdigit() and len(a) < len(self.name)), self.name)

    @property
    def old_name(self) -> str | None:
        # An alias that ends like a township kind but is not the current name: a former name.
        return next((a for a in self.aliases if a != self.name and a[-1:] in "镇乡" and not a.isdigit()), None)

    def valid_in(self, year: int) -> bool:
        return self.valid_from is None or year >= self.valid_from


class Towns:
    def __init__(self, rows: list[Town]):
        self.all = rows
        self.by_code = {t.code: t for t in rows}

    @classmethod
    def load(cls, path: Path | None = None) -> Towns:
        path = path or SEEDS_DIR / "townships.csv"
        rows = []
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                rows.append(
                    Town(
                        code=r["code9"],
                        name=r["name"],
                        kind=r["kind"],
                        in_scope=r["scope"] == "本级",
                        aliases=tuple(a for a in (r.get("aliases") or "").split("|") if a),
                        valid_from=int(r["valid_from"]) if r.get("valid_from") else None,
                        note=r.get("note") or "",
                    )
                )
        return cls(rows)

    def in_scope(self, year: int) -> list[Town]:
        return [t for t in self.all if t.in_scope and t.valid_in(year)]

    def out_of_scope(self) -> list[Town]:
        return [t for t in self.all if not t.in_scope]

    def late_units(self) -> list[Town]:
        """In-scope units created during the history (通惠街道): invalid before valid_from."""
        return [t for t in self.all if t.in_scope and t.valid_from]

    def parent(self, code: str) -> str | None:
        """The unit a late township reported under before it existed ("split from X" in the note)."""
        m = re.search(r"split from (\S+)", self.by_code[code].note)
        return next((t.code for t in self.all if m and t.name == m.group(1)), None)

    def reporting_unit(self, code: str, year: int) -> str:
        """Where a township's figures sit in a given year (its parent before it existed)."""
        t = self.by_code[code]
        return code if t.valid_in(year) else (self.parent(code) or code)

    def render(self, code: str, year: int, mode: str, rng: random.Random) -> str:
        t = self.by_code[code]
        if mode == "mixed":
            mode = rng.choice(["name", "name", "name", "short", "code"])
        if t.old_name and year < CODE_LIST_YEAR and mode != "code":
            return t.old_name
        if mode == "short":
            return t.short
        if mode == "code":
            return t.code
        return t.name
