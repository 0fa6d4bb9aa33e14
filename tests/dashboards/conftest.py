from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st

from tests.dashboards.fixture_warehouse import build, publish

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")


@pytest.fixture(scope="session")
def template_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture warehouse, built once per session (copied per test)."""
    return build(tmp_path_factory.mktemp("template") / "warehouse.duckdb")


@pytest.fixture
def board_env(template_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fixture warehouse, published beside itself, with the settings pointing at it."""
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(template_warehouse, warehouse)
    published = tmp_path / "warehouse.published.duckdb"
    publish(warehouse, published)
    monkeypatch.setenv("EMSTATS_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("EMSTATS_PUBLISHED", str(published))
    st.cache_data.clear()
    yield {"warehouse": warehouse, "published": published, "tmp": tmp_path}
    st.cache_data.clear()
