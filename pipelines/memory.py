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
