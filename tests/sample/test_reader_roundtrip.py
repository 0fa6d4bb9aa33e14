"""The project's reader accepts every good file and rejects/quarantines exactly the bad inputs."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.ingest.contracts import all_contracts

reader = pytest.importorskip("pipelines.ingest.reader")
periods = pytest.importorskip("pipelines.ingest.periods")


def _chosen(root, summary) -> list:
    """Every file with an expectation plus one file per dataset and format: fast but broad."""
    flagged = {e["file"] for e in summary.expected}
    picked, seen = [], set()
    for c in all_contracts().values():
        for p in sorted((root / c.department / c.dataset).rglob("*")):
            rel = p.relative_to(root).as_posix()
            kind = (c.dataset, p.suffix)
            if rel in flagged or kind not in seen:
                picked.append((c, p, rel))
                seen.add(kind)
    return picked


def test_reader_agrees_with_the_manifest(sample):
    root, summary = sample
    files = {e["file"]: e["reason_code"] for e in summary.expected if e["level"] == "file"}
    want = {(e["file"], e["sheet"], e["row_number"]): (e["reason_code"], e["column"])
            for e in summary.expected if e["level"] == "row"}
    got, rejected = {}, {}
    chosen = _chosen(root, summary)
    for c, p, rel in chosen:
        period, _, _ = periods.parse_file_name(p.name)
        if period is None:
            rejected[rel] = "no_period"
            continue
        try:
            res = reader.read_extract(p, c, period, date(2026, 11, 30))
        except reader.FileRejected as exc:
            rejected[rel] = exc.reason_code
            continue
        got.update({(rel, i.sheet, i.row_number): (i.reason_code, i.field) for i in res.issues})
    assert rejected == files
    assert got == want
    assert len(chosen) > 60
