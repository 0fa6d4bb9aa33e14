"""导出: the indicators and their progress as an Excel workbook formatted for printing."""

from __future__ import annotations

import streamlit as st

from dashboards import data, marts, ui, workbook

st.title("导出")
st.markdown("将指标及其完成进度导出为 Excel 工作簿：核心指标一张表，规划各领域各一张表；"
            "A4 横向、按页宽缩放、每页重复标题行，可直接打印。")

if ui.warehouse_ok() and ui.require("marts.indicator_progress", "marts.indicator_values"):
    years = marts.progress_years()
    if not years:
        st.info("指标进度表暂无数据。")
        st.stop()
    year = st.selectbox("截至年度", years[::-1], format_func=lambda y: f"{y}年")
    content = workbook.build(year, data.published_at())
    groups = marts.catalog()["group"].dropna().unique().tolist()
    st.markdown(f"工作表：核心指标、{'、'.join(groups)}")
    st.download_button(f"下载 {year}年指标完成情况.xlsx", content,
                       file_name=f"{marts.AREA_NAME}应急管理规划指标_{year}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       type="primary")
