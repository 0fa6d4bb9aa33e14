"""指标详情: yearly series with target, township breakdown, formula and provenance."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboards import data, fmt, labels, marts, ui

st.title("指标详情")

if ui.warehouse_ok() and ui.require("marts.indicator_values"):
    cat = marts.catalog()
    # Every indicator has a district row for every year (the townships' only where the catalog
    # says so): the district's rows, shared with the overview, tell which indicators have values.
    district_all = marts.district_values(flags=True)
    have = set(district_all["indicator_code"])
    codes = [c for c in cat["code"] if c in have] or sorted(have)
    if not codes:
        st.info("指标数值表暂无数据。")
        st.stop()
    names = dict(zip(cat["code"], cat["name_zh"], strict=False))
    wanted = st.query_params.get("code")
    code = st.selectbox("指标", codes, index=codes.index(wanted) if wanted in codes else 0,
                        format_func=lambda c: f"{names.get(c, c)}（{c}）")
    info = cat.loc[code] if code in cat.index else pd.Series(dtype=object)
    unit = info.get("unit")
    district = district_all[district_all["indicator_code"] == code].sort_values("year")
    years = [int(y) for y in district["year"]]
    year = st.selectbox("年度", years[::-1], format_func=lambda y: f"{y}年") if years else None

    st.markdown(
        f"**{ui.esc(info.get('name_zh', code))}**　单位：{ui.esc(unit or '—')}　"
        f"性质：{ui.esc(info.get('nature') or '—')}　规划依据：{ui.esc(info.get('plan_reference') or '—')}　"
        f"目标：{ui.esc(fmt.fmt_target(info.get('comparison'), info.get('target'), unit, info.get('judged_on'), info.get('baseline_year')))}"
    )

    if year is not None:
        row = district[district["year"] == year].iloc[0]
        prev = district[district["year"] == year - 1]
        delta = None
        if not prev.empty and not fmt.is_missing(prev.iloc[0]["value"]) and not fmt.is_missing(row["value"]):
            # ASCII minus so that Streamlit shows a downward arrow
            delta = fmt.fmt_change(float(row["value"]) - float(prev.iloc[0]["value"]), unit).replace("−", "-")
        c1, c2, c3 = st.columns(3)
        c1.metric(f"{year}年全区数值", fmt.fmt_value(row["value"], unit),
                  f"{delta}（较上年）" if delta else None, delta_color="off")
        c2.metric("分子", fmt.fmt_num(row.get("numerator")))
        c3.metric("分母", fmt.fmt_num(row.get("denominator")))
        if not fmt.is_missing(row.get("flags")) and row.get("flags"):
            st.caption(f"标记：{row['flags']}")

    # Yearly series with the target line and the 十三五 baseline where the plan gives one.
    fig = go.Figure()
    fig.add_scatter(x=district["year"], y=district["value"], mode="lines+markers+text",
                    name="全区", text=[fmt.fmt_num(v) for v in district["value"]],
                    textposition="top center")
    target, judged = info.get("target"), info.get("judged_on")
    if not fmt.is_missing(target) and judged in ("annual", "plan_mean"):
        label = "目标（规划期年均）" if judged == "plan_mean" else "目标"
        fig.add_hline(y=float(target), line_dash="dash", line_color="#cf222e",
                      annotation_text=f"{label} {fmt.fmt_value(target, unit)}")
    base_year = info.get("baseline_year")
    if not fmt.is_missing(target) and judged == "change_vs_baseline" and not fmt.is_missing(base_year):
        base = district[district["year"] == int(base_year)]["value"]
        if not base.empty and not fmt.is_missing(base.iloc[0]):
            level = float(base.iloc[0]) * (1 + float(target) / 100)
            fig.add_hline(y=level, line_dash="dash", line_color="#cf222e",
                          annotation_text=f"目标：较{int(base_year)}年变化{fmt.fmt_num(target)}%（{fmt.fmt_value(level, unit)}）")
    m = re.search(r"十三五[^0-9]*([0-9.]+)", str(info.get("plan_reference") or ""))
    if m:
        fig.add_hline(y=float(m.group(1)), line_dash="dot", line_color="#6e7781",
                      annotation_text=f"“十三五”基数 {fmt.fmt_value(float(m.group(1)), unit)}",
                      annotation_position="bottom right")
    fig.update_layout(height=360, margin=dict(l=10, r=10, t=30, b=10), xaxis=dict(dtick=1),
                      yaxis_title=unit or "", showlegend=False, separators=".,")
    st.subheader("历年数值")
    st.plotly_chart(fig, width="stretch")

    st.subheader("街镇分布")
    towns = marts.top_townships(code, year, marts.TOP_TOWNS) if year is not None else pd.DataFrame()
    if towns.empty:
        st.info("该指标仅统计全区数值，或本年度无街镇数据。")
    else:
        if len(towns) > marts.TOP_TOWNS:
            towns = towns.head(marts.TOP_TOWNS)
            st.caption(f"街镇较多，仅列出{year}年数值最高的 {marts.TOP_TOWNS} 个街镇；"
                       "全部街镇的数值可在“SQL 查询”页查询 marts.indicator_values。")
        towns["街镇"] = towns["area_name"].fillna(towns["area_code"])
        towns = towns[::-1]  # lowest first: plotly draws the first bar at the bottom
        bar = go.Figure(go.Bar(x=towns["value"], y=towns["街镇"], orientation="h",
                               text=[fmt.fmt_num(v) for v in towns["value"]], textposition="outside"))
        bar.update_layout(height=max(240, 26 * len(towns)), margin=dict(l=10, r=40, t=10, b=10),
                          xaxis_title=unit or "", separators=".,")
        st.plotly_chart(bar, width="stretch")
        ui.html_table(["街镇", f"{year}年数值", "分子", "分母"], [
            [ui.esc(r["街镇"]), fmt.fmt_value(r["value"], unit), fmt.fmt_num(r.get("numerator")),
             fmt.fmt_num(r.get("denominator"))] for _, r in towns[::-1].iterrows()
        ], num_cols={1, 2, 3})

    st.subheader("口径与来源")
    sources = labels.source_datasets(
        f"{info.get('source_datasets') or ''}; {info.get('required_datasets') or ''}",
        dict(zip(cat["code"], cat["source_datasets"].fillna(""), strict=False)))
    src_zh = "、".join(f"{labels.dataset_zh(d)}（{labels.department_zh(labels.datasets()[d][0])}）"
                      for d in sources if d in labels.datasets())
    st.markdown(f"- 计算公式：{ui.esc(info.get('yearly_value') or '—')}\n"
                f"- 判定口径：{fmt.JUDGED_ZH.get(judged, '—')}\n"
                f"- 数据来源：{ui.esc(src_zh or info.get('source_datasets') or '—')}\n"
                f"- 必需数据集：{ui.esc(info.get('required_datasets') or '—')}")
    if sources and year is not None and data.has_table("audit.load_ledger"):
        files = data.query(
            f"""SELECT dataset, file_path, period, revision, rows_loaded, rows_quarantined, loaded_at
                FROM audit.load_ledger WHERE status = 'loaded' AND substr(period, 1, 4) = ?
                AND dataset IN ({', '.join('?' for _ in sources)}) ORDER BY dataset, period""",
            [str(year), *sources])
        st.markdown(f"**{year}年计算所用文件**（当前有效版本）")
        if files.empty:
            st.info("本年度没有已入库的来源文件。")
        else:
            ui.html_table(["数据集", "文件", "报送期", "版本", "入库行数", "隔离行数", "入库时间"], [
                [ui.esc(labels.dataset_zh(r["dataset"])), ui.esc(r["file_path"]), ui.esc(r["period"]),
                 ui.esc(r["revision"] if isinstance(r["revision"], str) else "—"), fmt.fmt_num(r["rows_loaded"], wan=False),
                 fmt.fmt_num(r["rows_quarantined"], wan=False),
                 ui.esc(str(r["loaded_at"])[:19])]
                for _, r in files.iterrows()
            ], num_cols={4, 5}, widths=[14, 36, 8, 8, 9, 9, 16])
