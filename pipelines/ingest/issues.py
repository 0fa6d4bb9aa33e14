"""What the reader reports: a whole file rejected, or one row quarantined (audit.quarantine)."""

from __future__ import annotations

from dataclasses import dataclass

# Reason codes of a rejected file (audit.load_ledger.reason_code); `no_period` is raised by the
# caller, which parses the file name before it opens the file.
FILE_REASONS = ("no_header", "missing_column", "bad_unit", "unreadable", "empty_file", "no_period")


class FileRejected(Exception):
    """The whole file cannot be loaded; nothing from it reaches raw.<dataset>."""

    def __init__(self, reason_code: str, message_zh: str):
        super().__init__(f"{reason_code}: {message_zh}")
        self.reason_code = reason_code
        self.message_zh = message_zh

    @property
    def message(self) -> str:
        return self.message_zh


@dataclass(frozen=True)
class RowIssue:
    """One quarantined row, named by its first failing column."""

    sheet: str | None  # None for CSV
    row_number: int  # as a person sees it in the file
    column_name: str | None  # the header as written in the file
    field: str | None  # the contract field
    reason_code: str
    message: str  # Chinese, names the column and the value
    raw_value: str | None
