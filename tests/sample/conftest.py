"""One full default generation per test session (a few seconds), shared by the sample tests."""

from __future__ import annotations

import pytest

from pipelines.sample import generate_sample, plan


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    root = tmp_path_factory.mktemp("sample") / "raw"
    return root, generate_sample(root)


@pytest.fixture(scope="session")
def world():
    """The default deliveries, unwritten: rows with canonical values for magnitude checks."""
    return plan()
