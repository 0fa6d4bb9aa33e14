"""emstats boards: `streamlit run dashboards/app.py` (or `make boards`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboards import data  # noqa: E402
from dashboards.marts import AREA_NAME  # noqa: E402

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(page_title=f"{AREA_NAME}应急管理统计", page_icon="📊", layout="wide")

pages = [
    st.Page(VIEWS / "overview.py", title="总览", icon=":material/dashboard:", default=True),
    st.Page(VIEWS / "indicator.py", title="指标详情", icon=":material/monitoring:"),
    st.Page(VIEWS / "township.py", title="街镇", icon=":material/location_city:"),
    st.Page(VIEWS / "quality.py", title="数据质量", icon=":material/fact_check:"),
    st.Page(VIEWS / "sql.py", title="SQL 查询", icon=":material/terminal:"),
    st.Page(VIEWS / "export.py", title="导出", icon=":material/download:"),
]
st.sidebar.markdown(f"**{AREA_NAME}应急管理统计**  \n“十四五”规划指标看板")
# One read-only connection for the whole page (opened on its first uncached query), closed when
# the page's run ends, however it ends (st.stop, a rerun, an error).
with data.render():
    st.navigation(pages).run()
