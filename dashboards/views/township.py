"""街镇: every indicator for one township, against the district."""

from __future__ import annotations

import streamlit as st

from dashboards import data, fmt, marts, ui

st.title("街镇")

if ui.warehouse_ok() and ui.require("marts.indicator_values"):
    towns = marts.townships()
    if towns.empty:  # no township list published: the townships that have values
        towns = data.query(
            "SELECT DISTINCT area_code AS code9 FROM marts.indicator_values WHERE area_code <> ? ORDER BY 1",
            [marts.DISTRICT]).assign(name=None)
    codes = [str(c) for c in towns["code9"]]
    if not codes:
        st.info("暂无街镇数据。")
        st.stop()
    names = {c: n for c, n in zip(codes, towns["name"], strict=True) if isinstance(n, str)}
    c1, c2 = st.columns(2)
    town = c1.selectbox("街镇", codes, format_func=lambda c: names.get(c, c))
    # The district's years (shared with the other pages), from the year the township exists.
    since = marts.valid_from(town)
    years = sorted({int(y) for y in marts.district_values()["year"] if since is None or int(y) >= since})
    if not years:
        st.info("该街镇暂无指标数据。")
        st.stop()
    year = c2.selectbox("年度", years[::-1], format_func=lambda y: f"{y}年")

    cat = marts.catalog()
    town_rows = data.query(
        """SELECT indicator_code, year, value, numerator FROM marts.indicator_values
           WHERE year IN (?, ?) AND area_code = ?""",
        [year, year - 1, town])
    district = marts.district_values()
    district = district[district["year"] == year].set_index("indicator_code")["value"]
    prev = town_rows[town_rows["year"] == year - 1].set_index("indicator_code")["value"]
    both = town_rows[town_rows["year"] == year].rename(
        columns={"value": "town_value", "numerator": "town_num"}).drop(columns="year")
    both["district_value"] = both["indicator_code"].map(district)
    both["prev_value"] = both["indicator_code"].map(prev)
    both = both.sort_values("indicator_code").reset_index(drop=True)
    if both.empty:
        st.info(f"该街镇{year}年暂无指标数据。")
        st.stop()
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
