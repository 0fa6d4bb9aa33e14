"""Schedules: a full build every morning catches anything the sensor missed."""

from __future__ import annotations

from dagster import DefaultScheduleStatus, ScheduleDefinition


def build_daily_schedule(job_name: str) -> ScheduleDefinition:
    return ScheduleDefinition(
        name="daily_full_build",
        job_name=job_name,
        cron_schedule="0 6 * * *",
        execution_timezone="Asia/Shanghai",
        default_status=DefaultScheduleStatus.RUNNING,
        description="每天 06:00（北京时间）全量检查落地区并更新仓库",
    )
