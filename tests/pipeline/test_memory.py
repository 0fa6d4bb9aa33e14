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
