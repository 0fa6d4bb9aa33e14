"""Row rules of a contract (`rules:`), checked once every cell of the row has parsed.

- le: left ≤ right, only when both are present (a blank optional value breaks no rule);
  reported at `column` (default: left).
- required_if / required_unless: `field` must be present when `when_field` is (is not) one of
  `values`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl


@dataclass(frozen=True)
class RuleBreach:
    field: str  # the column the breach is reported at
    message: str
    value: Any


def check_rules(rules: tuple[dict, ...], row: dict[str, Any]) -> RuleBreach | None:
    """The first broken rule of the row, in contract order."""
    for rule in rules:
        check = rule["check"]
        if check == "le":
            left, right = row.get(rule["left"]), row.get(rule["right"])
            if left is not None and right is not None and left > right:
                column = rule.get("column", rule["left"])
                detail = f"{rule['message']}（{_show(left)} > {_show(right)}）"
                return RuleBreach(column, detail, row.get(column))
        elif check in ("required_if", "required_unless"):
            when = row.get(rule["when_field"])
            listed = when in rule["values"]
            applies = listed if check == "required_if" else (when is not None and not listed)
            if applies and row.get(rule["field"]) is None:
                return RuleBreach(rule["field"], rule["message"], None)
        else:
            raise ValueError(f"unknown rule check {check!r}")
    return None


def _show(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def breach_index(rules: tuple[dict, ...]) -> pl.Expr:
    """Per row, the position of its first broken rule (null when none): check_rules, vectorised.
    The columns are the row's values after defaults."""
    broken = []
    for i, rule in enumerate(rules):
        check = rule["check"]
        if check == "le":
            left, right = pl.col(rule["left"]), pl.col(rule["right"])
            cond = left.is_not_null() & right.is_not_null() & (left > right)
        elif check in ("required_if", "required_unless"):
            when = pl.col(rule["when_field"])
            listed = when.is_in(list(rule["values"])).fill_null(False)
            applies = listed if check == "required_if" else (when.is_not_null() & ~listed)
            cond = applies & pl.col(rule["field"]).is_null()
        else:
            raise ValueError(f"unknown rule check {check!r}")
        broken.append(pl.when(cond.fill_null(False)).then(pl.lit(i)))
    return pl.coalesce(broken) if broken else pl.lit(None, dtype=pl.Int64)
