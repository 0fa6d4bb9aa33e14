"""The Chinese messages of quarantined rows (audit.quarantine): one cell, many cells, a duplicate.

Messages name the row as a person sees it, the column as written in the file, the reason, the
value (ID and mobile numbers masked: raw values are stored too) and the reason's detail.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import polars as pl

from pipelines.ingest.columns import PY_WHITESPACE, SENSITIVE
from pipelines.ingest.issues import RowIssue
from pipelines.ingest.privacy import mask_personal_numbers
from pipelines.ingest.values import clean_text

REASON_TEXT = {
    "missing_required": "为必填项，不能为空",
    "unknown_township": "不是已知的街镇",
    "out_of_scope": "不在本级统计范围内",
    "township_not_valid": "当年尚未设立",
    "negative": "为负数",
    "not_a_number": "不是有效数字",
    "formula_error": "为公式错误",
    "fraction_in_int": "应为整数",
    "bad_date": "不是有效日期",
    "date_out_of_period": "不在文件所属期间内",
    "future_date": "晚于今天",
    "bad_bool": "不是有效的是/否值",
    "not_in_domain": "不在允许的取值范围内",
    "rule_violation": "不符合规则",
}


def cell_issue(sheet, row_number, header, field, reason, cell, detail="") -> RowIssue:
    raw = None if cell is None else clean_text(cell)
    if raw is not None:
        raw = mask_personal_numbers(raw)
    text = f"第{row_number}行“{header}”{REASON_TEXT[reason]}"
    if raw:
        text += f"：{raw}"
    if detail:
        text += f"（{detail}）"
    return RowIssue(sheet, row_number, header, field, reason, text, raw)


def cell_issues(
    picked: pl.DataFrame, headers: dict[int, str], fields: dict[int, str]
) -> list[tuple[int, RowIssue]]:
    """cell_issue for many rows, as (file order, issue): picked holds the file order, the row
    number, the failing column's position, the reason code, its detail, the cell as written
    (a string: clean_text is a trim) and the sheet."""
    order, number, pos, reason, detail, cell, sheet = (pl.col(c) for c in picked.columns)
    out = picked.select(
        order.alias("order"),
        number.alias("number"),
        pos.replace_strict(headers, return_dtype=pl.Utf8).alias("header"),
        pos.replace_strict(fields, return_dtype=pl.Utf8).alias("field"),
        reason.alias("reason"),
        detail.alias("detail"),
        cell.str.strip_chars(PY_WHITESPACE).alias("raw"),
        sheet.alias("sheet"),
    )
    sensitive = out["raw"].str.contains(SENSITIVE).fill_null(False)
    if sensitive.any():
        texts = out["raw"].filter(sensitive).unique().to_list()
        masked = {t: mask_personal_numbers(t) for t in texts}
        out = out.with_columns(pl.col("raw").replace(list(masked), list(masked.values())))
    col = pl.col
    out = out.with_columns(
        pl.concat_str(
            pl.lit("第"),
            col("number").cast(pl.Utf8),
            pl.lit("行“"),
            col("header"),
            pl.lit("”"),
            col("reason").replace_strict(REASON_TEXT, return_dtype=pl.Utf8),
            pl.when(col("raw") != "").then("：" + col("raw")).otherwise(pl.lit("")),
            pl.when(col("detail") != "").then("（" + col("detail") + "）").otherwise(pl.lit("")),
        ).alias("text")
    )
    return [(o, RowIssue(s, n, h, f, r, t, w)) for o, n, h, f, r, _, w, s, t in out.iter_rows()]


def duplicate_issue(row: dict, key: tuple[str, ...], headers: dict[str, str]) -> RowIssue:
    """row: the duplicate's key values, _sheet, _row_number, and _first_sheet, _first_row of
    the row that had the key first."""
    sheet = row["_sheet"]
    shown = "，".join(f"{headers.get(k, k)}={show_key(row[k])}" for k in key)
    first_sheet, first_row = row["_first_sheet"], row["_first_row"]
    where = f"第{first_row}行" if first_sheet == sheet else f"工作表“{first_sheet}”第{first_row}行"
    message = f"第{row['_row_number']}行与{where}重复（{shown}）"
    header = headers.get(key[0], key[0])
    raw = show_key(row[key[0]])
    return RowIssue(sheet, row["_row_number"], header, key[0], "duplicate_key", message, raw)


def show_key(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)
