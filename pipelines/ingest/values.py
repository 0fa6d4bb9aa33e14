"""Cell parsers: one cell in, a typed value (or None) out, or CellError naming the reason code.

Blank, `-`, `—`, `－`, `/` and `无` mean "not reported" (None), never zero. These are the
definition of every cell form; the reader's column expressions (columns.py) reproduce the common
ones and call these for the rest, once per distinct cell.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta
from typing import Any


class CellError(Exception):
    """A cell that breaks its column's type; reason_code is the quarantine reason."""

    def __init__(self, reason_code: str, detail: str = ""):
        super().__init__(reason_code)
        self.reason_code = reason_code
        self.detail = detail


NULL_MARKERS = frozenset({"", "-", "--", "—", "——", "－", "–", "/", "／", "无", "\\"})
FORMULA_ERRORS = frozenset(
    {
        "#REF!",
        "#DIV/0!",
        "#VALUE!",
        "#N/A",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#CONNECT!",
        "#BUSY!",
    }
)
TRUE_WORDS = frozenset({"是", "y", "yes", "1", "√", "✓", "✔", "true", "对"})
FALSE_WORDS = frozenset({"否", "n", "no", "0", "×", "✗", "✘", "x", "false", "错"})

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's leap-year bug
_MAX_SERIAL = 2958465  # 9999-12-31
_DATE_PART = re.compile(
    r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)"
    r"(?:[T\s]*(.*))?"
)
_TIME_PART = re.compile(r"(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2})(?:\.(\d{1,6}))?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:\s*(\d{2}):?(\d{2})(?::?(\d{2}))?)?")
_INFINITIES = (float("inf"), float("-inf"))
_SERIAL = re.compile(r"\d{4,6}(?:\.\d+)?")
_ISO_LENGTHS = frozenset({10, 16, 19})


def is_null(cell: Any) -> bool:
    if cell is None:
        return True
    if cell.__class__ is str:
        return cell.strip() in NULL_MARKERS
    return False


def check_formula_error(cell: Any) -> None:
    if isinstance(cell, str) and cell.startswith("#") and cell.strip().upper() in FORMULA_ERRORS:
        raise CellError("formula_error")


def clean_text(cell: Any) -> str:
    """Text as written, without surrounding spaces; Excel numbers as their digits (1001.0 → 1001)."""
    if cell.__class__ is str:
        return cell.strip()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ") if cell.time() != time() else cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


# --- numbers ---------------------------------------------------------------------------------


def parse_number(cell: Any, percent: bool = False) -> float | int:
    """A number ≥ 0 (ints stay ints). Raises formula_error, not_a_number or negative."""
    kind = cell.__class__  # exact classes first: the per-cell path of every numeric column
    if kind is str:
        text = cell.strip()
        value = float(text) if _NUMBER.fullmatch(text) else _number_from_text(text, percent)
    elif kind is int or kind is float:
        value = cell
    elif isinstance(cell, bool | datetime | date | time) or not isinstance(cell, int | float):
        raise CellError("not_a_number")
    else:
        value = cell
    if value != value or value in _INFINITIES:
        raise CellError("not_a_number")
    if value < 0:
        raise CellError("negative")
    return value


def _number_from_text(text: str, percent: bool) -> float:
    """Full-width digits, thousands separators, inner spaces, a % in percent columns."""
    check_formula_error(text)
    text = unicodedata.normalize("NFKC", text).replace(" ", "")
    if percent and text.endswith("%"):
        text = text[:-1]
    if _GROUPED.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise CellError("not_a_number")
    return float(text)


def parse_int(cell: Any, factor: float = 1.0) -> int:
    value = parse_number(cell)
    if factor != 1.0:
        value = round(value * factor, 6)  # 12.3456 万人 → 123456, not 123455.99999999999
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("fraction_in_int")
        value = int(value)
    if abs(value) >= _INT64_LIMIT:
        # Beyond what the warehouse column holds: no real count is this large.
        raise CellError("not_a_number")
    return value


_INT64_LIMIT = 2**63


def parse_float(cell: Any, factor: float = 1.0, percent: bool = False) -> float:
    value = float(parse_number(cell, percent))
    if factor != 1.0:
        value = round(value * factor, 10)  # 元 → 万元 without a trailing …0000002
    return value


def parse_year(cell: Any) -> int:
    """A 年度 cell: 2023, 2023.0, '2023', '2023年'."""
    if isinstance(cell, str):
        text = unicodedata.normalize("NFKC", cell).strip()
        cell = text[:-1] if text.endswith("年") else text
    return parse_int(cell)


# --- dates -----------------------------------------------------------------------------------


def _from_serial(serial: float) -> datetime:
    if not 1 <= serial <= _MAX_SERIAL:
        raise CellError("bad_date")
    # Round to the second: serials carry float noise (0.604166666… for 14:30).
    return _EXCEL_EPOCH + timedelta(seconds=round(serial * 86400))


def parse_datetime(cell: Any) -> datetime:
    """A datetime; a date without a time is midnight. Raises formula_error or bad_date."""
    if isinstance(cell, datetime):
        return cell.replace(tzinfo=None)
    if isinstance(cell, date):
        return datetime(cell.year, cell.month, cell.day)
    if isinstance(cell, bool):
        raise CellError("bad_date")
    if isinstance(cell, int | float):
        if 19000101 <= cell <= 29991231 and float(cell).is_integer():
            return parse_datetime(str(int(cell)))  # 20230601 typed as a number
        return _from_serial(float(cell))
    check_formula_error(cell)
    text = str(cell).strip()
    # Fast path: ISO forms (2023-06-01, 2023-06-01 14:30, 2023-06-01T14:30:00) parse in C.
    if len(text) in _ISO_LENGTHS and text[4:5] == "-" and text[7:8] == "-" and text.isascii():
        try:
            value = datetime.fromisoformat(text)
            if value.tzinfo is None:
                return value
        except ValueError:
            pass  # 2023-02-30, or not ISO after all: the full parser decides
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    try:
        return _parse_date_text(text)
    except ValueError as exc:  # impossible date such as 2023-02-30
        raise CellError("bad_date") from exc


def _parse_date_text(text: str) -> datetime:
    if m := _DATE_PART.fullmatch(text):
        y, mo, d = int(m.group(1)), int(m.group(2) or m.group(4)), int(m.group(3) or m.group(5))
        return datetime.combine(date(y, mo, d), _parse_time(m.group(6) or ""))
    if m := _COMPACT.fullmatch(text):
        hh, mm, ss = (int(g) if g else 0 for g in m.group(4, 5, 6))
        return datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), hh, mm, ss)
    if _SERIAL.fullmatch(text):
        return _from_serial(float(text))
    raise CellError("bad_date")


def _parse_time(text: str) -> time:
    # 14:30, 14:30:00, 14时30分, 14点30分, 14时 all read as clock times.
    text = text.strip().replace("时", ":").replace("点", ":").replace("分", ":").replace("秒", "")
    text = text.replace(" ", "").rstrip(":")
    if not text:
        return time()
    m = _TIME_PART.fullmatch(text)
    if m is None:
        raise CellError("bad_date")
    hh, mm, ss = (int(g) if g else 0 for g in m.group(1, 2, 3))
    micro = int((m.group(4) or "0").ljust(6, "0"))
    return time(hh, mm, ss, micro)


def parse_date(cell: Any) -> date:
    return parse_datetime(cell).date()


# --- booleans --------------------------------------------------------------------------------


def parse_bool(cell: Any) -> bool:
    """是/否, Y/N, 1/0, √/×, TRUE/FALSE (and Excel booleans). 有 is not accepted: 无 means blank."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float):
        if cell in (0, 1):
            return bool(cell)
        raise CellError("bad_bool")
    check_formula_error(cell)
    text = unicodedata.normalize("NFKC", str(cell)).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError("bad_bool")
