"""Suite files: expectations/<dataset>.yaml, one per dataset contract, kept as reviewable data.

    dataset: population
    name_zh: 常住人口
    frames:                      # named DataFrames the expectations run on (pipelines/validation/queries.py)
      rows: {query: current_file_rows, report_columns: [_file_path, _row_number]}
    expectations:
      - name: required_fields_present
        kind: row_rule           # row_rule | uniqueness | completeness | volume | plausibility | consistency
        frame: rows
        type: expect_column_values_to_not_be_null     # a GX 1.x expectation type
        kwargs: {column: value}
        severity: error          # error blocks the dataset's downstream models; warning only flags
        description_zh: 必填字段不得为空

A kwargs value "$in_scope_townships" is replaced at run time by the in-scope township codes of the
townships seed, so no code is written into a suite.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipelines import settings

SEVERITIES = ("error", "warning")
KINDS = ("row_rule", "uniqueness", "completeness", "volume", "plausibility", "consistency")


@dataclass(frozen=True)
class FrameSpec:
    name: str
    query: str
    params: dict = field(default_factory=dict)
    report_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExpectationSpec:
    name: str
    kind: str
    frame: str
    type: str
    kwargs: dict
    severity: str
    description_zh: str


@dataclass(frozen=True)
class Suite:
    dataset: str
    name_zh: str
    frames: dict[str, FrameSpec]
    expectations: tuple[ExpectationSpec, ...]
    path: Path | None = None

    def for_frame(self, frame: str) -> list[ExpectationSpec]:
        return [e for e in self.expectations if e.frame == frame]


def suite_path(dataset: str, directory: Path | None = None) -> Path:
    return (directory or settings.EXPECTATIONS_DIR) / f"{dataset}.yaml"


def parse_suite(doc: dict[str, Any], path: Path | None = None) -> Suite:
    where = path.name if path else doc.get("dataset", "?")
    frames = {}
    for name, spec in (doc.get("frames") or {}).items():
        unknown = set(spec) - {"query", "params", "report_columns"}
        if unknown:
            raise ValueError(f"{where}: frame {name}: unknown keys {sorted(unknown)}")
        frames[name] = FrameSpec(
            name=name,
            query=spec["query"],
            params=dict(spec.get("params") or {}),
            report_columns=tuple(spec.get("report_columns") or ()),
        )
    exps = []
    seen = set()
    for e in doc.get("expectations") or []:
        unknown = set(e) - {"name", "kind", "frame", "type", "kwargs", "severity", "description_zh"}
        if unknown:
            raise ValueError(f"{where}: {e.get('name')}: unknown keys {sorted(unknown)}")
        spec = ExpectationSpec(
            name=e["name"],
            kind=e["kind"],
            frame=e["frame"],
            type=e["type"],
            kwargs=dict(e.get("kwargs") or {}),
            severity=e["severity"],
            description_zh=e["description_zh"],
        )
        if spec.severity not in SEVERITIES:
            raise ValueError(f"{where}: {spec.name}: severity must be one of {SEVERITIES}")
        if spec.kind not in KINDS:
            raise ValueError(f"{where}: {spec.name}: kind must be one of {KINDS}")
        if spec.frame not in frames:
            raise ValueError(f"{where}: {spec.name}: unknown frame {spec.frame!r}")
        if not spec.type.startswith("expect_"):
            raise ValueError(f"{where}: {spec.name}: not a GX expectation type: {spec.type}")
        if spec.name in seen:
            raise ValueError(f"{where}: duplicate expectation name {spec.name}")
        seen.add(spec.name)
        exps.append(spec)
    return Suite(
        dataset=doc["dataset"],
        name_zh=doc.get("name_zh", doc["dataset"]),
        frames=frames,
        expectations=tuple(exps),
        path=path,
    )


@functools.cache
def _load_cached(path: Path, mtime_ns: int) -> Suite:
    return parse_suite(yaml.safe_load(path.read_text("utf-8")), path)


def load_suite(dataset: str, directory: Path | None = None) -> Suite:
    path = suite_path(dataset, directory)
    if not path.exists():
        raise FileNotFoundError(f"no suite for {dataset}: {path}")
    return _load_cached(path, path.stat().st_mtime_ns)
