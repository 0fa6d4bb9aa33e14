"""One ingestion asset per dataset contract: land new files of raw/<department>/<dataset>/.

Each asset also runs its dataset's Great Expectations suite and reports it as the asset check
`gx_suite`. Errors hold the dataset's downstream dbt models back (see assets/dbt.py); warnings
are reported and never hold anything back.
"""


from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    MaterializeResult,
    MetadataValue,
    asset,
)
from dagster_duckdb import DuckDBResource

from pipelines import progress, settings
from pipelines.ingest.contracts import Contract, all_contracts
from pipelines.ingest.loader import load_dataset
from pipelines.resources import LandingZone

CHECK_NAME = "gx_suite"


def ingestion_key(dataset: str) -> AssetKey:
    return AssetKey(["raw", dataset])


# Queries whose error-level checks compare a dataset with another one; the other dataset is
# loaded first in a run so that the comparison sees this build's figures.
_COMPARED_WITH = {
    "forest_area_pair": lambda params: params.get("other_dataset"),
    "affected_vs_population": lambda params: params.get("population_dataset", "population"),
}


def validation_upstream(dataset: str) -> list[str]:
    from pipelines.validation.suites import load_suite

    suite = load_suite(dataset)
    others = {
        _COMPARED_WITH[f.query](f.params) for f in suite.frames.values() if f.query in _COMPARED_WITH
    }
    return sorted(o for o in others if o and o != dataset)


def _ingestion_asset(contract: Contract) -> AssetsDefinition:
    key = ingestion_key(contract.dataset)

    @asset(
        key=key,
        group_name=contract.department,
        deps=[ingestion_key(d) for d in validation_upstream(contract.dataset)],
        kinds={"duckdb", "python"},
        description=f"{contract.name_zh}：读取 raw/{contract.folder}/ 中新交付的文件并装载 "
        f"/ lands new {contract.dataset} extracts (grain: {contract.grain}).",
        check_specs=[
            AssetCheckSpec(
                CHECK_NAME,
                asset=key,
                description="Great Expectations 数据集级校验（错误阻断下游，警告仅提示）",
            )
        ],
        metadata={"contract": str(contract.path.relative_to(settings.PROJECT_DIR)) if contract.path else ""},
    )
    def ingest(context: AssetExecutionContext, duckdb: DuckDBResource, landing_zone: LandingZone):
        raw_dir = Path(landing_zone.raw_dir)
        progress.report(f"装载 {contract.folder} …")
        with duckdb.get_connection() as con:
            load = load_dataset(con, raw_dir, contract, today=settings.today(), progress=progress.report)
            for o in load.outcomes:
                context.log.info(f"{o.file_path}: {o.status} rows={o.rows_loaded} quarantined={o.rows_quarantined} {o.message or ''}")
            check = _validate(con, contract.dataset, context.run_id)
        progress.report(
            f"{contract.folder}: 新文件 {len(load.outcomes)} 个（已装载 {load.count('loaded')}，"
            f"被替代 {load.count('superseded')}，重复 {load.count('duplicate')}，拒收 {load.count('rejected')}），"
            f"装载 {load.rows_loaded} 行，隔离 {load.rows_quarantined} 行"
        )
        return MaterializeResult(
            metadata={
                "files_new": len(load.outcomes),
                "files_already_recorded": load.skipped,
                "files_loaded": load.count("loaded"),
                "files_superseded": load.count("superseded"),
                "files_duplicate": load.count("duplicate"),
                "files_rejected": load.count("rejected"),
                "rows_loaded": load.rows_loaded,
                "rows_quarantined": load.rows_quarantined,
                "rejected": MetadataValue.md(
                    "\n".join(f"- {o.message}" for o in load.outcomes if o.status == "rejected") or "无"
                ),
            },
            check_results=[check],
        )

    return ingest


def _validate(con, dataset: str, run_id: str) -> AssetCheckResult:
    from pipelines.validation.runner import validate_dataset

    result = validate_dataset(con, dataset, run_id)
    if result.errors:
        progress.report(f"  校验未通过（阻断下游）：{result.summary_zh()}")
    elif result.warnings:
        progress.report(f"  校验警告：{result.summary_zh()}")
    return AssetCheckResult(
        check_name=CHECK_NAME,
        passed=not (result.errors or result.warnings),
        severity=AssetCheckSeverity.ERROR if result.errors else AssetCheckSeverity.WARN,
        description=result.summary_zh(),
        metadata={
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "blocking": bool(result.blocking),
        },
    )


def ingestion_assets() -> list[AssetsDefinition]:
    return [_ingestion_asset(c) for c in all_contracts().values()]
