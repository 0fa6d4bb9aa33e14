"""The Dagster code location: one ingestion asset per contract, dbt assets downstream, sensor, schedule."""

from __future__ import annotations

import os
import time

from dagster import AssetKey, build_sensor_context

from pipelines.ingest.contracts import all_contracts


def test_definitions_load_with_every_dataset_and_dbt_downstream():
    from pipelines.definitions import BUILD_JOB, defs

    graph = defs.resolve_asset_graph()
    keys = graph.get_all_asset_keys()
    for dataset in all_contracts():
        assert AssetKey(["raw", dataset]) in keys
    # dbt sources resolve to the ingestion assets, so staging models sit downstream of them.
    stg = AssetKey(["staging", "stg_forestry__forest_fires"])
    assert AssetKey(["raw", "forest_fires"]) in graph.get(stg).parent_keys
    assert AssetKey(["marts", "indicator_values"]) in keys
    assert defs.resolve_job_def(BUILD_JOB) is not None
    assert defs.resolve_schedule_def("daily_full_build").cron_schedule == "0 6 * * *"


def test_sensor_requests_a_run_for_the_dataset_with_a_new_file(tmp_path, monkeypatch):
    from pipelines.definitions import defs
    from tests.pipeline.landing import fire_file

    monkeypatch.setenv("EMSTATS_RAW_DIR", str(tmp_path))
    sensor = defs.resolve_sensor_def("landing_zone_sensor")
    fire_file(tmp_path, "2023年.csv", [("F1", "2023-03-01", "古南", 3, 1.5, 0, 0)])
    ctx = build_sensor_context(repository_def=defs.get_repository_def())
    first = sensor.evaluate_tick(ctx)
    assert len(first.run_requests) == 1
    request = first.run_requests[0]
    assert request.tags["emstats/datasets"] == "forest_fires"
    assert AssetKey(["raw", "forest_fires"]) in request.asset_selection
    assert AssetKey(["raw", "population"]) not in request.asset_selection
    # Nothing new: the next tick skips.
    ctx2 = build_sensor_context(cursor=first.cursor, repository_def=defs.get_repository_def())
    assert sensor.evaluate_tick(ctx2).run_requests == []
    # A corrected re-delivery triggers again.
    time.sleep(0.01)
    p = fire_file(tmp_path, "2023年_更正.csv", [("F1", "2023-03-01", "古南", 3, 1.0, 0, 0)])
    os.utime(p)
    ctx3 = build_sensor_context(cursor=first.cursor, repository_def=defs.get_repository_def())
    assert len(sensor.evaluate_tick(ctx3).run_requests) == 1
