"""Deterministic sample extracts for every dataset (`emstats sample`): see generate.generate_sample."""

from .generate import MANIFEST_PATH, SampleSummary, generate_sample, plan

__all__ = ["MANIFEST_PATH", "SampleSummary", "generate_sample", "plan"]
