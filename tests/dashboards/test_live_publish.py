"""A board left open keeps working while a build publishes, and then shows the new figures."""

from __future__ import annotations

import threading
import time

from streamlit.testing.v1 import AppTest

from dashboards import data
from tests.dashboards.conftest import APP
from tests.dashboards.fixture_warehouse import build, publish
from tests.dashboards.test_pages import text

DEATHS_2024 = """SELECT value FROM marts.indicator_values
                 WHERE indicator_code = 'PS_DEATHS' AND area_code = '500110' AND year = 2024"""


def test_board_survives_swaps_and_shows_new_publish(board_env):
    published, v1 = board_env["published"], board_env["warehouse"]
    v2 = build(board_env["tmp"] / "next.duckdb", deaths_2024=23)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "17 人" in text(at)

    stop, errors, swaps = threading.Event(), [], [0]

    def swapper() -> None:
        try:
            while not stop.is_set():
                publish(v2 if swaps[0] % 2 else v1, published)
                swaps[0] += 1
                time.sleep(0.02)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=swapper)
    thread.start()
    try:
        seen = set()
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            seen.add(float(data.run_query(DEATHS_2024)["value"].iloc[0]))
        for _ in range(3):
            at.run()
            assert not at.exception, at.exception
            assert "生产安全事故死亡人数" in text(at)
    finally:
        stop.set()
        thread.join()
    assert not errors and swaps[0] > 10
    assert seen <= {17.0, 23.0}

    publish(v2, published)  # the build's final publish
    at.run()
    assert not at.exception
    assert "23 人" in text(at) and "17 人" not in text(at)


def test_cache_key_follows_the_published_file(board_env):
    before = data.file_key()
    publish(build(board_env["tmp"] / "next.duckdb", deaths_2024=23), board_env["published"])
    assert data.file_key() != before
    assert float(data.query(DEATHS_2024)["value"].iloc[0]) == 23.0
