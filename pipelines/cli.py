"""`emstats`: build the warehouse from a landing zone, or write sample extracts.

Exit codes of `emstats build`: 0 when the pipeline ran (rejected files and rows are reported,
not fatal), 1 when the pipeline itself failed, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
from pathlib import Path

from pipelines import progress, settings


def _usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    parser.print_usage(sys.stderr)
    print(f"emstats: 错误：{message}", file=sys.stderr)
    return 2


def ensure_manifest(force: bool = False) -> None:
    """dagster-dbt reads the manifest when definitions load; `make prepare` writes it (through
    `emstats prepare`), this is the fallback. Parsed with the profile values the builds use, so
    that their dbt runs parse partially."""
    manifest = settings.DBT_PROJECT_DIR / "target" / "manifest.json"
    if not force and manifest.exists() and not _dbt_sources_newer_than(manifest.stat().st_mtime):
        return
    progress.report("准备 dbt 清单（dbt parse）…")
    subprocess.run(
        [settings.dbt_executable(), "parse", "--quiet", "--project-dir", str(settings.DBT_PROJECT_DIR),
         "--profiles-dir", str(settings.DBT_PROJECT_DIR)],
        check=True,
        env={"EMSTATS_WAREHOUSE": str(settings.warehouse_path()), **settings.dbt_env(), **os.environ},
    )


def cmd_prepare(args, parser) -> int:
    ensure_manifest(force=True)
    return 0


def _dbt_sources_newer_than(mtime: float) -> bool:
    root = settings.DBT_PROJECT_DIR
    folders = [root / d for d in ("models", "macros", "seeds", "tests")]
    files = [root / "dbt_project.yml", *(p for d in folders if d.is_dir() for p in d.rglob("*") if p.is_file())]
    return any(p.stat().st_mtime > mtime for p in files)


def _dagster_instance(history: bool):
    """The Dagster instance a CLI build runs on.

    With `--history` (make demo passes it) the run is recorded in DAGSTER_HOME and shows in the
    Dagster UI. Otherwise the run lives in memory: the build's own record is the audit schema
    (ledger, quarantine, validation results, dbt builds). Why not always record: Dagster's SQLite
    storage commits every event in its own fsynced transaction, and a district build emits about
    1,200 events, which measured 45 s of a 115 s build on this machine (docs/benchmarks.md).
    """
    from dagster import DagsterInstance

    if history and os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    return DagsterInstance.ephemeral()


def cmd_build(args, parser) -> int:
    raw_dir = Path(args.raw_dir).resolve() if args.raw_dir else settings.raw_dir()
    warehouse = Path(args.warehouse).resolve() if args.warehouse else settings.warehouse_path()
    if not raw_dir.is_dir():
        return _usage_error(parser, f"落地区目录不存在：{raw_dir}")
    if warehouse.exists() and warehouse.is_dir():
        return _usage_error(parser, f"仓库路径是一个目录：{warehouse}")
    os.environ["EMSTATS_RAW_DIR"] = str(raw_dir)
    os.environ["EMSTATS_WAREHOUSE"] = str(warehouse)
    if args.full:
        os.environ["EMSTATS_FULL_REFRESH"] = "1"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    progress.install_printer()
    progress.report(f"落地区 {raw_dir} → 仓库 {warehouse}")

    from pipelines.build_summary import ledger_high_water_mark, print_summary

    before = ledger_high_water_mark(warehouse)
    try:
        ensure_manifest()
        from pipelines.definitions import BUILD_JOB, defs

        job = defs.resolve_job_def(BUILD_JOB)
        result = job.execute_in_process(
            instance=_dagster_instance(args.history or bool(os.environ.get("EMSTATS_DAGSTER_HISTORY"))),
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "ERROR"}}}},
        )
    except Exception as e:  # the pipeline itself could not run
        print(f"emstats: 构建失败：{type(e).__name__}: {e}", file=sys.stderr)
        return 1
    run_id, success = result.run_id, result.success
    failures = [
        f"失败步骤 {e.step_key}：{e.step_failure_data.error.message if e.step_failure_data.error else ''}"
        for e in result.all_events
        if e.is_step_failure
    ]
    # Tracebacks of a failed step can keep a warehouse connection alive; let it go before reading.
    del result, job, defs
    gc.collect()
    print_summary(warehouse, before, run_id)
    if not success:
        for line in failures:
            print(line, file=sys.stderr)
        print("emstats: 构建失败（见上），未发布新的只读副本", file=sys.stderr)
        return 1
    return 0


def cmd_sample(args, parser) -> int:
    from pipelines.sample.generate import generate_sample

    out = Path(args.out).resolve()
    kwargs = {"seed": args.seed}
    if args.areas:
        kwargs["areas"] = args.areas
    if args.years:
        kwargs["first_year"] = kwargs.get("first_year", 2026 - args.years + 1)
    if args.no_bad_inputs:
        kwargs["bad_inputs"] = False
    summary = generate_sample(out, **kwargs)
    print(summary.text())
    if summary.townships_csv:
        print(
            f"合成街镇表：{summary.townships_csv}。构建前建立该部署的 dbt 项目副本（pipelines/bench/deployment.py），"
            "并以 EMSTATS_DBT_PROJECT_DIR 指向它"
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="emstats", description="应急管理统计数据仓库 / emergency-management statistics warehouse")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="装载、校验、构建并发布 / ingest, validate, transform, publish")
    b.add_argument("--raw-dir", help="落地区目录（默认为项目的 raw/）")
    b.add_argument("--warehouse", help="DuckDB 仓库文件（默认 $EMSTATS_WAREHOUSE 或 data/warehouse.duckdb）")
    b.add_argument("--full", action="store_true", help="全量重建所有 dbt 模型（默认只更新有新文件的数据集的下游）")
    b.add_argument("--history", action="store_true",
                   help="把本次运行记入 Dagster 运行历史（$DAGSTER_HOME，可在 Dagster 界面查看；较慢）")
    sub.add_parser("prepare", help="准备 dbt 清单（dbt parse）/ prepare the dbt manifest")
    s = sub.add_parser("sample", help="生成示例报表 / write sample extracts")
    s.add_argument("--out", default=str(settings.PROJECT_DIR / "raw"), help="输出目录（默认 raw/）")
    s.add_argument("--seed", type=int, default=20211)
    s.add_argument("--areas", type=int, help="合成街镇数量（规模测试）")
    s.add_argument("--years", type=int, help="年数（至 2026 年）")
    s.add_argument("--no-bad-inputs", action="store_true", help="不生成故意出错的文件和行")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    handler = {"build": cmd_build, "prepare": cmd_prepare, "sample": cmd_sample}[args.command]
    return handler(args, parser)


if __name__ == "__main__":
    sys.exit(main())
