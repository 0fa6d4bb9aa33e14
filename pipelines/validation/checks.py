"""The suites as Dagster asset checks: one blocking `gx_suite` check per ingestion asset raw/<dataset>.

An error fails the check with severity ERROR, which (blocking=True) stops the assets downstream of
that dataset in the same run; warnings fail it with severity WARN, which never blocks. GX is
imported inside the check, on first use, never when the definitions load.
"""


from collections.abc import Callable

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    MetadataValue,
    asset_check,
)
from dagster_duckdb import DuckDBResource

from pipelines.ingest.contracts import all_contracts

CHECK_NAME = "gx_suite"


def check_result(validation, check_name: str = CHECK_NAME, asset_key: AssetKey | None = None) -> AssetCheckResult:
    """AssetCheckResult of a DatasetValidation (errors: ERROR, warnings: WARN, else passed)."""
    failed = validation.errors + validation.warnings
    return AssetCheckResult(
        check_name=check_name,
        asset_key=asset_key,
        passed=not failed,
        severity=AssetCheckSeverity.ERROR if validation.errors else AssetCheckSeverity.WARN,
        description=validation.summary_zh(),
        metadata={
            "expectations": sum(1 for r in validation.results if r.severity in ("error", "warning")),
            "errors": len(validation.errors),
            "warnings": len(validation.warnings),
            "blocking": validation.blocking,
            "no_data": validation.no_data,
            "failed_expectations": MetadataValue.md(
                "\n".join(f"- [{r.severity}] {r.name}：{r.description_zh}（{r.observed}）" for r in failed) or "无"
            ),
            "failing_files": MetadataValue.md(
                "\n".join(f"- {f}" for f in sorted({f for r in failed for f in r.failing_files})) or "无"
            ),
            "files": MetadataValue.md("\n".join(f"- {f}" for f in validation.files) or "无"),
            "seconds": round(validation.seconds, 3),
        },
    )


def _check_for(dataset: str, key: AssetKey) -> AssetChecksDefinition:
    contract = all_contracts()[dataset]

    @asset_check(
        asset=key,
        name=CHECK_NAME,
        blocking=True,
        description=f"{contract.name_zh}：Great Expectations 数据集级校验（expectations/{dataset}.yaml；"
        "错误阻断下游，警告仅提示）",
    )
    def _gx_suite(context: AssetCheckExecutionContext, duckdb: DuckDBResource) -> AssetCheckResult:
        from pipelines.validation.runner import validate_dataset

        with duckdb.get_connection() as con:
            validation = validate_dataset(con, dataset, context.run.run_id)
        context.log.info(validation.summary_zh())
        return check_result(validation)

    return _gx_suite


def build_validation_checks(asset_key_for: Callable[[str], AssetKey]) -> list[AssetChecksDefinition]:
    """One blocking check per dataset contract, on the asset `asset_key_for(dataset)`."""
    return [_check_for(dataset, asset_key_for(dataset)) for dataset in all_contracts()]
