"""What a delivered file is before it is written: period, name, style and rows.

Rows hold canonical values keyed by contract field name (township as the 9-digit code, money
in 万元, …); the writer renders them as a department would. Two reserved keys: `_raw` maps a
field to a literal cell text (bad rows), `_bad` is the expected (reason_code, field).
"""

from __future__ import annotations

from dataclasses import dataclass, field

QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def months(self) -> tuple[int, int]:
        if self.month:
            return self.month, self.month
        if self.quarter:
            return 3 * self.quarter - 2, 3 * self.quarter
        return 1, 12

    def label(self, style: int = 0) -> str:
        """The period as written in a file name; style picks among the accepted spellings."""
        if self.month:
            return f"{self.year}年{self.month}月" if style % 2 == 0 else f"{self.year}-{self.month:02d}"
        if self.quarter:
            return f"{self.year}Q{self.quarter}" if style % 2 == 0 else f"{self.year}年第{QUARTER_ZH[self.quarter]}季度"
        return f"{self.year}年" if style % 2 == 0 else f"{self.year}"


@dataclass
class Style:
    """How a department lays out and spells a file."""

    title: str | None = None
    units_row: str | None = None
    fields: list[str] = field(default_factory=list)  # delivered columns, in order
    headers: dict[str, str] = field(default_factory=dict)  # field -> header text as written
    units: dict[str, str] = field(default_factory=dict)  # field -> delivered unit (converted)
    date_fmt: str = "iso"  # iso | slash | zh | serial | excel
    datetime_fmt: str = "iso"  # iso | slash | zh | excel
    bool_fmt: str = "是否"  # 是否 | YN | 10 | √×
    township_fmt: str = "name"  # name | short | code | mixed
    null_token: str = ""  # blank, -, /, 无 for optional values not reported
    fullwidth: bool = False
    thousands: bool = False
    seq_col: bool = False
    remark_col: bool = False
    totals: str | None = None  # 合计 / 总计 / 小计 label of a totals row at the end
    blank_rows: bool = False
    footer: str | None = None


@dataclass
class Sheet:
    name: str | None
    rows: list[dict]
    note: str | None = None  # a text-only sheet (instructions) the reader must ignore


@dataclass
class FileSpec:
    dataset: str
    name: str  # file name
    period: Period
    sheets: list[Sheet]
    style: Style
    fmt: str = "csv"  # csv | xlsx | xls
    encoding: str = "utf-8"  # csv only: utf-8 | utf-8-sig | gb18030
    subdir: str = ""  # optional folder below the dataset folder
    raw_bytes: bytes | None = None  # deliberately broken files are written as given
    bad_file: str | None = None  # expected file-level reason_code
    note: str = ""
    copy_of: FileSpec | None = None  # an exact duplicate delivery: same bytes, another name

    @property
    def rows(self) -> list[dict]:
        return [r for s in self.sheets for r in s.rows]
