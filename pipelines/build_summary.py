"""The summary `emstats build` prints: files and rows by department for this build."""

from __future__ import annotations

from pathlib import Path

import duckdb

STATUS_ZH = {"loaded": "已装载", "superseded": "被替代", "duplicate": "重复", "rejected": "拒收"}


def ledger_high_water_mark(warehouse: Path) -> int:
    if not warehouse.exists():
        return 0
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT coalesce(max(load_id), 0) FROM audit.load_ledger").fetchone()[0]
    except duckdb.CatalogException:
        return 0
    finally:
        con.close()


def print_summary(warehouse: Path, since_load_id: int, run_id: str) -> None:
    if not warehouse.exists():
        return
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """
            SELECT department,
                   count(*) FILTER (WHERE status = 'loaded') AS loaded,
                   count(*) FILTER (WHERE status = 'superseded') AS superseded,
                   count(*) FILTER (WHERE status = 'duplicate') AS duplicate,
                   count(*) FILTER (WHERE status = 'rejected') AS rejected,
                   coalesce(sum(rows_loaded), 0) AS rows_loaded,
                   coalesce(sum(rows_quarantined), 0) AS rows_quarantined
            FROM audit.load_ledger WHERE load_id > ?
            GROUP BY department ORDER BY department
            """,
            [since_load_id],
        ).fetchall()
        print("\n本次构建汇总（新交付的文件）")
        header = f"{'部门':<18}{'已装载':>6}{'被替代':>6}{'重复':>6}{'拒收':>6}{'装载行':>10}{'隔离行':>8}"
        print(header)
        totals = [0] * 6
        for dept, *counts in rows:
            totals = [t + c for t, c in zip(totals, counts, strict=True)]
            print(f"{dept:<20}{counts[0]:>8}{counts[1]:>9}{counts[2]:>8}{counts[3]:>8}{counts[4]:>13}{counts[5]:>10}")
        print(f"{'合计':<18}{totals[0]:>8}{totals[1]:>9}{totals[2]:>8}{totals[3]:>8}{totals[4]:>13}{totals[5]:>10}")
        if not rows:
            print("（没有新文件：仓库已是最新）")
        rejected = con.execute(
            "SELECT message FROM audit.load_ledger WHERE load_id > ? AND status = 'rejected' ORDER BY load_id",
            [since_load_id],
        ).fetchall()
        for (msg,) in rejected:
            print(f"  拒收：{msg}")
        _print_validation(con, run_id)
    finally:
        con.close()


def _print_validation(con, run_id: str) -> None:
    try:
        rows = con.execute(
            """SELECT dataset,
                      count(*) FILTER (WHERE NOT success AND severity = 'error') AS errors,
                      count(*) FILTER (WHERE NOT success AND severity = 'warning') AS warnings,
                      count(*) AS checks
               FROM audit.validation_results WHERE run_id = ? GROUP BY dataset ORDER BY dataset""",
            [run_id],
        ).fetchall()
    except duckdb.CatalogException:
        return
    checks = sum(r[3] for r in rows)
    errors = [r for r in rows if r[1]]
    warnings = [r for r in rows if r[2]]
    print(f"\n数据校验：{len(rows)} 个数据集，{checks} 项检查；错误 {sum(r[1] for r in rows)} 项，警告 {sum(r[2] for r in rows)} 项")
    for dataset, n_err, _, _ in errors:
        print(f"  错误（下游模型暂缓更新）：{dataset} {n_err} 项")
    for dataset, _, n_warn, _ in warnings:
        print(f"  警告：{dataset} {n_warn} 项")
