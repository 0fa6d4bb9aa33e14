"""Publish the warehouse for readers: copy beside the target and rename over it atomically.

Readers (boards, SQL users) open the published copy read-only; the pipeline never writes it in
place, so a reader sees either the previous build or the new one, never a half-written file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb


def publish(warehouse: Path, published: Path) -> Path:
    # Fold the write-ahead log into the file so the copy is complete on its own.
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    published.parent.mkdir(parents=True, exist_ok=True)
    # Copies left by a publish that was killed half-way are never read: clear them.
    for stale in published.parent.glob(f".{published.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    shutil.copyfile(warehouse, tmp)
    with tmp.open("rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, published)
    return published
