import ctypes.util
import subprocess
import sys

import pytest


@pytest.mark.skipif(not ctypes.util.find_library("c"), reason="needs a C library with malloc_trim")
def test_release_memory_returns_freed_heap_to_the_os():
    # In a child process, so the test's own heap does not blur the numbers.
    code = """
from pipelines.memory import release_memory
def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096 // 2**20
blocks = [bytes(1000) for _ in range(500_000)]
held = rss()
del blocks
release_memory()
print(held, rss())
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    held, after = map(int, out.stdout.split())
    assert held - after > 300, (held, after)


def test_dbt_gets_the_budget_less_what_the_build_process_holds():
    import duckdb

    from pipelines.memory import (
        BUILD_PROCESS_ALLOWANCE,
        DBT_PROCESS_OVERHEAD,
        dbt_memory_limit,
        parse_size,
    )

    assert parse_size("4GB") == 4 * 10**9 and parse_size("3.5GiB") == int(3.5 * 2**30)
    limit = dbt_memory_limit("4GB")
    assert parse_size(limit) + BUILD_PROCESS_ALLOWANCE + DBT_PROCESS_OVERHEAD <= 4 * 10**9
    assert parse_size(limit) > 4 * 10**9 - BUILD_PROCESS_ALLOWANCE - DBT_PROCESS_OVERHEAD - 2**20
    # a small budget still leaves dbt a quarter of it (it spills)
    assert parse_size(dbt_memory_limit("1GB")) >= 250 * 10**6 - 2**20
    # DuckDB takes the string as written
    con = duckdb.connect(config={"memory_limit": limit})
    assert con.sql("select current_setting('memory_limit')").fetchone()[0].endswith("iB")


def test_dbt_profile_values_are_the_same_for_every_build(monkeypatch):
    """The limit is part of dbt's profile: if it changed between builds, dbt would parse the
    whole project again each time."""
    from pipelines import settings

    monkeypatch.delenv("EMSTATS_DBT_MEMORY_LIMIT", raising=False)
    monkeypatch.setenv("EMSTATS_DUCKDB_MEMORY_LIMIT", "4GB")
    first = settings.dbt_env()
    blocks = [bytes(1000) for _ in range(200_000)]  # this process grows
    assert settings.dbt_env() == first
    del blocks
    monkeypatch.setenv("EMSTATS_DBT_MEMORY_LIMIT", "3GB")
    assert settings.dbt_env()["EMSTATS_DBT_MEMORY_LIMIT"] == "3GB"
