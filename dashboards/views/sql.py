"""SQL 查询: read-only SQL over the published warehouse, with the table and column list."""

from __future__ import annotations

import duckdb
import streamlit as st

from dashboards import data, labels, safe_sql, ui

st.title("SQL 查询")
st.markdown(
    f"面向统计人员的只读查询：只允许单条 SELECT / WITH / DESCRIBE / SHOW / SUMMARIZE 语句，"
    f"不能写入、挂载其他数据库、导出或读取文件；最多返回 **{safe_sql.MAX_ROWS:,}** 行，"
    f"超过 **{safe_sql.TIME_LIMIT_S:g}** 秒自动中止。"
)

if ui.warehouse_ok():
    default = ("SELECT indicator_code, as_of_year, value, target_value, status\n"
               "FROM marts.indicator_progress\nORDER BY as_of_year DESC, indicator_code")
    sql = st.text_area("SQL", value=default, height=160, key="sql_text")
    if st.button("执行查询", type="primary"):
        try:
            res = safe_sql.run(sql)
        except safe_sql.RefusedQuery as exc:
            st.error(f"已拒绝：{exc}")
        except safe_sql.QueryTimeout as exc:
            st.error(str(exc))
        except duckdb.Error as exc:
            st.error(f"查询出错：{exc}")
        else:
            note = f"（仅显示前 {safe_sql.MAX_ROWS:,} 行）" if res.truncated else ""
            st.success(f"返回 {len(res.frame):,} 行，用时 {res.seconds:.2f} 秒{note}")
            st.dataframe(res.frame, hide_index=True, width="stretch")
            st.download_button("下载 CSV", res.frame.to_csv(index=False).encode("utf-8-sig"),
                               file_name="query.csv", mime="text/csv")

    st.subheader("数据表与字段")
    tables = data.tables()
    public = tables[tables["schema"].isin(["marts", "audit", "seeds", "raw", "staging",
                                           "intermediate"])]
    st.markdown(f"共 **{len(public):,}** 张表")
    cols = data.all_columns()
    cols["comment"] = [c if isinstance(c, str) and c else labels.COLUMN_ZH.get(n, "")
                       for c, n in zip(cols["comment"], cols["column"], strict=True)]
    for schema, part in public.groupby("schema", sort=False):
        with st.expander(f"{schema}（{len(part)} 张表）", expanded=schema == "marts"):
            notes = [f"**{schema}.{t['name']}**" + (f"：{t['comment']}" if isinstance(t["comment"], str)
                                                    and t["comment"] else "")
                     for _, t in part.iterrows()]
            st.markdown("　".join(notes))
            c = cols[cols["schema"] == schema]
            st.dataframe(c[["table", "column", "type", "comment"]].rename(
                columns={"table": "表", "column": "字段", "type": "类型", "comment": "说明"}),
                hide_index=True, width="stretch")
