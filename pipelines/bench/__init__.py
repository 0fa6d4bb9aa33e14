"""`make bench`: the pipeline measured against the bare-DuckDB floor and a pandas script.

harness.py runs every step in a bounded subprocess and writes docs/benchmarks.md (report.py);
floor.py, pandas_indicators.py and board_queries.py are the measured workloads; deployment.py
makes a deployment (a copy of the dbt project with its own townships seed) for a synthetic world.
"""
