"""街镇: every indicator for one township, against the district."""

from __future__ import annotations

import streamlit as st

from dashboards import data, fmt, marts, ui

st.title("街镇")

if ui.warehouse_ok() and ui.require("marts.indicator_values"):
    names = marts.area_names()
    areas = data.query(
        "SELECT DISTINCT area_code FROM marts.indicator_values WHERE area_code <> ? ORDER BY 1",
        [marts.DISTRICT])
    codes = [str(c) for c in areas["area_code"]]
    if not codes:
        st.info("暂无街镇数据。")
        st.stop()
    c1, c2 = st.columns(2)
    town = c1.selectbox("街镇", codes, format_func=lambda c: names.get(c, c))
    years = data.query("SELECT DISTINCT year FROM marts.indicator_values WHERE area_code = ? ORDER BY 1",
                       [town])["year"].astype(int).tolist()
    year = c2.selectbox("年度", years[::-1], format_func=lambda y: f"{y}年")

    cat = marts.catalog()
    both = data.query(
        """SELECT t.indicator_code, t.value AS town_value, t.numerator AS town_num,
                  d.value AS district_value, p.value AS prev_value
           FROM marts.indicator_values t
           LEFT JOIN marts.indicator_values d
             ON d.indicator_code = t.indicator_code AND d.year = t.year AND d.area_code = ?
           LEFT JOIN marts.indicator_values p
             ON p.indicator_code = t.indicator_code AND p.year = t.year - 1 AND p.area_code = t.area_code
           WHERE t.area_code = ? AND t.year = ? ORDER BY t.indicator_code""",
        [marts.DISTRICT, town, year])
    st.subheader(f"{names.get(town, town)} {year}年指标与全区对比")
    order = {c: i for i, c in enumerate(
        cat.assign(g=cat["group"].map(marts.group_rank), k=cat["core"].fillna(99))
        .sort_values(["k", "g", "code"])["code"])}
    both["rank"] = both["indicator_code"].map(lambda c: order.get(c, len(order)))
    rows = []
    for _, r in both.sort_values("rank").iterrows():
        info = cat.loc[r["indicator_code"]] if r["indicator_code"] in cat.index else {}
        unit = info.get("unit") if len(info) else None
        change = fmt.NO_VALUE
        if not fmt.is_missing(r["town_value"]) and not fmt.is_missing(r["prev_value"]):
            change = fmt.fmt_change(float(r["town_value"]) - float(r["prev_value"]), unit)
        target = fmt.fmt_target(info.get("comparison"), info.get("target"), unit,
                                info.get("judged_on"), info.get("baseline_year")) if len(info) else "—"
        rows.append([
            f"<b>{ui.esc(info.get('name_zh', r['indicator_code']) if len(info) else r['indicator_code'])}</b>"
            f"<br><span class='sub'>{ui.esc(r['indicator_code'])}</span>",
            fmt.fmt_value(r["town_value"], unit),
            fmt.fmt_value(r["district_value"], unit),
            change,
            ui.esc(target),
        ])
    ui.html_table(["指标", "本街镇", "全区", "较上年", "全区目标（参考）"], rows, num_cols={1, 2, 3})
    st.caption("全区目标为规划对全区的要求，列出仅供参考；街镇数值为当年数值。")
