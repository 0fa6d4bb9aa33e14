"""数据质量: deliveries, rejected files, quarantined rows, validation, reconciliation, gaps."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboards import data, labels, marts, ui

st.title("数据质量")


def table(df: pd.DataFrame, rename: dict[str, str]) -> None:
    st.dataframe(df.rename(columns=rename), hide_index=True, width="stretch")


def shown(listed: int, total: int, source: str) -> None:
    if total > listed:
        st.caption(f"仅列出前 {listed:,} 行（共 {total:,} 行）；完整清单可在“SQL 查询”页查询 {source}。")


if ui.warehouse_ok() and ui.require("audit.load_ledger"):
    ledger = data.query("SELECT * FROM audit.load_ledger")
    ledger["部门"] = ledger["department"].map(labels.department_zh)
    ledger["数据集"] = ledger["dataset"].map(labels.dataset_zh)

    st.subheader("各部门最近报送")
    latest = data.query(
        """SELECT department, dataset, arg_max(period, loaded_at) AS period,
                  arg_max(file_path, loaded_at) AS file_path,
                  arg_max(status, loaded_at) AS latest_status, max(loaded_at) AS loaded_at,
                  count(*) FILTER (status = 'loaded') AS loaded,
                  count(*) FILTER (status = 'superseded') AS superseded,
                  count(*) FILTER (status = 'duplicate') AS duplicate,
                  count(*) FILTER (status = 'rejected') AS rejected,
                  sum(rows_loaded) FILTER (status = 'loaded') AS rows_loaded,
                  sum(rows_quarantined) AS rows_quarantined
           FROM audit.load_ledger GROUP BY ALL ORDER BY department, dataset""")
    m1, m2, m3 = st.columns(3)
    m1.metric("已登记文件", f"{len(ledger):,}")
    m2.metric("拒收文件", f"{int((ledger['status'] == 'rejected').sum()):,}")
    quarantined = (int(data.query("SELECT count(*) AS n FROM audit.quarantine WHERE row_number IS NOT NULL")
                       ["n"].iloc[0]) if data.has_table("audit.quarantine")
                   else int(ledger["rows_quarantined"].fillna(0).sum()))
    m3.metric("隔离行数", f"{quarantined:,}")
    latest.insert(0, "部门", latest.pop("department").map(labels.department_zh))
    latest.insert(1, "数据集", latest.pop("dataset").map(labels.dataset_zh))
    latest["latest_status"] = latest["latest_status"].map(lambda s: labels.LEDGER_STATUS_ZH.get(s, s))
    table(latest, {"period": "最近报送期", "file_path": "最近文件", "latest_status": "最近文件状态",
                   "loaded_at": "最近入库时间",
                   "loaded": "有效文件", "superseded": "被替代", "duplicate": "重复", "rejected": "拒收",
                   "rows_loaded": "有效行数", "rows_quarantined": "隔离行数"})

    st.subheader("缺报情况")
    st.caption("以全库已有数据的年份范围为准，列出某数据集某年没有任何有效文件的情况。")
    have = ledger[ledger["status"] == "loaded"].assign(year=lambda d: d["period"].str[:4])
    if have.empty:
        st.info("尚无已入库文件。")
    else:
        years = range(int(have["year"].min()), int(have["year"].max()) + 1)
        got = set(zip(have["dataset"], have["year"], strict=False))
        missing = [
            {"部门": labels.department_zh(dept), "数据集": name, "缺报年度": f"{y}年"}
            for ds, (dept, name) in sorted(labels.datasets().items())
            for y in years if (ds, str(y)) not in got
        ]
        st.markdown(f"共 **{len(missing):,}** 项缺报（{years.start}–{years.stop - 1}年）")
        if missing:
            st.dataframe(pd.DataFrame(missing), hide_index=True, width="stretch", height=260)

    st.subheader("拒收文件")
    rejected = ledger[ledger["status"] == "rejected"]
    if rejected.empty:
        st.success("没有拒收的文件。")
    else:
        out = rejected[["部门", "数据集", "file_path", "period", "reason_code", "message", "loaded_at"]].copy()
        out["reason_code"] = out["reason_code"].map(lambda c: labels.REASON_ZH.get(c, c))
        out["period"] = out["period"].fillna("—")
        table(out, {"file_path": "文件", "period": "报送期", "reason_code": "原因", "message": "说明",
                    "loaded_at": "登记时间"})

    st.subheader("隔离行")
    if ui.require("audit.quarantine"):
        by_reason = data.query("""SELECT reason_code, count(*) AS n FROM audit.quarantine
                                  WHERE row_number IS NOT NULL GROUP BY reason_code""")
        q = data.query(f"""SELECT file_path, sheet, row_number, column_name, reason_code, message
                           FROM audit.quarantine WHERE row_number IS NOT NULL
                           ORDER BY file_path, sheet, row_number LIMIT {ui.LIST_ROWS}""")
        if q.empty:
            st.success("没有隔离的行。")
        else:
            counts = (by_reason.assign(reason=by_reason["reason_code"].map(lambda c: labels.REASON_ZH.get(c, c)))
                      .groupby("reason", sort=False)["n"].sum().sort_values(ascending=False, kind="stable"))
            st.markdown("　".join(f"{k}：**{int(v):,}** 行" for k, v in counts.items()))
            shown(len(q), int(by_reason["n"].sum()), "audit.quarantine")
            q["reason_code"] = q["reason_code"].map(lambda c: labels.REASON_ZH.get(c, c))
            q["sheet"] = q["sheet"].fillna("")
            table(q, {"file_path": "文件", "sheet": "工作表", "row_number": "行号", "column_name": "列",
                      "reason_code": "原因", "message": "说明"})

    st.subheader("校验结果")
    if ui.require("audit.validation_results"):
        v = data.query("""SELECT dataset, expectation, description_zh, severity, success,
                                 observed_value, files, checked_at
                          FROM audit.validation_results
                          QUALIFY row_number() OVER (PARTITION BY dataset, expectation
                                                     ORDER BY checked_at DESC) = 1
                          ORDER BY success, dataset""")
        failed = int((~v["success"].astype(bool)).sum()) if not v.empty else 0
        st.markdown(f"最近一次校验：{len(v):,} 项，未通过 **{failed:,}** 项")
        v["dataset"] = v["dataset"].map(labels.dataset_zh)
        v["severity"] = v["severity"].map(lambda s: labels.SEVERITY_ZH.get(s, s))
        v["success"] = v["success"].map(lambda s: "通过" if s else "未通过")
        table(v, {"dataset": "数据集", "expectation": "校验项", "description_zh": "说明",
                  "severity": "级别", "success": "结果", "observed_value": "观测值", "files": "文件",
                  "checked_at": "校验时间"})

    st.subheader("多源核对")
    if ui.require("marts.reconciliation_findings"):
        by_kind = data.query("SELECT kind, count(*) AS n FROM marts.reconciliation_findings GROUP BY kind")
        named = "township_code" in data.columns("marts.reconciliation_findings")
        listed = f"""SELECT * FROM marts.reconciliation_findings
                     ORDER BY kind, dataset, record_key LIMIT {ui.LIST_ROWS}"""
        r = data.query(marts.with_names(listed, "township_code", "f.kind, f.dataset, f.record_key")
                       if named else listed)
        if r.empty:
            st.success("各来源数据一致，无核对差异。")
        else:
            kinds = (by_kind.assign(label=by_kind["kind"].map(lambda k: labels.FINDING_ZH.get(k, k)))
                     .groupby("label", sort=False)["n"].sum().sort_values(ascending=False, kind="stable"))
            total = int(by_kind["n"].sum())
            st.markdown(f"共 **{total:,}** 条差异：" + "　".join(f"{k} {int(v):,} 条" for k, v in kinds.items()))
            shown(len(r), total, "marts.reconciliation_findings")
            area_name = r.pop("area_name") if named else None
            spec = ["kind", "dataset", "record_key", "township_code", "field", "kept_value", "other_value"]
            r = r[[c for c in spec if c in r.columns] + [c for c in r.columns if c not in spec]]
            if "field" in r.columns:
                r["field"] = r["field"].map(lambda f: labels.COLUMN_ZH.get(f, f))
            r["kind"] = r["kind"].map(lambda k: labels.FINDING_ZH.get(k, k))
            r["dataset"] = r["dataset"].map(labels.dataset_zh)
            if named:
                r["township_code"] = [
                    marts.DISTRICT_NAME if c == marts.DISTRICT else (n if isinstance(n, str) else c)
                    if isinstance(c, str) else "" for c, n in zip(r["township_code"], area_name, strict=True)]
            table(r, {"kind": "类型", "dataset": "数据集", "record_key": "记录编号",
                      "township_code": "街镇", "field": "字段", "kept_value": "采用值",
                      "other_value": "另一来源值"})
