"""The indicators and their progress as an Excel workbook formatted for printing.

One sheet for the plan's core indicators, then one per area of the plan; landscape A4, fit to
one page wide, title and header rows repeated on every page, Chinese titles and page numbers.
"""

from __future__ import annotations

import io

import pandas as pd
import xlsxwriter

from dashboards import fmt, marts

FONT = "宋体"
LIGHT = {"met": "#dafbe1", "on_track": "#ddf4ff", "at_risk": "#fff8c5", "not_met": "#ffebe9",
         "no_data": "#eaeef2"}


def _rows(as_of_year: int) -> tuple[pd.DataFrame, list[int]]:
    """One row per indicator: catalog, progress for the as-of year, district values by year."""
    cat = marts.catalog().reset_index(drop=True)
    prog = marts.progress(as_of_year)
    vals = marts.district_values()
    vals = vals[vals["year"] <= as_of_year]
    years = sorted(int(y) for y in vals["year"].unique())
    wide = vals.pivot_table(index="indicator_code", columns="year", values="value", aggfunc="first")
    keep = ["indicator_code", "value", "target_value", "comparison", "status", "numerator",
            "denominator", "year_value", "prev_value"]
    df = cat.merge(prog[[c for c in keep if c in prog.columns]], left_on="code",
                   right_on="indicator_code", how="left", suffixes=("_cat", ""))
    df = df[df["code"].isin(set(wide.index) | set(prog["indicator_code"]))]
    df = df.merge(wide, left_on="code", right_index=True, how="left")
    df["core_sort"] = df["core"].fillna(99)
    df["group_sort"] = df["group"].map(marts.group_rank)
    return df.sort_values(["group_sort", "core_sort", "code"]).reset_index(drop=True), years


def build(as_of_year: int, published_at: str = "") -> bytes:
    df, years = _rows(as_of_year)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    base = {"font_name": FONT, "font_size": 10, "border": 1, "valign": "vcenter"}
    f_title = wb.add_format({"font_name": FONT, "bold": True, "font_size": 14, "align": "center"})
    f_sub = wb.add_format({"font_name": FONT, "font_size": 9, "align": "center"})
    f_head = wb.add_format({**base, "bold": True, "bg_color": "#d9e1f2", "align": "center",
                            "text_wrap": True})
    f_text = wb.add_format({**base, "text_wrap": True})
    f_int = wb.add_format({**base, "num_format": "#,##0"})
    f_dec = wb.add_format({**base, "num_format": "#,##0.0##"})
    # A change against the baseline year is in % (the judged figure of change_vs_baseline).
    f_chg = wb.add_format({**base, "num_format": '+#,##0.0##"%";-#,##0.0##"%";0"%"'})
    f_status = {k: wb.add_format({**base, "bold": True, "align": "center", "bg_color": LIGHT[k],
                                  "font_color": fmt.STATUS_COLOR[k]}) for k in LIGHT}
    headers = ["代码", "指标", "单位", "性质", "判定口径", "判定值", "目标", "状态",
               f"{as_of_year}年数值", "分子", "分母", "较上年"] + [f"{y}年" for y in years] + ["规划依据"]
    widths = [16, 30, 9, 7, 11, 10, 18, 9, 11, 11, 11, 10] + [9] * len(years) + [20]

    sheets = [("核心指标", df[df["core"].notna()].sort_values("core"))]
    sheets += [(g, part) for g, part in df.groupby("group", sort=False)]
    for name, part in sheets:
        ws = wb.add_worksheet(name[:31])
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        ws.repeat_rows(0, 2)
        ws.set_header(f"&C&\"{FONT}\"{marts.AREA_NAME}应急管理“十四五”规划指标 — {name}")
        ws.set_footer("&C第 &P 页，共 &N 页")
        ws.merge_range(0, 0, 0, len(headers) - 1,
                       f"{marts.AREA_NAME}应急管理“十四五”规划指标完成情况（截至{as_of_year}年）— {name}", f_title)
        ws.merge_range(1, 0, 1, len(headers) - 1,
                       f"口径：全区（本级）；数据发布时间：{published_at}", f_sub)
        ws.write_row(2, 0, headers, f_head)
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        ws.freeze_panes(3, 2)
        for r, (_, row) in enumerate(part.iterrows(), start=3):
            _write_row(ws, r, row, years, as_of_year, f_text, f_int, f_dec, f_status, f_chg)
    wb.close()
    return buf.getvalue()


def _num(ws, r, c, x, f_int, f_dec, f_text) -> None:
    if fmt.is_missing(x):
        ws.write_string(r, c, "—", f_text)
    else:
        x = float(x)
        ws.write_number(r, c, x, f_int if x == int(x) else f_dec)


def _write_row(ws, r, row, years, as_of_year, f_text, f_int, f_dec, f_status, f_chg) -> None:
    unit = row.get("unit")
    judged = row.get("judged_on")
    status = row.get("status") if row.get("status") in fmt.STATUS_ZH else None
    ws.write_string(r, 0, str(row["code"]), f_text)
    ws.write_string(r, 1, str(row.get("name_zh") or row["code"]), f_text)
    ws.write_string(r, 2, str(unit or ""), f_text)
    ws.write_string(r, 3, str(row.get("nature") or ""), f_text)
    ws.write_string(r, 4, fmt.JUDGED_ZH.get(judged, "") if status else "", f_text)
    if status and judged == "change_vs_baseline" and not fmt.is_missing(row.get("value")):
        ws.write_number(r, 5, float(row["value"]), f_chg)
    else:
        _num(ws, r, 5, row.get("value") if status else None, f_int, f_dec, f_text)
    target = row.get("target_value") if not fmt.is_missing(row.get("target_value")) else row.get("target")
    ws.write_string(r, 6, fmt.fmt_target(row.get("comparison") or row.get("comparison_cat"), target,
                                         unit, judged, row.get("baseline_year")), f_text)
    if status:
        ws.write_string(r, 7, fmt.STATUS_ZH[status], f_status[status])
    else:
        ws.write_string(r, 7, "无目标", f_text)
    _num(ws, r, 8, row.get(as_of_year), f_int, f_dec, f_text)
    _num(ws, r, 9, row.get("numerator"), f_int, f_dec, f_text)
    _num(ws, r, 10, row.get("denominator"), f_int, f_dec, f_text)
    cur, prev = row.get(as_of_year), row.get(as_of_year - 1)
    change = None if fmt.is_missing(cur) or fmt.is_missing(prev) else float(cur) - float(prev)
    _num(ws, r, 11, change, f_int, f_dec, f_text)
    for i, y in enumerate(years):
        _num(ws, r, 12 + i, row.get(y), f_int, f_dec, f_text)
    ws.write_string(r, 12 + len(years), str(row.get("plan_reference") or ""), f_text)
