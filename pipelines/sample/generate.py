"""Entry point: build the world, plan the deliveries, inject bad inputs, write the files."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.ingest.contracts import all_contracts

from . import accidents, disasters, forestry, meteo, readiness, scale, stats, works
from . import bad_inputs as bad
from .context import Ctx
from .model import FileSpec
from .towns import Towns
from .writers import build_grid, write_csv, write_xls, write_xlsx

MANIFEST_PATH = Path(__file__).with_name("expected_bad_inputs.json")
BUILDERS = (accidents, disasters, forestry, meteo, stats, works, readiness)


@dataclass
class SampleSummary:
    out_dir: Path
    files: dict[str, int] = field(default_factory=dict)  # per dataset
    rows: dict[str, int] = field(default_factory=dict)  # data rows written (bad rows included)
    bytes: dict[str, int] = field(default_factory=dict)
    expected: list[dict] = field(default_factory=list)  # deliberate bad files and rows
    townships_csv: Path | None = None  # the seed a synthetic (areas=N) world uses

    @property
    def total_files(self) -> int:
        return sum(self.files.values())

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes.values())

    def text(self) -> str:
        lines = [f"{d:28} {self.files[d]:4} files {self.rows[d]:7} rows {self.bytes[d]:9} bytes" for d in self.files]
        lines.append(f"{'total':28} {self.total_files:4} files {self.total_rows:7} rows {self.total_bytes:9} bytes")
        lines.append(f"deliberate bad inputs: {len(self.expected)}")
        return "\n".join(lines)


def plan(seed: int = 20211, first_year: int = 2016, last_year: int = 2026, last_month: int = 11,
         with_bad_inputs: bool = True) -> Ctx:
    """Every file to deliver, not yet written (tests use it to inspect the world cheaply)."""
    ctx = Ctx(seed, first_year, last_year, last_month, Towns.load())
    for b in BUILDERS:
        b.deliver(ctx)
    bad.add_duplicate(ctx)
    if with_bad_inputs:
        bad.inject(ctx)
    return ctx


def generate_sample(
    out_dir: Path,
    *,
    seed: int = 20211,
    first_year: int = 2016,
    last_year: int = 2026,
    last_month: int = 11,
    areas: int | None = None,
    bad_inputs: bool = True,
    manifest_path: Path | None = None,
) -> SampleSummary:
    """Write the sample landing zone into out_dir/<department>/<dataset>/ (those folders are replaced).

    areas=N writes instead a plain synthetic world of N areas at national volume, streamed (see
    scale.py); its townships seed goes beside the landing zone, named in summary.townships_csv.

    The expected rejections are returned in `summary.expected` and, when manifest_path is given,
    written there as JSON (never into the landing zone, which holds extracts only).
    """
    if areas is not None:
        return _scaled(Path(out_dir), (seed, first_year, last_year, last_month), areas)
    out_dir = Path(out_dir)
    ctx = plan(seed, first_year, last_year, last_month, bad_inputs)
    summary = SampleSummary(out_dir=out_dir)
    for c in all_contracts().values():
        shutil.rmtree(out_dir / c.department / c.dataset, ignore_errors=True)
        (out_dir / c.department / c.dataset).mkdir(parents=True, exist_ok=True)
        for k in ("files", "rows", "bytes"):
            getattr(summary, k)[c.dataset] = 0
    written: dict[int, bytes] = {}
    for spec in ctx.files:
        data, rownums = _render(ctx, spec, written)
        rel = relpath(spec)
        path = out_dir / rel
        if path.exists():
            raise ValueError(f"two deliveries share the path {rel}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[id(spec)] = data
        summary.files[spec.dataset] += 1
        summary.rows[spec.dataset] += len(spec.rows) if spec.raw_bytes is None else 0
        summary.bytes[spec.dataset] += len(data)
        summary.expected.extend(bad.expectations(spec, rel, rownums))
    if manifest_path:
        Path(manifest_path).write_text(json.dumps(summary.expected, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return summary


def _scaled(out_dir: Path, ctx_args: tuple, areas: int) -> SampleSummary:
    if areas < 1:
        raise ValueError("areas must be at least 1")
    for c in all_contracts().values():
        shutil.rmtree(out_dir / c.department / c.dataset, ignore_errors=True)
    summary = SampleSummary(out_dir=out_dir)
    scale.generate_scaled(out_dir, ctx_args, areas, summary)
    return summary


def relpath(spec: FileSpec) -> str:
    c = all_contracts()[spec.dataset]
    return "/".join(p for p in (c.department, c.dataset, spec.subdir, spec.name) if p)


def _render(ctx: Ctx, spec: FileSpec, written: dict[int, bytes]) -> tuple[bytes, dict]:
    if spec.copy_of is not None:
        return written[id(spec.copy_of)], {}
    if spec.raw_bytes is not None:
        return spec.raw_bytes, {}
    c = all_contracts()[spec.dataset]
    grids = build_grid(spec, c, ctx.towns, ctx.rng("render", relpath(spec)))
    rownums = {rid: (name, n) for name, _, seen in grids for rid, n in seen.items()}
    if spec.fmt == "csv":
        return write_csv(grids[0][1], spec.encoding), rownums
    return (write_xlsx(grids, spec.style) if spec.fmt == "xlsx" else write_xls(grids)), rownums
