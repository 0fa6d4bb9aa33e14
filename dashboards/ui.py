"""Shared page furniture: notices for missing tables, the publish stamp, HTML tables."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboards import data

LIST_ROWS = 1000  # rows a page lists of a long table (its counts cover every row)

TABLE_CSS = """
<style>
div.emwrap {overflow-x:auto}
table.em {border-collapse:collapse;width:100%;font-size:0.92rem}
table.em.fixed {table-layout:fixed}
table.em th {background:#f3f5f8;text-align:left;padding:6px 8px;border-bottom:2px solid #d0d7de;
  overflow-wrap:anywhere}
table.em td {padding:6px 8px;border-bottom:1px solid #e6e9ed;vertical-align:top}
table.em td.num {text-align:right;font-variant-numeric:tabular-nums}
table.em .sub {color:#57606a;font-size:0.8rem}
</style>
"""


def warehouse_ok() -> bool:
    """Show a Chinese notice and return False when the published warehouse is missing."""
    try:
        stamp = data.published_at()
    except data.WarehouseMissing:
        st.warning(
            f"尚未找到已发布的数据库（{data.published()}）。请先运行 `emstats build` 生成并发布数据。"
        )
        return False
    st.caption(f"数据来源：已发布数据库 {data.published().name}（发布时间 {stamp}）")
    return True


def require(*tables: str) -> bool:
    """True when every table exists; otherwise a notice naming the missing ones."""
    missing = [t for t in tables if not data.has_table(t)]
    if missing:
        st.info("以下数据表尚未生成，本部分暂无内容：" + "、".join(missing) + "（待数据构建完成后自动显示）")
        return False
    return True


def esc(x) -> str:
    return html.escape("" if x is None or (isinstance(x, float) and pd.isna(x)) else str(x))


def html_table(headers: list[str], rows: list[list[str]], num_cols: set[int] = frozenset(),
               widths: list[int] | None = None) -> None:
    """Render rows of already formatted (and escaped where needed) cells as a styled table.

    widths: column widths in percent (fixed layout, so stacked tables line up).
    """
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    cols = "".join(f'<col style="width:{w}%">' for w in widths) if widths else ""
    body = "".join(
        "<tr>" + "".join(
            f'<td class="num">{c}</td>' if i in num_cols else f"<td>{c}</td>" for i, c in enumerate(r)
        ) + "</tr>"
        for r in rows
    )
    cls = "em fixed" if widths else "em"
    st.markdown(f'{TABLE_CSS}<div class="emwrap"><table class="{cls}"><colgroup>{cols}</colgroup>'
                f"<tr>{head}</tr>{body}</table></div>", unsafe_allow_html=True)
