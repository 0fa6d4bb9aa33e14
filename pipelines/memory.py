"""Give freed memory back to the operating system before a memory-hungry child process starts.

The build's peak memory counts the whole process tree: while dbt (a subprocess with its own
DuckDB) runs, the emstats process still holds the heap that reading and validation freed, unless
it is trimmed. glibc keeps freed arenas for reuse; malloc_trim returns them.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc


def release_memory() -> None:
    gc.collect()
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return
    with contextlib.suppress(OSError, AttributeError):  # not glibc (e.g. musl): nothing to trim
        ctypes.CDLL(libc_name).malloc_trim(0)


# What the dbt process holds beyond its DuckDB memory_limit (Python, dbt, the manifest, and
# DuckDB's allocations outside the buffer pool): 640 MiB measured on the national build (2,979 MiB
# resident under a 2,340 MiB limit, while sorting indicator_values); a margin on top.
DBT_PROCESS_OVERHEAD = 700 * 2**20
# What the emstats process (Dagster, GX, polars, its closed DuckDB) still holds while dbt runs:
# 880-900 MiB measured on the national build.
BUILD_PROCESS_ALLOWANCE = 2**30
_UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40, "B": 1}


def parse_size(text: str) -> int:
    """DuckDB's size strings ('4GB', '3.5GiB', '800MB') in bytes."""
    t = text.strip().upper().replace(" ", "")
    for unit in sorted(_UNITS, key=len, reverse=True):
        if t.endswith(unit):
            return int(float(t[: -len(unit)]) * _UNITS[unit])
    return int(float(t))


def dbt_memory_limit(budget: str) -> str:
    """DuckDB memory_limit for the dbt subprocess so the build's process tree stays within
    `budget` (EMSTATS_DUCKDB_MEMORY_LIMIT): the budget less what the emstats process holds while
    dbt runs and the dbt process's own overhead, but never under a quarter of the budget (DuckDB
    spills to temp_directory beyond its limit, so a small limit costs time, not failure).

    Fixed allowances rather than the process's resident size at the time: the limit is part of
    dbt's profile, and a profile that changes from one build to the next makes dbt parse the
    whole project again instead of partially."""
    total = parse_size(budget)
    limit = max(total // 4, total - BUILD_PROCESS_ALLOWANCE - DBT_PROCESS_OVERHEAD)
    return f"{limit // 2**20}MiB"
