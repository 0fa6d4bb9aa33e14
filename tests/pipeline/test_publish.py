"""Publishing: readers see the previous copy or the new one, never a half-written file."""

from __future__ import annotations

import duckdb

from pipelines.publish import publish


def _write(path, value):
    con = duckdb.connect(str(path))
    con.execute("CREATE OR REPLACE TABLE t AS SELECT ? AS v", [value])
    con.close()


def test_publish_replaces_the_copy_a_reader_had_open(tmp_path):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w.published.duckdb"
    _write(warehouse, 1)
    publish(warehouse, published)
    reader = duckdb.connect(str(published), read_only=True)
    assert reader.execute("SELECT v FROM t").fetchone() == (1,)
    _write(warehouse, 2)
    publish(warehouse, published)
    # The open reader keeps its snapshot; a new short-lived connection sees the new build.
    assert reader.execute("SELECT v FROM t").fetchone() == (1,)
    reader.close()
    fresh = duckdb.connect(str(published), read_only=True)
    assert fresh.execute("SELECT v FROM t").fetchone() == (2,)
    fresh.close()


def test_publish_includes_uncheckpointed_writes_and_clears_stale_copies(tmp_path):
    warehouse, published = tmp_path / "w.duckdb", tmp_path / "w.published.duckdb"
    stale = tmp_path / ".w.published.duckdb.999.tmp"
    stale.write_bytes(b"half a copy")
    _write(warehouse, 7)
    publish(warehouse, published)
    assert not stale.exists()
    con = duckdb.connect(str(published), read_only=True)
    assert con.execute("SELECT v FROM t").fetchone() == (7,)
    con.close()
    # The writer can keep writing: the published copy is a different file.
    con = duckdb.connect(str(warehouse))
    con.execute("INSERT INTO t VALUES (8)")
    con.close()
