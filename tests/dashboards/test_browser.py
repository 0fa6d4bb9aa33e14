"""Every page in a real headless Chromium (Debian's chromium), with a screenshot per page.

Screenshots go to tmp/screenshots/ under the project (gitignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.dashboards.conftest import APP
from tests.dashboards.fixture_warehouse import build, publish

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "tmp" / "screenshots"
# url path, title, an expected figure on the page
PAGES = [
    ("", "总览", "17 人"),
    ("indicator", "指标详情", "17 人"),
    ("township", "街镇", "8.5 人"),
    ("quality", "数据质量", "缺少必填列：死亡人数"),
    ("sql", "SQL 查询", "返回 28 行"),
    ("export", "导出", "下载 2024年指标完成情况.xlsx"),
]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"{CHROMIUM} is absent (apt-get install -y chromium fonts-noto-cjk)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(board_env):
    port = free_port()
    env = {**os.environ, "EMSTATS_WAREHOUSE": str(board_env["warehouse"]),
           "EMSTATS_PUBLISHED": str(board_env["published"])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", APP, "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--client.toolbarMode", "viewer"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("streamlit did not start") from None
                time.sleep(0.3)
        yield {"url": url, **board_env}
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        # Playwright adds --headless and its own fresh --user-data-dir.
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS[1:])
        yield b
        b.close()


def wait_for_page(page, title: str, figure: str) -> None:
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=45_000)
    page.get_by_text(figure).first.wait_for(state="attached", timeout=45_000)
    if page.locator("[data-testid='stPlotlyChart']").count():
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=45_000)
    page.wait_for_timeout(1500)  # let charts finish drawing before the screenshot


def screenshot(page, path: Path) -> None:
    """The whole page: Streamlit scrolls inside its main container, so grow the viewport."""
    measure = ("Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
               "[data-testid=stAppScrollToBottomContainer], section.main')].map(e => e.scrollHeight), 900)")
    height = 0
    for _ in range(4):  # grow until the height is stable (lazy elements render when visible)
        new = min(int(page.evaluate(measure)) + 40, 12000)
        if new <= height:
            break
        height = new
        page.set_viewport_size({"width": 1400, "height": height})
        page.wait_for_timeout(1500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})


def test_every_page_in_chromium(server, browser):
    if SHOTS.exists():
        shutil.rmtree(SHOTS)
    SHOTS.mkdir(parents=True)
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for i, (path, title, figure) in enumerate(PAGES, start=1):
        page.goto(f"{server['url']}/{path}")
        if path == "sql":
            page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=45_000)
            page.get_by_role("button", name="执行查询").click()
        wait_for_page(page, title, figure)
        assert page.locator("[data-testid='stException']").count() == 0, f"exception on {title}"
        screenshot(page, SHOTS / f"{i}_{path or 'overview'}.png")
    assert not errors, errors

    # A build publishes while the board is open: the open page keeps working, a rerun shows it.
    publish(build(server["tmp"] / "next.duckdb", deaths_2024=23), server["published"])
    page.goto(f"{server['url']}/")
    wait_for_page(page, "总览", "23 人")
    screenshot(page, SHOTS / "7_overview_after_publish.png")
