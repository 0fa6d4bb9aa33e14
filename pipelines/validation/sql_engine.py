"""Evaluate a frame's expectations inside DuckDB, with Great Expectations' semantics.

    evaluate(con, frame_sql, specs, report_columns, ...) -> {index: (success, result, exception)}

The runner sends a frame here instead of to GX when it has more rows than EMSTATS_GX_MAX_ROWS
(and an expectation with a list kwarg of more than 1000 values, whatever the frame's size):
GX on pandas needs the whole frame in Python memory (and more, for COMPLETE results), which at
national scale is tens of millions of rows. Here the frame stays a DuckDB subquery and is never
materialised in Python. One query counts, for every expectation of the frame, the rows in its
domain and the failing ones (`count(*) FILTER (...)`); a uniqueness expectation is proven in the
same scan when its keys have as many distinct hashes as rows. Only when something fails (or a key
may repeat) does a second query, over the failing rows only, find the repeated keys (a window
count per key), the first failing rows in the frame's own order (`min_by(..., n)`) and every
failing file (`list(DISTINCT ...)`).

The result per expectation is the triple the GX path returns, with the keys the runner reads and GX
fills: `element_count`, `unexpected_count`, `unexpected_percent`, `missing_count` (not for
not_null), `partial_unexpected_list` (first 20 unexpected values), `unexpected_index_list` (the
first `max_examples` failing rows as dicts of the report columns and the checked columns), plus
`failing_files` (every file of every failing row, as GX's COMPLETE index list gives).

Semantics, as GX 1.x on pandas (tests/validation/test_sql_engine.py runs both on the same frames):

- `element_count` is the frame's row count after `row_condition` (never after nulls or
  ignore_row_if); the rows considered are those without a null in the checked column (column
  expectations), or not dropped by `ignore_row_if` (pair: default both_values_are_missing;
  compound: default all_values_are_missing); `missing_count` = element_count - considered.
- not_null: unexpected = null rows; success over element_count. The others: success over the
  considered rows, vacuously true when there are none; `mostly` as GX (ratio >= mostly).
- between: min/max inclusive unless strict_min/strict_max; in_set: membership in value_set
  (None: every value passes); unique / compound unique: every row of a value (tuple of values)
  that occurs more than once among the considered rows, nulls equal to each other as in pandas'
  `duplicated`; pair: A > B (A >= B with or_equal), A == B. A pair row with one missing value
  that ignore_row_if keeps is unexpected, as pandas compares NaN in float columns (on nullable
  integer columns GX raises instead; the suites all use either_value_is_missing).
- NaN in a FLOAT/DOUBLE column is missing, as pandas treats it.
- row_condition: the dict form (comparison ==, !=, <, <=, >, >=, IN, NOT_IN; nullity; and; or),
  with pandas' null handling (a null matches only != and NOT_IN).

Anything else, an unknown expectation type, an unknown kwarg, a string row_condition, or a value
whose type does not match its column, raises UnsupportedExpectation: never a silent pass.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

PARTIAL_UNEXPECTED = 20  # GX's partial_unexpected_count
_P = "__sqlv_"  # prefix of the engine's helper columns

COLUMN_MAP = {
    "expect_column_values_to_not_be_null",
    "expect_column_values_to_be_between",
    "expect_column_values_to_be_in_set",
    "expect_column_values_to_be_unique",
}
PAIR = {"expect_column_pair_values_a_to_be_greater_than_b", "expect_column_pair_values_to_be_equal"}
MULTICOLUMN = {"expect_compound_columns_to_be_unique"}
SUPPORTED = COLUMN_MAP | PAIR | MULTICOLUMN

_KWARGS = {
    "expect_column_values_to_not_be_null": {"column"},
    "expect_column_values_to_be_between": {"column", "min_value", "max_value", "strict_min", "strict_max"},
    "expect_column_values_to_be_in_set": {"column", "value_set"},
    "expect_column_values_to_be_unique": {"column"},
    "expect_compound_columns_to_be_unique": {"column_list", "ignore_row_if"},
    "expect_column_pair_values_a_to_be_greater_than_b": {"column_A", "column_B", "or_equal", "ignore_row_if"},
    "expect_column_pair_values_to_be_equal": {"column_A", "column_B", "ignore_row_if"},
}
_COMMON_KWARGS = {"row_condition", "mostly"}
_OPERATORS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class UnsupportedExpectation(ValueError):
    """An expectation (type, kwarg or form) the SQL engine cannot evaluate with GX's semantics."""


def condition_columns(cond: Any) -> list[str]:
    """Columns a dict row_condition reads (comparison, nullity, and, or)."""
    if not isinstance(cond, dict):
        return []
    if cond.get("type") in ("and", "or"):
        return [c for sub in cond.get("conditions") or [] for c in condition_columns(sub)]
    col = cond.get("column")
    if isinstance(col, dict) and isinstance(col.get("name"), str):
        return [col["name"]]
    return []


def quote(name: str) -> str:
    """A column name as a DuckDB identifier."""
    return '"' + str(name).replace('"', '""') + '"'


_q = quote


def _family(duck_type: str) -> str:
    t = duck_type.upper()
    if t in ("VARCHAR", "TEXT", "STRING"):
        return "str"
    if t == "BOOLEAN":
        return "bool"
    if t.startswith("DECIMAL") or t in (
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
        "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "REAL",
    ):
        return "num"
    if t in ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"):
        return "time"
    return "other"


def _value_family(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int | float | decimal.Decimal):
        return "num"
    if isinstance(v, str):
        return "str"
    if isinstance(v, dt.date):
        return "time"
    return "other"


def _compatible(col_family: str, v: Any) -> bool:
    f = _value_family(v)
    return f == col_family or (col_family == "time" and f == "str")


def _param_type(values: Sequence[Any]) -> str:
    kinds = {type(v) for v in values}
    if not kinds or kinds <= {str}:
        return "VARCHAR"
    if kinds <= {bool}:
        return "BOOLEAN"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "BIGINT"
    if all(_value_family(v) == "num" for v in values):
        return "DOUBLE"
    if all(isinstance(v, dt.datetime) for v in values):
        return "TIMESTAMP"
    if all(isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in values):
        return "DATE"
    raise UnsupportedExpectation(f"values of mixed or unsupported types: {list(values)[:5]!r}")


@dataclass
class _Frame:
    types: dict[str, str]  # column -> DuckDB type
    params: dict[str, Any] = field(default_factory=dict)

    def family(self, col: str) -> str:
        return _family(self.types[col])

    def param(self, value: Any) -> str:
        """A bound parameter, cast to its type (an untyped list parameter makes DuckDB's IN
        subquery several times slower)."""
        name = f"p{len(self.params)}"
        if isinstance(value, list):
            self.params[name] = value
            return f"${name}::{_param_type(value)}[]"
        self.params[name] = value
        return f"${name}::{_param_type([value])}"

    def col(self, name: str) -> str:
        """The column's value, NaN as NULL in float columns (pandas treats NaN as missing)."""
        if name not in self.types:
            raise KeyError(name)
        if self.types[name].upper() in ("FLOAT", "DOUBLE", "REAL"):
            return f"(CASE WHEN isnan({_q(name)}) THEN NULL ELSE {_q(name)} END)"
        return _q(name)

    def missing(self, name: str) -> str:
        return f"({self.col(name)} IS NULL)"

    def members(self, name: str, values: Sequence[Any], what: str) -> str:
        """`column IN values` for non-null column values (NULL for a null value)."""
        values = [v for v in values if v is not None]
        fam = self.family(name)
        bad = [v for v in values if not _compatible(fam, v)]
        if bad:
            raise UnsupportedExpectation(
                f"{what}: {bad[:3]!r} do not match column {name!r} of type {self.types[name]}"
            )
        if not values:
            return f"CASE WHEN {self.col(name)} IS NULL THEN NULL ELSE false END"
        return f"({self.col(name)} IN (SELECT unnest({self.param(list(values))})))"


def _condition_sql(frame: _Frame, cond: Any) -> str:
    """SQL of a dict row_condition, true exactly for the rows pandas' query keeps."""
    if cond is None:
        return "true"
    if not isinstance(cond, dict):
        raise UnsupportedExpectation(f"row_condition must be the dict form, not {type(cond).__name__}: {cond!r}")
    kind = cond.get("type")
    if kind in ("and", "or"):
        parts = [_condition_sql(frame, c) for c in cond.get("conditions") or []]
        if not parts:
            raise UnsupportedExpectation(f"empty {kind} row_condition")
        return "(" + f" {kind.upper()} ".join(parts) + ")"
    col = (cond.get("column") or {}).get("name") if isinstance(cond.get("column"), dict) else None
    if not isinstance(col, str):
        raise UnsupportedExpectation(f"row_condition without a column name: {cond!r}")
    if col not in frame.types:
        raise KeyError(col)
    if kind == "nullity":
        return f"{frame.missing(col)} = {'true' if cond.get('is_null') else 'false'}"
    if kind != "comparison":
        raise UnsupportedExpectation(f"row_condition type {kind!r} is not supported by the SQL engine")
    op, value = cond.get("operator"), cond.get("parameter")
    if value is None:
        raise UnsupportedExpectation(f"row_condition parameter is None: {cond!r}")
    if op in ("IN", "NOT_IN"):
        if isinstance(value, str) or not isinstance(value, list | tuple | set):
            raise UnsupportedExpectation(f"{op} needs a list parameter: {cond!r}")
        inside = f"coalesce({frame.members(col, list(value), 'row_condition')}, false)"
        return inside if op == "IN" else f"(NOT {inside})"
    if op not in _OPERATORS:
        raise UnsupportedExpectation(f"row_condition operator {op!r} is not supported")
    if not _compatible(frame.family(col), value):
        raise UnsupportedExpectation(
            f"row_condition parameter {value!r} does not match column {col!r} of type {frame.types[col]}"
        )
    test = f"({frame.col(col)} {_OPERATORS[op]} {frame.param(value)})"
    if op == "!=":  # pandas: a missing value is "not equal"
        return f"({frame.missing(col)} OR coalesce({test}, false))"
    return f"coalesce({test}, false)"


@dataclass
class _Plan:
    index: int
    type: str
    element: str  # row counted in element_count (row_condition)
    considered: str  # row checked (not null / not ignored)
    failing: str | None  # row-wise: considered and failing (None for the window ones)
    partition: list[str] | None  # window ones: the value columns that must be unique
    columns: list[str]  # checked columns, in GX's order
    shape: str  # value | pair | dict
    mostly: float
    over_elements: bool  # not_null: success ratio over element_count


def _plan(frame: _Frame, index: int, type_: str, kw: dict) -> _Plan:
    unknown = set(kw) - _KWARGS[type_] - _COMMON_KWARGS
    if unknown:
        raise UnsupportedExpectation(f"{type_}: kwargs {sorted(unknown)} are not supported by the SQL engine")
    mostly = kw.get("mostly", 1)
    if mostly is None:
        mostly = 1
    if isinstance(mostly, bool) or not isinstance(mostly, int | float) or not 0 <= mostly <= 1:
        raise UnsupportedExpectation(f"{type_}: mostly must be a number between 0 and 1, not {mostly!r}")
    element = _condition_sql(frame, kw.get("row_condition"))

    if type_ in COLUMN_MAP:
        column = kw.get("column")
        if not isinstance(column, str):
            raise UnsupportedExpectation(f"{type_}: column must be a column name")
        plan = _Plan(index, type_, element, element, None, None, [column], "value", float(mostly), False)
        value, missing = frame.col(column), frame.missing(column)
        if type_ == "expect_column_values_to_not_be_null":
            plan.failing = f"({element} AND {missing})"
            plan.over_elements = True
            return plan
        plan.considered = f"({element} AND NOT {missing})"
        if type_ == "expect_column_values_to_be_unique":
            plan.failing, plan.partition = None, [value]
        elif type_ == "expect_column_values_to_be_in_set":
            value_set = kw.get("value_set")
            ok = "true" if value_set is None else frame.members(column, list(value_set), f"{type_} value_set")
            plan.failing = f"({plan.considered} AND NOT coalesce({ok}, false))"
        else:  # between
            lo, hi = kw.get("min_value"), kw.get("max_value")
            if lo is None and hi is None:
                raise UnsupportedExpectation("min_value and max_value cannot both be None")
            for bound in (lo, hi):
                if bound is not None and not _compatible(frame.family(column), bound):
                    raise UnsupportedExpectation(
                        f"{type_}: bound {bound!r} does not match column {column!r} of type {frame.types[column]}"
                    )
            if lo is not None and hi is not None and lo > hi:
                raise ValueError("min_value cannot be greater than max_value")
            tests = []
            if lo is not None:
                tests.append(f"{value} {'>' if kw.get('strict_min') else '>='} {frame.param(lo)}")
            if hi is not None:
                tests.append(f"{value} {'<' if kw.get('strict_max') else '<='} {frame.param(hi)}")
            plan.failing = f"({plan.considered} AND NOT coalesce({' AND '.join(tests)}, false))"
        return plan

    if type_ in PAIR:
        a, b = kw.get("column_A"), kw.get("column_B")
        if not isinstance(a, str) or not isinstance(b, str):
            raise UnsupportedExpectation(f"{type_}: column_A and column_B must be column names")
        ignore = kw.get("ignore_row_if", "both_values_are_missing")
        ignored = {
            "both_values_are_missing": f"({frame.missing(a)} AND {frame.missing(b)})",
            "either_value_is_missing": f"({frame.missing(a)} OR {frame.missing(b)})",
            "neither": "false",
        }.get(ignore)
        if ignored is None:
            raise UnsupportedExpectation(f"{type_}: unrecognised ignore_row_if {ignore!r}")
        if frame.family(a) != frame.family(b) or frame.family(a) == "other":
            raise UnsupportedExpectation(
                f"{type_}: cannot compare {a!r} ({frame.types[a]}) with {b!r} ({frame.types[b]})"
            )
        if type_ == "expect_column_pair_values_to_be_equal":
            test = f"{frame.col(a)} = {frame.col(b)}"
        else:
            test = f"{frame.col(a)} {'>=' if kw.get('or_equal') else '>'} {frame.col(b)}"
        considered = f"({element} AND NOT {ignored})"
        return _Plan(index, type_, element, considered, f"({considered} AND NOT coalesce({test}, false))",
                     None, [a, b], "pair", float(mostly), False)

    columns = kw.get("column_list")
    if not isinstance(columns, list | tuple) or not columns or not all(isinstance(c, str) for c in columns):
        raise UnsupportedExpectation(f"{type_}: column_list must be a list of column names")
    ignore = kw.get("ignore_row_if", "all_values_are_missing")
    missing = [frame.missing(c) for c in columns]
    ignored = {
        "all_values_are_missing": "(" + " AND ".join(missing) + ")",
        "any_value_is_missing": "(" + " OR ".join(missing) + ")",
        "never": "false",
    }.get(ignore)
    if ignored is None:
        raise UnsupportedExpectation(f"{type_}: unrecognised ignore_row_if {ignore!r}")
    considered = f"({element} AND NOT {ignored})"
    return _Plan(index, type_, element, considered, None, [frame.col(c) for c in columns], list(columns),
                 "dict", float(mostly), False)


def _success(plan: _Plan, element: int, considered: int, unexpected: int) -> bool:
    base = element if plan.over_elements else considered
    if element == 0 or base == 0:
        return True  # vacuously
    return (float(base) - float(unexpected)) / float(base) >= plan.mostly


def _result(plan: _Plan, element: int, considered: int, unexpected: int, examples: list[dict],
            max_examples: int, files: list[str], report: list[str]) -> dict:
    """The result dict as GX's _format_map_output builds it (plus failing_files); `examples` are
    the first failing rows in the frame's order."""
    out: dict[str, Any] = {"element_count": element, "unexpected_count": unexpected}
    total = unexpected / element * 100 if element > 0 else None
    if plan.over_elements:  # not_null: no missing_count, percent of all rows
        out["unexpected_percent"] = total
    else:
        nonmissing = unexpected / considered * 100 if element > 0 and considered > 0 else None
        out["unexpected_percent"] = nonmissing
    if plan.shape == "value":
        partial = [ex.get(plan.columns[0]) for ex in examples]
    elif plan.shape == "pair":
        partial = [[ex.get(plan.columns[0]), ex.get(plan.columns[1])] for ex in examples]
    else:
        partial = [{c: ex.get(c) for c in plan.columns} for ex in examples]
    out["partial_unexpected_list"] = partial[:PARTIAL_UNEXPECTED]
    examples = examples[:max_examples]
    out["unexpected_index_column_names"] = list(report)
    if not plan.over_elements:
        out["missing_count"] = element - considered
        out["missing_percent"] = (element - considered) / element * 100 if element > 0 else None
        out["unexpected_percent_total"] = total
        out["unexpected_percent_nonmissing"] = out["unexpected_percent"]
    # GX's index dicts: the first checked column, the index (report) columns, the other checked ones
    first, rest = plan.columns[0], plan.columns[1:]
    out["unexpected_index_list"] = [
        {first: ex.get(first), **{c: ex.get(c) for c in report}, **{c: ex.get(c) for c in rest}}
        for ex in examples
    ]
    out["failing_files"] = files
    return out


def evaluate(
    con: duckdb.DuckDBPyConnection,
    frame_sql: str,
    specs: Sequence[Any],
    report_columns: Sequence[str],
    *,
    order_columns: Sequence[str] | None = None,
    file_columns: Sequence[str] = (),
    max_examples: int = 20,
    resolve: Callable[[dict], dict] = dict,
) -> dict[int, tuple[bool, dict, str | None]]:
    """Evaluate `specs` (ExpectationSpec: .type, .kwargs) on the rows of `frame_sql`.

    `report_columns` name the failing rows (unexpected_index_list); `order_columns` is the frame's
    order (None: every column), so the examples are the rows GX would list first; `file_columns`
    are the report columns holding file paths ("a; b" lists allowed) for `failing_files`;
    `resolve` turns suite kwargs into GX kwargs (e.g. "$in_scope_townships").
    Raises UnsupportedExpectation for anything it cannot evaluate exactly."""
    for spec in specs:
        if spec.type not in SUPPORTED:
            raise UnsupportedExpectation(
                f"expectation type {spec.type!r} is not supported by the SQL engine (supported: {sorted(SUPPORTED)})"
            )
    rel = con.sql(frame_sql)
    frame = _Frame(types={c: str(t) for c, t in zip(rel.columns, rel.types, strict=True)})
    report = [c for c in report_columns if c in frame.types]
    files = [c for c in file_columns if c in report]

    outcomes: dict[int, tuple[bool, dict, str | None]] = {}
    plans: list[_Plan] = []
    for i, spec in enumerate(specs):
        try:
            plans.append(_plan(frame, i, spec.type, resolve(dict(spec.kwargs))))
        except KeyError as exc:  # a column the frame does not have: this expectation fails, as in GX
            outcomes[i] = (False, {}, f"column {exc.args[0]!r} is not in the frame")
        except UnsupportedExpectation:
            raise
        except ValueError as exc:  # a bad value GX rejects when it computes the metric
            outcomes[i] = (False, {}, str(exc))
    if not plans:
        return outcomes

    order = list(order_columns) if order_columns is not None else list(frame.types)
    order = [c for c in order if c in frame.types]
    keep = list(dict.fromkeys([*report, *order, *(c for p in plans for c in p.columns)]))

    inner = [_q(c) for c in keep]
    inner.append("{" + ", ".join(f"'n{k}': {_q(c)} IS NULL, 'v{k}': {_q(c)}" for k, c in enumerate(order))
                 + "} AS " + _q(_P + "order") if order else f"0 AS {_q(_P + 'order')}")
    for p in plans:
        inner.append(f"coalesce({p.element}, false) AS {_q(f'{_P}e{p.index}')}")
        inner.append(f"coalesce({p.considered}, false) AS {_q(f'{_P}c{p.index}')}")
        if p.failing is not None:
            inner.append(f"coalesce({p.failing}, false) AS {_q(f'{_P}u{p.index}')}")
        else:
            for k, expr in enumerate(p.partition or []):
                inner.append(f"{expr} AS {_q(f'{_P}k{p.index}_{k}')}")
    rows_sql = f"SELECT {', '.join(inner)} FROM ({frame_sql}) AS {_q(_P + 'frame')}"

    def keys(p: _Plan) -> str:
        return ", ".join(_q(f"{_P}k{p.index}_{k}") for k in range(len(p.partition or [])))

    example = "{" + ", ".join(f"{_lit(c)}: {frame.col(c)}" for c in keep) + "}"
    n_examples = max(int(max_examples), PARTIAL_UNEXPECTED)

    def failing_aggregates(p: _Plan) -> list[str]:
        u = _q(f"{_P}u{p.index}")
        return [
            f"count(*) FILTER (WHERE {u})",
            f"min_by({example}, {_q(_P + 'order')}, {n_examples}) FILTER (WHERE {u})",
            *(f"list(DISTINCT {_q(c)}) FILTER (WHERE {u} AND {_q(c)} IS NOT NULL)" for c in files),
        ]

    # Pass 1, one scan, counts only: element, considered and unexpected rows of the row-wise
    # expectations; for the uniqueness ones the number of distinct key hashes among the rows
    # considered. Equal keys hash equal, so as many distinct hashes as rows proves the keys
    # unique; fewer (a repeated key, or a hash collision) is settled in pass 2.
    aggs: list[str] = []
    for p in plans:
        c = _q(f"{_P}c{p.index}")
        aggs += [f"count(*) FILTER (WHERE {_q(f'{_P}e{p.index}')})", f"count(*) FILTER (WHERE {c})"]
        if p.failing is not None:
            aggs.append(f"count(*) FILTER (WHERE {_q(f'{_P}u{p.index}')})")
        else:
            aggs.append(f"count(DISTINCT hash({keys(p)})) FILTER (WHERE {c})")
    row = con.execute(f"SELECT {', '.join(aggs)} FROM ({rows_sql}) AS {_q(_P + 'rows')}", frame.params).fetchone()
    counts = {p.index: tuple(row[3 * n:3 * n + 3]) for n, p in enumerate(plans)}

    # Pass 2, only when something fails (or a key may repeat): a window count per possibly repeated
    # key marks every row of a key that occurs more than once among the rows considered (pandas'
    # duplicated(keep=False)); then, over the failing rows only, the unexpected count of the keys,
    # the first failing rows in the frame's order and every failing file.
    failing: dict[int, tuple] = {}
    suspects = [p for p in plans if p.failing is None and counts[p.index][2] < counts[p.index][1]]
    failed = [p for p in plans if p.failing is not None and counts[p.index][2] > 0] + suspects
    if failed:
        windowed = rows_sql
        if suspects:
            flags = [
                f"({_q(f'{_P}c{p.index}')} AND count(*) FILTER (WHERE {_q(f'{_P}c{p.index}')}) "
                f"OVER (PARTITION BY {keys(p)}) > 1) AS {_q(f'{_P}u{p.index}')}"
                for p in suspects
            ]
            windowed = f"SELECT *, {', '.join(flags)} FROM ({rows_sql}) AS {_q(_P + 'rows')}"
        aggs = [a for p in failed for a in failing_aggregates(p)]
        where = " OR ".join(_q(f"{_P}u{p.index}") for p in failed)
        row = con.execute(
            f"SELECT {', '.join(aggs)} FROM ({windowed}) AS {_q(_P + 'failing')} WHERE {where}", frame.params
        ).fetchone()
        width = 2 + len(files)
        for n, p in enumerate(failed):
            failing[p.index] = row[n * width:(n + 1) * width]

    for p in plans:
        element, considered, _ = counts[p.index]
        unexpected, examples, *file_lists = failing.get(p.index, (0, []))
        paths: set[str] = set()
        for values in file_lists:
            for v in values or []:
                paths.update(x.strip() for x in str(v).split(";") if x.strip())
        result = _result(p, element, considered, unexpected, list(examples or []), max_examples, sorted(paths), report)
        outcomes[p.index] = (_success(p, element, considered, unexpected), result, None)
    return outcomes


def _lit(s: str) -> str:
    return "'" + str(s).replace("'", "''") + "'"
