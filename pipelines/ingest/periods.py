"""The period and revision a file name carries (spec README, Landing zone; datasets.md, Rules).

Period forms: 2023, 2023年, 2023-06, 2023年6月, 2023年06月, 202306, 2023Q2, 2023-Q2,
2023年第二季度, 2023年二季度. A range (2024年1-7月, 2023-2024) is not a period. Full dates in a name
(20240105, 2024-01-05, 2024年1月5日) are taken as the delivery date and ignored.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Literal

_YEAR = r"(?<!\d)((?:19|20)\d\d)(?!\d)"
_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_SEP = r"[-~～—–至到]"

# A range anywhere in the name makes it period-less (rejected as no_period by the caller).
_RANGES = [
    re.compile(rf"{_YEAR}\s*年?\s*{_SEP}\s*((?:19|20)\d\d)(?!\d)"),  # 2023-2024, 2023年至2024年
    re.compile(rf"{_YEAR}\s*年\s*\d{{1,2}}\s*月?\s*{_SEP}\s*\d{{1,2}}\s*月"),  # 2024年1-7月
    re.compile(rf"{_YEAR}[-.]\d{{1,2}}\s*[~～—–至到]\s*\d{{1,2}}(?!\d)"),  # 2024.1~7, 2024-01至07
    # 2024年1月-2024年7月, 2024.01-2024.07, 2024-01至2024-07
    re.compile(rf"{_YEAR}\s*[-.年]\s*\d{{1,2}}\s*月?\s*{_SEP}\s*(?:19|20)\d\d(?!\d)"),
    re.compile(r"[一二三四1-4]\s*" + _SEP + r"\s*[一二三四1-4]\s*季度"),  # 一至二季度
    re.compile(r"上半年|下半年|前三季度"),
]
# Delivery dates, removed before the period is looked for.
_FULL_DATES = re.compile(
    rf"{_YEAR}(?:年\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日|[-.]\d{{1,2}}[-.]\d{{1,2}}(?!\d))"
    r"|(?<!\d)(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"
)
_QUARTER = re.compile(
    rf"{_YEAR}\s*(?:年\s*(?:第\s*)?([一二三四1-4])\s*季度?|[-_]?\s*[Qq]([1-4]))(?!\d)"
)
_MONTH = re.compile(
    rf"{_YEAR}\s*(?:年\s*|[-._])(0?[1-9]|1[0-2])(?!\d)(?:\s*月)?"
    r"|(?<!\d)((?:19|20)\d\d)(0[1-9]|1[0-2])(?!\d)"  # 202306
)
_YEAR_ONLY = re.compile(_YEAR)

# Revision markers and their rank: unmarked = 初报 = v1 < 续报 < 核报 = v2 < v3 < … < 更正 = 修订.
UNMARKED_RANK = 1
_CORRECTION_RANK = 1000
_WORD_RANKS = {"初报": 1, "续报": 2, "核报": 3, "更正": _CORRECTION_RANK, "修订": _CORRECTION_RANK}
_VERSION = re.compile(r"(?<![A-Za-z])[Vv]\s*(\d{1,3})(?!\d)")


@dataclass(frozen=True)
class FilePeriod:
    period: str  # 'YYYY' | 'YYYY-Qn' | 'YYYY-MM'
    kind: Literal["year", "quarter", "month"]
    start: date
    end: date
    year: int

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end


def year_period(year: int) -> FilePeriod:
    return FilePeriod(str(year), "year", date(year, 1, 1), date(year, 12, 31), year)


def quarter_period(year: int, quarter: int) -> FilePeriod:
    first = 3 * quarter - 2
    last_day = calendar.monthrange(year, first + 2)[1]
    return FilePeriod(
        f"{year}-Q{quarter}", "quarter", date(year, first, 1), date(year, first + 2, last_day), year
    )


def month_period(year: int, month: int) -> FilePeriod:
    last_day = calendar.monthrange(year, month)[1]
    return FilePeriod(
        f"{year}-{month:02d}", "month", date(year, month, 1), date(year, month, last_day), year
    )


def _stem(name: str) -> str:
    stem = PurePath(str(name)).name
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    # Full-width digits and letters (２０２３年, Ｑ２, Ｖ２) read as their ASCII forms.
    return unicodedata.normalize("NFKC", stem)


def parse_period(name: str) -> FilePeriod | None:
    """The period a file name carries, or None (no period, or a range)."""
    text = _FULL_DATES.sub(" ", _stem(name))
    if any(r.search(text) for r in _RANGES):
        return None
    if m := _QUARTER.search(text):
        return quarter_period(int(m.group(1)), _CN_QUARTER[m.group(2) or m.group(3)])
    if m := _MONTH.search(text):
        year, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return month_period(int(year), int(month))
    if m := _YEAR_ONLY.search(text):
        return year_period(int(m.group(1)))
    return None


def parse_revision(name: str) -> tuple[str | None, int]:
    """(revision as written, rank); the highest-ranked marker wins when a name has several."""
    text = _stem(name)
    best: tuple[str | None, int] = (None, UNMARKED_RANK)
    for word, rank in _WORD_RANKS.items():
        if word in text and rank >= best[1]:
            best = (word, rank)
    for m in _VERSION.finditer(text):
        n = int(m.group(1))
        rank = 1 if n <= 1 else n + 1  # v1 = 初报 (1), v2 = 核报 (3), v3 = 4, …
        if rank >= best[1] and rank < _CORRECTION_RANK:
            best = (m.group(0).replace(" ", ""), rank)
    return best


def parse_file_name(name: str) -> tuple[FilePeriod | None, str | None, int]:
    """(period or None, revision as written or None, revision rank)."""
    revision, rank = parse_revision(name)
    return parse_period(name), revision, rank
