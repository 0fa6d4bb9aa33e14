"""dbt models as Dagster assets, downstream of the ingestion assets through dbt sources.

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
from pipelines.dbt_project import dbt_project
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


def blocked_datasets(duckdb: DuckDBResource, run_id: str) -> list[str]:
    """Datasets whose validation failed with an error in this run."""
    with duckdb.get_connection() as con:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = 'audit' AND table_name = 'validation_results'"
        ).fetchone()[0]
        if not exists:
            return []
        rows = con.execute(
            "SELECT DISTINCT dataset FROM audit.validation_results "
            "WHERE run_id = ? AND severity = 'error' AND NOT success ORDER BY dataset",
            [run_id],
        ).fetchall()
    return [r[0] for r in rows]


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=EmstatsTranslator())
def emstats_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource, duckdb: DuckDBResource):
    held_back = blocked_datasets(duckdb, context.run_id)
    args = ["build"]
    if held_back:
        args += ["--exclude", *[f"source:raw.{d}+" for d in held_back]]
        progress.report(f"以下数据集校验出错，其下游模型本次不更新：{', '.join(held_back)}")
        context.log.warning(f"held back downstream of: {held_back}")
    progress.report("dbt 构建模型并运行测试 …")
    yield from dbt.cli(args, context=context).stream()
    progress.report("dbt 构建完成")
    # Publishing belongs to the same step: it happens only when dbt succeeded, and a run whose
    # datasets were held back still publishes everything else.
    target = publish(settings.warehouse_path(), settings.published_path())
    progress.report(f"已发布只读副本：{target}")
    yield AssetMaterialization(
        asset_key=PUBLISHED_KEY,
        description="供看板和统计人员只读访问的发布副本 / read-only copy for boards and SQL users",
        metadata={"path": str(target), "bytes": target.stat().st_size, "held_back": ", ".join(held_back) or "无"},
    )
