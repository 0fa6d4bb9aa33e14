"""The generator writes every dataset, deterministically, small, in the declared encodings."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
import xlrd

from pipelines.ingest.contracts import all_contracts
from pipelines.sample import MANIFEST_PATH, generate_sample, plan
from pipelines.sample.generate import relpath
from pipelines.settings import PROJECT_DIR


def hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes(tmp_path):
    kw = {"first_year": 2025, "last_year": 2025, "last_month": 12}
    a = generate_sample(tmp_path / "a", **kw)
    generate_sample(tmp_path / "b", **kw)
    assert hashes(tmp_path / "a") == hashes(tmp_path / "b")
    assert a.total_files == len(hashes(tmp_path / "a"))


def test_another_seed_gives_another_world():
    a, b = plan(first_year=2025, last_year=2025, last_month=12), plan(7, 2025, 2025, 12)
    assert [s.rows for s in a.files] != [s.rows for s in b.files]


def test_every_dataset_has_files(sample):
    root, summary = sample
    for c in all_contracts().values():
        files = [p for p in (root / c.department / c.dataset).rglob("*") if p.is_file()]
        assert files, c.folder
        assert summary.files[c.dataset] == len(files)
    assert {p.name for p in root.iterdir()} == {c.department for c in all_contracts().values()}


def test_small_enough_to_commit(sample):
    _, summary = sample
    assert summary.total_bytes < 3_000_000
    assert 200 < summary.total_files < 500


def test_files_open_in_their_declared_format(sample, world):
    root, _ = sample
    for spec in world.files:
        if spec.bad_file or spec.copy_of is not None:
            continue
        data = (root / relpath(spec)).read_bytes()
        if spec.fmt == "csv":
            data.decode(spec.encoding)  # strict: raises on a wrong encoding
            assert data.startswith(b"\xef\xbb\xbf") == (spec.encoding == "utf-8-sig"), spec.name
        elif spec.fmt == "xlsx":
            with zipfile.ZipFile(root / relpath(spec)) as z:
                assert "xl/workbook.xml" in z.namelist()
        else:
            assert xlrd.open_workbook(file_contents=data).nsheets >= 1


def test_mix_of_formats_and_encodings(world):
    kinds = {(s.fmt, s.encoding if s.fmt == "csv" else "") for s in world.files if not s.bad_file}
    assert {("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gb18030"), ("xlsx", ""), ("xls", "")} <= kinds


def test_bad_inputs_can_be_left_out(tmp_path):
    s = generate_sample(tmp_path, first_year=2023, last_year=2023, last_month=12, bad_inputs=False)
    assert s.expected == []


def test_manifest_lists_every_kind_of_bad_input(sample):
    _, summary = sample
    codes = {e["reason_code"] for e in summary.expected}
    assert codes >= {"missing_column", "bad_unit", "no_period", "empty_file", "unreadable", "no_header",
                     "negative", "not_a_number", "formula_error", "fraction_in_int", "bad_date",
                     "date_out_of_period", "future_date", "unknown_township", "out_of_scope",
                     "township_not_valid", "missing_required", "bad_bool", "not_in_domain",
                     "rule_violation", "duplicate_key"}
    for e in summary.expected:
        assert (summary.out_dir / e["file"]).is_file(), e


def test_committed_sample_and_manifest_are_current(sample):
    """raw/ and expected_bad_inputs.json must be regenerated (python -m pipelines.sample) on change."""
    root, summary = sample
    committed = PROJECT_DIR / "raw"
    if not any(committed.rglob("*.*")):
        pytest.skip("no committed sample")
    assert hashes(committed) == hashes(root)
    assert json.loads(MANIFEST_PATH.read_text("utf-8")) == summary.expected


def test_areas_streams_a_synthetic_world(tmp_path):
    s = generate_sample(tmp_path / "raw", areas=12, first_year=2025, last_year=2025, last_month=12)
    assert s.townships_csv == tmp_path / "raw.townships.csv"
    seed = s.townships_csv.read_text("utf-8").splitlines()
    assert sum(",本级," in line for line in seed) == 12
    assert all(s.files.get(c.dataset) for c in all_contracts().values())
    assert s.rows["population"] == 12


def test_exactly_one_file_is_delivered_twice(sample):
    root, _ = sample
    by_hash: dict[str, list[str]] = {}
    for rel, h in hashes(root).items():
        by_hash.setdefault(h, []).append(rel)
    twins = [v for v in by_hash.values() if len(v) > 1]
    assert len(twins) == 1 and len(twins[0]) == 2
    assert len({rel.rsplit("/", 1)[0] for rel in twins[0]}) == 1  # same dataset folder
