"""`make bench`'s board replay (pipelines/bench/board_queries.py) on the fixture warehouse."""

from __future__ import annotations

from pipelines.bench import board_queries

REPORTED = {"queries", "p50_ms", "p95_ms", "max_ms", "query_p95_ms", "render_s", "error", "slowest_sql",
            "slowest_p50_ms", "open_p50_ms", "open_p95_ms", "connections_per_render", "per_query"}


def test_replay_runs_each_page_on_one_connection(board_env):
    result = board_queries.run(board_env["published"], reps=2)
    assert result["reps"] == 2 and set(result["connect_ms"]) == {"p50", "p95"}
    pages = result["pages"]
    assert list(pages) == board_queries.PAGES
    for name, page in pages.items():
        assert set(page) >= REPORTED, name
        assert page["error"] is None, (name, page["error"])
        assert page["connections_per_render"] == 1, name
        assert page["queries"] >= 3, name
        assert page["p95_ms"] >= page["p50_ms"] > page["open_p50_ms"] > 0, name
    assert pages["sql"]["click_p50_ms"] > 0  # the SQL page's default query, run on a click


def test_a_missing_table_is_not_a_replay_error(board_env, tmp_path):
    from tests.warehouse_fixtures import open_warehouse

    bare = tmp_path / "bare.duckdb"
    open_warehouse(bare).close()
    pages = board_queries.run(bare, reps=1)["pages"]
    assert pages["overview"]["error"] is None  # its check for marts.indicator_progress fails, as expected
    assert pages["overview"]["connections_per_render"] == 1
