"""dbt models as Dagster assets, downstream of the ingestion assets through dbt sources.

Only models downstream of datasets with new files are rebuilt (assets/dbt_selection.py).
After a successful build the warehouse is published (pipelines/publish.py).
A dataset whose Great Expectations suite failed with an error in this run is held back: the dbt
models downstream of its source are excluded from the build and keep their last good state,
while everything else builds and the warehouse still publishes.
"""


from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AssetMaterialization
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from dagster_duckdb import DuckDBResource

from pipelines import progress, settings
from pipelines.assets.dbt_selection import (
    load_manifest,
    manifest_checksum,
    plan_build,
    record_build,
)
from pipelines.dbt_project import dbt_project
from pipelines.memory import release_memory
from pipelines.publish import publish

PUBLISHED_KEY = AssetKey(["published_warehouse"])


class EmstatsTranslator(DagsterDbtTranslator):
    """Models and seeds keyed by schema and name (marts/indicator_values); groups by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=EmstatsTranslator())
def emstats_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource):
    checksum = manifest_checksum(dbt_project.manifest_path)
    with duckdb.get_connection() as con:
        plan = plan_build(con, context.run_id, checksum, load_manifest(dbt_project.manifest_path))
    held_back = plan.held_back
    if held_back:
        progress.report(f"以下数据集校验出错，其下游模型本次不更新：{', '.join(held_back)}")
        context.log.warning(f"held back downstream of: {held_back}")
    context.log.info(f"dbt plan: {plan.mode} ({plan.reason}) changed={plan.changed}")
    if plan.mode == "skipped":
        progress.report(f"dbt：{plan.reason}，跳过模型构建")
    else:
        label = "全量" if plan.mode == "full" else f"增量（{', '.join(plan.changed)}）"
        progress.report(f"dbt {label}构建模型并运行测试（{plan.reason}）…")
        release_memory()
        yield from dbt.cli(plan.args(), context=context).stream()
        progress.report("dbt 构建完成")
    with duckdb.get_connection() as con:
        record_build(con, context.run_id, checksum, plan)
    # Publishing belongs to the same step: it happens only when dbt succeeded, and a run whose
    # datasets were held back still publishes everything else.
    target = publish(settings.warehouse_path(), settings.published_path())
    progress.report(f"已发布只读副本：{target}")
    yield AssetMaterialization(
        asset_key=PUBLISHED_KEY,
        description="供看板和统计人员只读访问的发布副本 / read-only copy for boards and SQL users",
        metadata={"path": str(target), "bytes": target.stat().st_size, "held_back": ", ".join(held_back) or "无"},
    )
