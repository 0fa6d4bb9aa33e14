from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st

from tests.dashboards.fixture_warehouse import build, publish

APP = str(Path(__file__).resolve().parents[2] / "dashboards" / "app.py")


@pytest.fixture
def board_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A fixture warehouse, published beside itself, with the settings pointing at it."""
    warehouse = build(tmp_path / "warehouse.duckdb")
    published = tmp_path / "warehouse.published.duckdb"
    publish(warehouse, published)
    monkeypatch.setenv("EMSTATS_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("EMSTATS_PUBLISHED", str(published))
    st.cache_data.clear()
    yield {"warehouse": warehouse, "published": published, "tmp": tmp_path}
    st.cache_data.clear()
