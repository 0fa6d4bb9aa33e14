"""Deterministic sample extracts for every dataset (`emstats sample`).

    generate_sample(out_dir, *, seed=20211, first_year=2016, last_year=2026, last_month=11,
                    areas=None, bad_inputs=True, manifest_path=None) -> SampleSummary

writes realistic departmental files into out_dir/<department>/<dataset>/ (same seed, same
bytes) and returns per-dataset file/row/byte counts plus `expected`: every deliberate bad file
and bad row with the reason_code, row number and sheet the ingestion must report. The
committed sample is regenerated with `python -m pipelines.sample`, which also rewrites
pipelines/sample/expected_bad_inputs.json (the landing zone holds extracts only).

Modules: towns (seed townships and how departments write them), facts (magnitudes), one
module per family of datasets (accidents, disasters, forestry, meteo, stats, works,
readiness), bad_inputs, styles and writers (layout and file formats), scale (areas=N).
"""

from .generate import MANIFEST_PATH, SampleSummary, generate_sample, plan

__all__ = ["MANIFEST_PATH", "SampleSummary", "generate_sample", "plan"]
