"""Row rules of a contract (`rules:`), checked once every cell of the row has parsed.

- le: left ≤ right, only when both are present (a blank optional value breaks no rule);
  reported at `column` (default: left).
- required_if / required_unless: `field` must be present when `when_field` is (is not) one of
  `values`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
