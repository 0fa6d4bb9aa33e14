"""The contracts say what the domain spec says: every dataset, field, header alias and key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.dbt_sources import SOURCES_FILE, render_sources_yaml
from pipelines.ingest.contracts import all_contracts
from pipelines.settings import PROJECT_DIR

SPEC = PROJECT_DIR.parent / "shared" / "spec" / "datasets.md"
pytestmark = pytest.mark.skipif(not SPEC.exists(), reason="the domain spec (../shared/spec) is not beside this checkout")


def spec_datasets() -> dict[str, str]:
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \|", SPEC.read_text("utf-8"), re.M)
    return {dataset: dept for dept, dataset in rows}


def _sections(text: str):
    parts = re.split(r"^(?:\*\*([\w-]+ record)\*\*.*|### `\w+/(\w+)`.*)$", text, flags=re.M)
    # re.split with two groups yields: pre, g1, g2, body, g1, g2, body, ...
    for i in range(1, len(parts) - 2, 3):
        title = parts[i] or parts[i + 1]
        fields = {}
        for name, headers in re.findall(r"^\| (\w+) \| ([^|]+) \|", parts[i + 2], re.M):
            if name in ("field",):
                continue
            fields[name] = [h.strip() for h in headers.split(",")]
        yield title, fields


SHAPES = {"Accident record": "production_accidents", "Disaster-event record": "flood_drought_events"}


def test_every_spec_dataset_has_a_contract_in_its_department_folder():
    contracts = all_contracts()
    assert spec_datasets() == {name: c.department for name, c in contracts.items()}


@pytest.mark.parametrize("title,fields", list(_sections(SPEC.read_text("utf-8")) if SPEC.exists() else []))
def test_every_spec_field_and_header_alias_is_in_the_contract(title, fields):
    contract = all_contracts()[SHAPES.get(title, title)]
    for name, headers in fields.items():
        f = contract.field(name)
        assert list(f.headers) == headers, f"{title}.{name}"


def test_dbt_sources_are_generated_from_the_contracts():
    assert Path(SOURCES_FILE).read_text("utf-8") == render_sources_yaml()
