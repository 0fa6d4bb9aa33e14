"""Mask 身份证号 and mobile numbers in free text before it is stored (datasets.md, Privacy).

Only the first 3 and last 2 characters survive, so the number cannot be recovered from the
warehouse, while a reader still sees that a number was there.
"""

from __future__ import annotations

import re

# 18-character resident ID: 17 digits and a digit or X; not part of a longer run of digits.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# Mainland mobile: 1[3-9] and 9 digits, also written 138-1234-5678 or +86 13812345678.
_MOBILE = re.compile(r"(?:(?<=\+86)|(?<=\+86 )|(?<![0-9]))1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
_MAYBE_SENSITIVE = re.compile(r"\d{3}[- ]?\d{4}")  # cheap pre-check shared by both patterns


def _mask(match: re.Match) -> str:
    s = match.group(0)
    return s[:3] + "*" * (len(s) - 5) + s[-2:]


def mask_personal_numbers(text: str) -> str:
    if not _MAYBE_SENSITIVE.search(text):
        return text
    return _MOBILE.sub(_mask, _ID_NUMBER.sub(_mask, text))


def contains_personal_numbers(text: str) -> bool:
    return bool(_ID_NUMBER.search(text) or _MOBILE.search(text))
