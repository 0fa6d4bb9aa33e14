"""Fixtures: a clean warehouse (every dataset, 2021–2023) built once, copied for each test."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from tests.validation.builders import build_clean
from tests.warehouse_fixtures import open_warehouse

# Future-date checks are judged against a pinned day, so the fixtures never age.
os.environ.setdefault("EMSTATS_TODAY", "2026-06-30")


@pytest.fixture(scope="session")
def clean_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("validation") / "clean.duckdb"
    con = open_warehouse(path)
    build_clean(con)
    con.close()
    return path


@pytest.fixture
def warehouse(clean_template, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copy(clean_template, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


@pytest.fixture
def empty_warehouse(tmp_path):
    con = open_warehouse(tmp_path / "empty.duckdb")
    yield con
    con.close()
