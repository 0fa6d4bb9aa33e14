"""Parse one column of raw cell strings into typed values and reason codes, vectorised.

A column is a polars Series of the cells as written (Excel numbers and dates already spelled as
values.clean_text spells them). Each field gets a ColumnParser that returns, per row, the value
and, where the cell breaks the field, a reason code and a detail (the same codes and details as
the scalar parsers of values.py and converters.py).

The common spellings are polars expressions: blank and NULL markers, plain, full-width and
thousands-grouped numbers (with unit factor, negative, fraction-in-int), ISO, slash and
年月日 dates and datetimes, trimmed text with the privacy pre-check. Every other non-blank cell —
coded values (domains, hazards, townships, booleans, 口径), unusual spellings, errors — goes to the
field's scalar parser once per distinct cell (remembered across chunks) and joins back, so the
two paths cannot disagree: the expressions cover only spellings whose scalar result they
reproduce exactly, and give up (null, not handled) on anything else.

The file's checks follow as expressions: the event date within the period and not in the
future, 年度 equal to the period's year, and a field's max.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from pipelines.ingest.contracts import Contract, Field
from pipelines.ingest.converters import cell_parser, norm_text
from pipelines.ingest.periods import FilePeriod
from pipelines.ingest.townships import LIST_SEPARATORS, TownshipResolver, default_resolver
from pipelines.ingest.values import NULL_MARKERS, CellError, is_null

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

# Exactly the characters Python's str.strip() removes (Rust's whitespace lacks \x1c-\x1f).
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_NULLS = sorted(NULL_MARKERS)
_NUMBER_MARK = "\x00"  # never in a cell's text (CSV with NUL is rejected, xlsx cannot hold it)
_MEMO_LIMIT = 200_000  # distinct cells remembered per column

_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_PLAIN = f"^{_NUMBER}$"
_GROUPED = r"^[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?$"
# NFKC of these is the ASCII character (the only non-ASCII a number may hold on the fast path).
_FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {
    "．": ".",
    "，": ",",
    "－": "-",
    "＋": "+",
    "ｅ": "e",
    "Ｅ": "E",
    "\u3000": "",
    "\u00a0": "",
    " ": "",
}
# values._DATE_PART (ISO included) restricted to ASCII digits and a H:MM[:SS] clock time.
# Anything strptime would read but Python would not (year 0, second 60) does not match.
_DATE_FORMS = (
    r"^([0-9]{4})\s*(?:[-/.]\s*([0-9]{1,2})\s*[-/.]\s*([0-9]{1,2})"
    r"|年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?)"
    r"(?:[T\s]*([0-9]{1,2}):([0-9]{1,2})(?::([0-5]?[0-9]))?)?$"  # no leap second
)
# The common spellings (2023-06-01, with HH:MM or HH:MM:SS), read without the regex above.
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?: [0-9]{2}:[0-9]{2}(?::[0-5][0-9])?)?$"
SENSITIVE = r"\d{3}[- ]?\d{4}"  # privacy._MAYBESENSITIVE


@dataclass
class Parsed:
    value: pl.Series  # typed, null where blank or failed
    reason: pl.Series  # Utf8 reason code, null when the cell passed
    detail: pl.Series  # Utf8, null or the reason's detail


class ColumnParser:
    """Parses one bound field's column, chunk after chunk."""

    def __init__(
        self,
        f: Field,
        factor: float,
        contract: Contract,
        period: FilePeriod,
        today: date,
        resolver: TownshipResolver | None = None,
    ):
        self.field = f
        self.factor = factor
        self.period = period
        self.today = today
        self.dtype = POLARS_TYPES[f.type]
        self.is_event_date = f.name == contract.event_date
        self.is_period_year = f.name == "year" and not self.is_event_date
        self.percent = f.quantity == "percent"
        self.masked = f.type == "text" and (
            f.hazards is None
            and f.domain is None
            and (f.private or not (f.soft_domain or f.name.endswith("_id")))
        )
        self.resolver = resolver
        self.scalar = cell_parser(f, factor, resolver)
        self.memo: dict[str, tuple[Any, str | None, str | None]] = {}

    # --- the whole column ---------------------------------------------------------------------

    def parse(self, cells: pl.Series, numbers: pl.Series | None = None) -> Parsed:
        """numbers: True where an Excel cell was a number (dates read those as serials)."""
        n = cells.len()
        prep = pl.DataFrame({"s": cells.cast(pl.Utf8)}).with_columns(
            pl.col("s").str.strip_chars(PY_WHITESPACE).alias("t")
        )
        prep = prep.with_columns((pl.col("s").is_null() | pl.col("t").is_in(_NULLS)).alias("b"))
        cells, trimmed, blank = prep["s"], prep["t"], prep["b"]
        value, reason = self._fast(trimmed)
        todo = ~blank & value.is_null() & reason.is_null()
        if numbers is not None and self.field.type in ("date", "datetime"):
            cells = where(numbers & todo, _NUMBER_MARK + cells, cells)
        detail = nulls(n, pl.Utf8)
        if todo.any():
            v2, r2, d2 = self._slow(cells, todo)
            value = where(todo, v2, value)
            reason = where(todo, r2, reason)
            detail = where(todo, d2, detail)
        value = where(blank, nulls(n, self.dtype), value)
        reason = where(blank, nulls(n, pl.Utf8), reason)
        return self._checks(value, reason, detail)

    def _fast(self, t: pl.Series) -> tuple[pl.Series, pl.Series]:
        """(value, reason) for the spellings the expressions cover; both null elsewhere."""
        n = t.len()
        no_reason = nulls(n, pl.Utf8)
        kind = self.field.type
        if kind in ("int", "num"):
            return self._number(t)
        if kind == "year":
            v = pl.select(
                pl.when(t.str.contains(r"^[0-9]{1,9}$")).then(t.cast(pl.Int32, strict=False))
            ).to_series()
            return v, no_reason
        if kind in ("date", "datetime"):
            return self._datetime(t), no_reason
        if kind == "township":
            return self._township(t), no_reason
        if kind == "township_list":
            return self._township_list(t), no_reason
        if kind == "text" and self.field.hazards is None and self.field.domain is None:
            v = t
            if self.masked:
                # Only a cell with a run of digits can hold an ID or mobile number.
                v = where(
                    t.str.contains(SENSITIVE).fill_null(False),
                    nulls(n, pl.Utf8),
                    t,
                )
            return v, no_reason
        return nulls(n, self.dtype), no_reason

    def _township(self, t: pl.Series) -> pl.Series:
        """Codes of cells spelled exactly as an in-scope township valid that year; null for the
        rest, which the scalar parser resolves (or rejects with its reason) one distinct cell at
        a time."""
        keys = (self.resolver or default_resolver()).in_scope_keys
        found = pl.DataFrame({"k": t}).join(keys, on="k", how="left", maintain_order="left")
        year = self.period.year
        if year is None:
            return found["code9"]
        valid = found["valid_from"].is_null() | (found["valid_from"] <= year)
        return where(valid, found["code9"], nulls(t.len(), pl.Utf8))

    def _township_list(self, t: pl.Series) -> pl.Series:
        """Codes of lists whose every entry is spelled exactly as an in-scope township valid that
        year, in order of first mention, without repeats (as the scalar parser gives them); null
        for the rest, which the scalar parser resolves or rejects one distinct cell at a time. At
        national scale nearly every cell of a warnings file is distinct."""
        keys = (self.resolver or default_resolver()).in_scope_keys
        year = self.period.year
        entries = (
            pl.DataFrame({"s": t})
            .with_row_index("_i")
            .select(
                "_i",
                pl.col("s")
                .str.normalize("NFKC")
                .str.replace_all(LIST_SEPARATORS.pattern, "\x00")
                .str.split("\x00")
                .alias("k"),
            )
            .explode("k")
            .filter(pl.col("k") != "")
            .join(keys, on="k", how="left", maintain_order="left")
        )
        ok = pl.col("code9").is_not_null()
        if year is not None:
            ok = ok & (pl.col("valid_from").is_null() | (pl.col("valid_from") <= year))
        lists = entries.group_by("_i", maintain_order=True).agg(
            pl.col("code9").unique(maintain_order=True).alias("codes"), ok.all().alias("ok")
        )
        rows = pl.DataFrame({"_i": pl.int_range(0, t.len(), dtype=pl.UInt32, eager=True)})
        out = rows.join(lists, on="_i", how="left", maintain_order="left")
        return out.select(pl.when(pl.col("ok")).then(pl.col("codes"))).to_series()

    def _number(self, t: pl.Series) -> tuple[pl.Series, pl.Series]:
        plain = t.str.contains(_PLAIN).fill_null(False)
        text = pl.select(pl.when(plain).then(t)).to_series()
        rest = ~plain & t.is_not_null()
        if rest.any():  # full-width digits, inner spaces, thousands separators: on those rows
            a = t.filter(rest).str.replace_many(list(_FULL_WIDTH), list(_FULL_WIDTH.values()))
            fixed = pl.select(
                pl.when(a.str.contains(_PLAIN))
                .then(a)
                .when(a.str.contains(_GROUPED))
                .then(a.str.replace_all(",", "", literal=True))
            ).to_series()
            text = text.scatter(rest.arg_true(), fixed)
        v = pl.col("v")
        reason = (
            pl.when(v.is_infinite())
            .then(pl.lit("not_a_number"))
            .when(v < 0)
            .then(pl.lit("negative"))
        )
        if self.field.type == "int":
            reason = reason.when(v != v.floor()).then(pl.lit("fraction_in_int"))
        scaled = pl.col("t").cast(pl.Float64, strict=False)
        if self.factor != 1.0:
            scaled = (scaled * self.factor).round(6 if self.field.type == "int" else 10)
        out = (
            pl.DataFrame({"t": text})
            .select(scaled.alias("v"))
            .with_columns(reason.alias("r"))
            .select(pl.when(pl.col("r").is_null()).then(v).cast(self.dtype, strict=False), "r")
        )
        return out["v"], out["r"]

    def _datetime(self, t: pl.Series) -> pl.Series:
        """ISO forms through one strptime; the other forms through the regex, on those rows."""
        x = pl.col("t")
        full = (
            pl.when(x.str.len_bytes() == 10)
            .then(x + " 00:00:00")
            .when(x.str.len_bytes() == 16)
            .then(x + ":00")
            .otherwise(x)
        )
        v = (
            pl.DataFrame({"t": t})
            .select(
                pl.when(x.str.contains(_ISO) & ~x.str.starts_with("0000")).then(
                    full.str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us", strict=False)
                )
            )
            .to_series()
        )
        rest = v.is_null() & t.is_not_null()
        if rest.any():
            g = pl.col("g").struct.field
            two = lambda e: e.fill_null("0").str.zfill(2)  # noqa: E731
            stamp = pl.concat_str(
                g("1"),
                pl.lit("-"),
                two(pl.coalesce(g("2"), g("4"))),
                pl.lit("-"),
                two(pl.coalesce(g("3"), g("5"))),
                pl.lit(" "),
                two(g("6")),
                pl.lit(":"),
                two(g("7")),
                pl.lit(":"),
                two(g("8")),
            )
            other = (
                pl.DataFrame({"t": t.filter(rest)})
                .select(x.str.extract_groups(_DATE_FORMS).alias("g"))
                .select(
                    pl.when(g("1") != "0000")  # year 0 is no date for Python
                    .then(stamp)
                    .str.to_datetime("%Y-%m-%d %H:%M:%S", time_unit="us", strict=False)
                )
                .to_series()
            )
            v = v.scatter(rest.arg_true(), other)
        return v.dt.date() if self.field.type == "date" else v

    def _slow(self, cells: pl.Series, todo: pl.Series) -> tuple[pl.Series, pl.Series, pl.Series]:
        """The scalar parser, once per distinct cell, joined back onto the rows."""
        memo = self.memo
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        keys = cells.filter(todo).unique().to_list()
        for k in keys:
            if k not in memo:
                memo[k] = self._one(k)
        vals = [memo[k] for k in keys]
        table = pl.DataFrame(
            [
                pl.Series("k", keys, dtype=pl.Utf8),
                pl.Series("v", [v for v, _, _ in vals], dtype=self.dtype),
                pl.Series("r", [r for _, r, _ in vals], dtype=pl.Utf8),
                pl.Series("d", [d for _, _, d in vals], dtype=pl.Utf8),
            ]
        )
        key = pl.select(pl.when(todo).then(cells)).to_series().alias("k")
        out = pl.DataFrame([key]).join(table, on="k", how="left", maintain_order="left")
        return out["v"], out["r"], out["d"]

    def _one(self, cell: str) -> tuple[Any, str | None, str | None]:
        if is_null(cell):
            return None, None, None
        try:
            if cell.startswith(_NUMBER_MARK):  # an Excel number: a serial, not a spelled date
                number = cell[1:]
                cell = int(number) if number.lstrip("-").isdigit() else float(number)
            return self.scalar(cell, self.period.year), None, None
        except CellError as exc:
            return None, exc.reason_code, exc.detail or None

    # --- the file's checks --------------------------------------------------------------------

    def _checks(self, value: pl.Series, reason: pl.Series, detail: pl.Series) -> Parsed:
        p, f = self.period, self.field
        checks: list[tuple[pl.Expr, str, str]] = []
        v = pl.col("v")
        if self.is_event_date:
            day = v.dt.date() if f.type == "datetime" else v
            checks.append(
                ((day < p.start) | (day > p.end), "date_out_of_period", f"文件期间 {p.period}")
            )
            checks.append((day > self.today, "future_date", f"今天是 {self.today.isoformat()}"))
        elif self.is_period_year:
            checks.append((v != p.year, "date_out_of_period", f"文件年份 {p.year}"))
        if f.max is not None:
            checks.append((v > f.max, "rule_violation", f"不应大于 {f.max:g}"))
        if not checks:
            return Parsed(value, reason, detail)
        r = pl.col("r")
        d = pl.col("d")
        for cond, code, text in reversed(checks):
            guard = r.is_null() & v.is_not_null() & cond
            r = pl.when(guard).then(pl.lit(code)).otherwise(r)
            d = pl.when(guard).then(pl.lit(text)).otherwise(d)
        out = pl.DataFrame({"v": value, "r": reason, "d": detail}).select(
            pl.when(r.is_null()).then(v).alias("v"), r.alias("r"), d.alias("d")
        )
        return Parsed(out["v"], out["r"], out["d"])


def soft_values(f: Field, values: pl.Series) -> pl.Series:
    """A soft-domain column's canonical values (null where unrecognised)."""
    canonical = {norm_text(v): v for v in f.soft_domain or ()}
    keys = values.drop_nulls().unique().to_list()
    mapping = {k: canonical.get(k) or canonical.get(norm_text(k)) for k in keys}
    return values.replace_strict(mapping, default=None, return_dtype=pl.Utf8)


def nulls(n: int, dtype: pl.DataType) -> pl.Series:
    return pl.Series(dtype=dtype).extend_constant(None, n)


def where(mask: pl.Series, then: pl.Series, otherwise: pl.Series) -> pl.Series:
    return pl.select(pl.when(mask).then(then).otherwise(otherwise)).to_series()
