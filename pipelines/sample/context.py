"""Shared state of one generation run: the seed, the calendar, townships and file helpers."""

from __future__ import annotations

import calendar
import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from pipelines.ingest.contracts import all_contracts

from .model import FileSpec, Period, Sheet
from .styles import make_style
from .towns import Towns


@dataclass
class Ctx:
    seed: int
    first_year: int
    last_year: int
    last_month: int
    towns: Towns
    files: list[FileSpec] = field(default_factory=list)

    @property
    def as_of(self) -> date:
        """The last day covered: nothing in the sample is dated after it."""
        return date(self.last_year, self.last_month, calendar.monthrange(self.last_year, self.last_month)[1])

    def rng(self, *keys) -> random.Random:
        # Stable across processes (unlike hash()): one independent stream per dataset/purpose.
        h = hashlib.sha256(repr((self.seed, *keys)).encode()).digest()
        return random.Random(int.from_bytes(h[:8], "big"))

    def years(self, start: int | None = None, *, complete: bool = False) -> range:
        """Years of the sample; `complete` drops the current, unfinished year."""
        end = self.last_year - (1 if complete and self.last_month < 12 else 0)
        return range(max(self.first_year, start or self.first_year), end + 1)

    def months(self, year: int) -> range:
        return range(1, (self.last_month if year == self.last_year else 12) + 1)

    def town_codes(self, year: int) -> list[str]:
        return [t.code for t in self.towns.in_scope(year)]

    def random_day(self, rng: random.Random, year: int, months: tuple[int, int] | None = None) -> date:
        lo, hi = months or (1, 12)
        hi = min(hi, self.last_month) if year == self.last_year else hi
        m = rng.randint(lo, max(lo, hi))
        last = calendar.monthrange(year, m)[1]
        d = date(year, m, rng.randint(1, last))
        return min(d, self.as_of - timedelta(days=1))

    def random_time(self, rng: random.Random, d: date, hours: tuple[int, int] = (6, 22)) -> datetime:
        return datetime(d.year, d.month, d.day, rng.randint(*hours), rng.choice(range(0, 60, 5)))

    def periods_recent(self, year: int) -> list[Period]:
        """Annual for a finished year; quarters then months so far for the current one."""
        if year < self.last_year or self.last_month == 12:
            return [Period(year)]
        q_done = self.last_month // 3
        out = [Period(year, quarter=q) for q in range(1, q_done + 1)]
        return out + [Period(year, month=m) for m in range(3 * q_done + 1, self.last_month + 1)]

    def filed_on(self, p: Period) -> str:
        lo, hi = p.months
        end = date(p.year, hi, calendar.monthrange(p.year, hi)[1]) + timedelta(days=12)
        d = min(end, self.as_of)
        return f"{d.year}年{d.month}月{d.day}日"

    def add(
        self,
        dataset: str,
        period: Period,
        rows: list[dict] | list[Sheet],
        *,
        name: str,
        fmt: str = "csv",
        encoding: str | None = None,
        style_key: str = "",
        **style_kw,
    ) -> FileSpec:
        c = all_contracts()[dataset]
        rng = self.rng(dataset, "style", name, style_key)
        style = make_style(c, period, rng, filed_on=self.filed_on(period), **style_kw)
        # A single-sheet workbook still has a sheet name: the one office software gives it.
        default = "Sheet1" if fmt in ("xlsx", "xls") else None
        sheets = rows if rows and isinstance(rows[0], Sheet) else [Sheet(default, list(rows))]
        if encoding is None:
            encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030", "gb18030"]) if fmt == "csv" else ""
        spec = FileSpec(dataset, f"{name}.{fmt}", period, sheets, style, fmt=fmt, encoding=encoding)
        self.files.append(spec)
        return spec

