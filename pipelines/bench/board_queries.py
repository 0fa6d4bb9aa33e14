"""Board latency: every page's queries, as the boards issue them, replayed on a published warehouse.

Each page of dashboards/app.py is run once in Streamlit's AppTest with `dashboards.data.run_query`
wrapped to record the SQL and parameters it sends (the boards' cache is cleared first, so a page's
list is complete). Then each page's list is replayed REPS times, cold: every query on a fresh
read-only connection to the published copy, as a first visit or a visit after a new publish
does. The page's latency is the sum of its queries; p50 and p95 over the repetitions. The SQL
page's own default query (run on a click) is replayed through dashboards.safe_sql.

    python -m pipelines.bench.board_queries PUBLISHED OUT.json [REPS]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

PAGES = ["overview", "indicator", "township", "quality", "sql", "export"]
APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGE_TIMEOUT_S = 90


def record_pages() -> dict[str, dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards import data

    recorded: list[tuple[str, tuple]] = []
    real = data.run_query

    def recording(sql, params=()):
        recorded.append((sql, tuple(params)))
        return real(sql, params)

    data.run_query = recording
    pages: dict[str, dict] = {}
    try:
        for name in PAGES:
            t0 = time.perf_counter()
            error = None
            try:
                at = AppTest.from_file(str(APP), default_timeout=PAGE_TIMEOUT_S)
                if name == "overview":
                    st.cache_data.clear()
                    recorded.clear()
                    at.run()
                else:
                    at.run()
                    st.cache_data.clear()
                    recorded.clear()
                    t0 = time.perf_counter()
                    at.switch_page(f"views/{name}.py").run()
                if at.exception:
                    error = str(at.exception[0].message)[:300]
            except Exception as e:  # a page that times out still reports the queries it sent
                error = f"{type(e).__name__}: {e}"[:300]
            pages[name] = {"queries": list(dict.fromkeys(recorded)), "render_s": time.perf_counter() - t0,
                           "error": error}
    finally:
        data.run_query = real
    return pages


def replay(pages: dict[str, dict], reps: int) -> dict[str, dict]:
    from dashboards import data, safe_sql

    out = {}
    for name, page in pages.items():
        queries = page["queries"]
        totals, per_query = [], [[] for _ in queries]
        for _ in range(reps):
            t_page = 0.0
            for k, (sql, params) in enumerate(queries):
                t0 = time.perf_counter()
                try:
                    data.run_query(sql, params)
                except Exception as e:  # a table the page expects is missing: timed, reported
                    page["error"] = page["error"] or f"{type(e).__name__}: {e}"[:300]
                dt = time.perf_counter() - t0
                per_query[k].append(dt)
                t_page += dt
            if name == "sql":
                t0 = time.perf_counter()
                try:
                    safe_sql.run("SELECT indicator_code, as_of_year, value, target_value, status\n"
                                 "FROM marts.indicator_progress\nORDER BY as_of_year DESC, indicator_code")
                except Exception as e:
                    page["error"] = page["error"] or f"{type(e).__name__}: {e}"[:300]
                t_page += time.perf_counter() - t0
            totals.append(t_page)
        slowest = max(range(len(queries)), key=lambda k: statistics.median(per_query[k]), default=None)
        out[name] = {
            "queries": len(queries) + (1 if name == "sql" else 0),
            "p50_ms": 1000 * _pct(totals, 50),
            "p95_ms": 1000 * _pct(totals, 95),
            "max_ms": 1000 * max(totals),
            "render_s": page["render_s"],
            "error": page["error"],
            "slowest_sql": " ".join(queries[slowest][0].split())[:240] if slowest is not None else None,
            "slowest_p50_ms": 1000 * statistics.median(per_query[slowest]) if slowest is not None else None,
            "query_p95_ms": 1000 * max((_pct(q, 95) for q in per_query), default=0.0),
        }
    return out


def connect_cost(reps: int) -> dict:
    """What opening and closing one read-only connection costs (paid by every cold query)."""
    from dashboards import data

    times = []
    for _ in range(max(reps, 5)):
        t0 = time.perf_counter()
        data.connect().close()
        times.append(time.perf_counter() - t0)
    return {"p50": 1000 * _pct(times, 50), "p95": 1000 * _pct(times, 95)}


def _pct(xs: list[float], p: int) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def main(argv: list[str]) -> int:
    published, out = Path(argv[0]), Path(argv[1])
    reps = int(argv[2]) if len(argv) > 2 else 25
    os.environ["EMSTATS_PUBLISHED"] = str(published)
    pages = record_pages()
    result = {"reps": reps, "pages": replay(pages, reps), "connect_ms": connect_cost(reps)}
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
