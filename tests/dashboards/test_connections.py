"""One read-only connection per page render, closed at its end, and never a stale file version."""

from __future__ import annotations

import threading

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboards import data
from tests.dashboards.conftest import APP
from tests.dashboards.fixture_warehouse import build, publish
from tests.dashboards.test_live_publish import DEATHS_2024
from tests.dashboards.test_pages import text

PAGES = ["overview", "indicator", "township", "quality", "sql", "export"]


@pytest.fixture
def connects(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every duckdb.connect call made from now on (the boards' only way to open the file)."""
    calls: list = []
    real = duckdb.connect

    def counting(*args, **kwargs):
        calls.append(args[0] if args else kwargs.get("database"))
        return real(*args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", counting)
    return calls


def deaths(frame) -> float:
    return float(frame["value"].iloc[0])


@pytest.mark.parametrize("name", PAGES)
def test_a_page_render_opens_exactly_one_connection(name, board_env, connects):
    at = AppTest.from_file(APP, default_timeout=60).run()
    st.cache_data.clear()  # as right after a publish: nothing of this version cached yet
    connects.clear()
    if name == "overview":
        at.run()
    else:
        at.switch_page(f"views/{name}.py").run()
    assert not at.exception, at.exception
    assert connects == [str(board_env["published"])]
    assert not data._live_versions(str(board_env["published"]))  # closed when the render ended
    connects.clear()
    at.run()  # the same version again: everything is cached, nothing is opened
    assert not at.exception, at.exception
    assert connects == []


def test_no_connection_when_the_warehouse_is_missing(board_env, tmp_path, monkeypatch, connects):
    monkeypatch.setenv("EMSTATS_PUBLISHED", str(tmp_path / "nowhere.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "尚未找到已发布的数据库" in at.warning[0].value
    assert connects == []


def test_new_publish_shows_on_next_render(board_env, connects):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "17 人" in text(at)
    publish(build(board_env["tmp"] / "next.duckdb", deaths_2024=23), board_env["published"])
    connects.clear()
    at.run()
    assert not at.exception, at.exception
    assert "23 人" in text(at) and "17 人" not in text(at)
    assert len(connects) == 1  # the new version, read on one connection


def test_a_render_still_reading_the_old_file_does_not_hide_a_new_publish(board_env):
    """DuckDB shares one instance per path while a connection is open: a render that starts after
    a publish, while another render still has the old file open, must still read the new file."""
    published = board_env["published"]
    v2 = build(board_env["tmp"] / "next.duckdb", deaths_2024=23)
    with data.render() as old:
        assert deaths(data.query(DEATHS_2024)) == 17.0
        publish(v2, published)
        seen: list[float] = []
        other = threading.Thread(target=lambda: seen.append(deaths(data.query(DEATHS_2024))))
        other.start()
        other.join()
        assert seen == [23.0]
        con, _ = old.connection()  # the older render keeps its own version to its end
        assert deaths(data.fetch(con, DEATHS_2024)) == 17.0
    assert deaths(data.query(DEATHS_2024)) == 23.0
    assert not data._live_versions(str(published))


def test_queries_outside_a_render_open_and_close_their_own_connection(board_env, connects):
    assert deaths(data.query(DEATHS_2024)) == 17.0
    assert len(connects) == 1
    assert not data._live_versions(str(board_env["published"]))
