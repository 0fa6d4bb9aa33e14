"""总览: every target indicator for an as-of year, the plan's core indicators first."""

from __future__ import annotations

import streamlit as st

from dashboards import fmt, marts, ui

st.title("总览")
st.markdown("“十四五”规划目标完成情况（全区，本级口径）")

if ui.warehouse_ok() and ui.require("marts.indicator_progress"):
    years = marts.progress_years()
    if not years:
        st.info("指标进度表暂无数据。")
        st.stop()
    year = st.selectbox("截至年度", years, index=len(years) - 1, format_func=lambda y: f"{y}年")
    prog = marts.progress(year)

    counts = prog["status"].value_counts()
    cols = st.columns(len(fmt.STATUS_ORDER))
    for col, key in zip(cols, fmt.STATUS_ORDER, strict=True):
        col.markdown(
            f"{fmt.status_chip(key)}<br><span style='font-size:1.8rem;font-weight:700'>"
            f"{int(counts.get(key, 0))}</span> 项",
            unsafe_allow_html=True,
        )

    def formula(r) -> str:
        """The catalog's formula in Chinese, where the catalog carries one."""
        for col in ("formula_zh", "yearly_value_zh", "numerator_zh"):
            if isinstance(r.get(col), str) and r.get(col):
                return r[col]
        return ""

    def row(r) -> list[str]:
        unit = r.get("unit")
        judged_unit = fmt.judged_unit(r.get("judged_on"), unit)
        basis = ""
        if not fmt.is_missing(r.get("numerator")):
            basis = f"{fmt.fmt_num(r['numerator'])}"
            if not fmt.is_missing(r.get("denominator")):
                basis += f" ÷ {fmt.fmt_num(r['denominator'])}"
        change = ""
        if not fmt.is_missing(r.get("year_value")) and not fmt.is_missing(r.get("prev_value")):
            change = fmt.fmt_change(float(r["year_value"]) - float(r["prev_value"]), unit)
        return [
            f"<b>{ui.esc(r['name_zh'])}</b><br><span class='sub'>{ui.esc(r['indicator_code'])}"
            f" · {ui.esc(r.get('nature') or '')}</span>",
            f"{fmt.fmt_value(r['value'], judged_unit)}<br>"
            f"<span class='sub'>{fmt.JUDGED_ZH.get(r.get('judged_on'), '')}</span>",
            ui.esc(fmt.fmt_target(r.get("comparison"), r.get("target_value"), unit,
                                  r.get("judged_on"), r.get("baseline_year"))),
            fmt.status_chip(r["status"]),
            ui.esc(fmt.fmt_value(r.get("year_value"), unit)),
            f"{ui.esc(basis) or fmt.NO_VALUE}<br><span class='sub'>{ui.esc(formula(r))}</span>",
            ui.esc(change or fmt.NO_VALUE),
        ]

    WIDTHS = [21, 13, 14, 9, 14, 15, 14]
    headers = ["指标", "判定值", "目标", "状态", f"{year}年数值", "分子 ÷ 分母", "较上年"]
    core = prog[prog["core"].notna()]
    rest = prog[prog["core"].isna()]
    st.subheader("核心指标")
    if core.empty:
        st.info("指标目录中未标注核心指标。")
    else:
        ui.html_table(headers, [row(r) for _, r in core.iterrows()], num_cols={1, 4, 6}, widths=WIDTHS)
    st.subheader("其他目标指标")
    for group, part in rest.groupby("group", sort=False):
        st.markdown(f"**{group}**")
        ui.html_table(headers, [row(r) for _, r in part.iterrows()], num_cols={1, 4, 6}, widths=WIDTHS)
    st.caption("状态：" + "　".join(fmt.status_chip(k) for k in fmt.STATUS_ORDER)
               + "。判定值按指标目录的判定口径计算（年度值、规划期年均、累计或较基期变化）。",
               unsafe_allow_html=True)
