"""Resolve a township cell to its 9-digit code, from the townships seed (never from code).

A cell may hold the name, an alias, the 9- or 12-digit code, or the name without its 街道/镇
suffix, with stray spaces or full-width characters. Old names and codes (新盛镇, 500110122)
are aliases of the current unit.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines import settings

IN_SCOPE = "本级"
_SUFFIXES = ("街道", "镇")
_MAX_REMEMBERED = 10_000
LIST_SEPARATORS = re.compile(r"[、,;/\s]+")  # after NFKC, ， and ； are , and ;


@dataclass(frozen=True)
class Township:
    code9: str
    name: str
    in_scope: bool
    valid_from: int | None


def _norm(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code typed as a number in Excel
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def _strip_suffix(text: str) -> str:
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


class TownshipResolver:
    def __init__(self, townships: dict[str, Township], keys: dict[str, str]):
        self.townships = townships  # code9 → Township
        self._keys = keys  # normalised name/alias/code → code9
        self._seen: dict[Any, Township | None] = {}  # cell as written → lookup result

    @classmethod
    def from_csv(cls, path: Path) -> TownshipResolver:
        townships: dict[str, Township] = {}
        keys: dict[str, str] = {}
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for rec in csv.DictReader(fh):
                code9 = rec["code9"].strip()
                valid_from = rec.get("valid_from", "").strip()
                townships[code9] = Township(
                    code9=code9,
                    name=rec["name"].strip(),
                    in_scope=rec.get("scope", "").strip() == IN_SCOPE,
                    valid_from=int(valid_from) if valid_from else None,
                )
                names = [code9, rec.get("code12", ""), rec["name"]]
                names += (rec.get("aliases") or "").split("|")
                for name in filter(None, (_norm(n) for n in names)):
                    keys.setdefault(name, code9)
                    keys.setdefault(_strip_suffix(name), code9)
                    if name.isdigit() and len(name) == 9:
                        keys.setdefault(name + "000", code9)  # an old 9-digit code in 12 digits
        return cls(townships, keys)

    @functools.cached_property
    def in_scope_keys(self):
        """polars frame k → code9, valid_from of the in-scope townships' normalised spellings.

        A cell written exactly as one of these keys resolves as lookup() would (the keys are
        already normalised), so the reader joins on it instead of calling lookup() per cell: at
        national scale (40,000 townships) the per-cell path dominated reading."""
        import polars as pl

        rows = [(k, c) for k, c in self._keys.items() if self.townships[c].in_scope]
        return pl.DataFrame(
            {
                "k": [k for k, _ in rows],
                "code9": [c for _, c in rows],
                "valid_from": [self.townships[c].valid_from for _, c in rows],
            },
            schema={"k": pl.Utf8, "code9": pl.Utf8, "valid_from": pl.Int32},
        )

    def lookup(self, value: Any) -> Township | None:
        # A file repeats a handful of spellings many times: remember each one's answer.
        try:
            return self._seen[value]
        except KeyError:
            pass
        text = _norm(value)
        code = self._keys.get(text) or self._keys.get(_strip_suffix(text))
        found = self.townships[code] if code else None
        if len(self._seen) < _MAX_REMEMBERED:
            self._seen[value] = found
        return found

    def resolve(self, value: Any, year: int | None) -> tuple[str | None, str | None]:
        """(code9, None) or (None, reason): unknown_township, out_of_scope, township_not_valid."""
        t = self.lookup(value)
        if t is None:
            return None, "unknown_township"
        if not t.in_scope:
            return None, "out_of_scope"
        if year is not None and t.valid_from is not None and year < t.valid_from:
            return None, "township_not_valid"
        return t.code9, None


def split_township_list(text: Any) -> list[str]:
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return [p for p in LIST_SEPARATORS.split(unicodedata.normalize("NFKC", str(text))) if p]


@functools.cache
def default_resolver() -> TownshipResolver:
    return TownshipResolver.from_csv(settings.SEEDS_DIR / "townships.csv")
