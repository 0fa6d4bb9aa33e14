"""Board latency: every page's queries, as the boards issue them, replayed on a published warehouse.

Each page of dashboards/app.py is run once in Streamlit's AppTest with `dashboards.data.fetch`
wrapped to record the SQL and parameters it sends and `dashboards.data.open_version` wrapped to
count the connections a render opens (the boards' cache is cleared first, so a page's list is
complete). Then each page is replayed REPS times the way the boards run it, cold: one fresh
read-only connection to the published copy for the page (nothing else open in the process, as for
the first visit after a new publish), all the page's queries on it, then closed. The page's
latency is open + queries + close; p50 and p95 over the repetitions, with the connection's own
cost and each query's p50/p95 reported beside it. A query that failed while recording (a page's
check for a table that is not published) fails again without counting as an error. The SQL
page's own default query (run on a click, in a later script run, on a locked connection of its
own) is replayed through dashboards.safe_sql and added.

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
SQL_PAGE_DEFAULT = ("SELECT indicator_code, as_of_year, value, target_value, status\n"
                    "FROM marts.indicator_progress\nORDER BY as_of_year DESC, indicator_code")


def record_pages() -> dict[str, dict]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboards import data

    recorded: list[tuple[str, tuple]] = []
    failed: set[tuple[str, tuple]] = set()  # e.g. a table check for a table not published (yet)
    opened = [0]
    real_fetch, real_open = data.fetch, data.open_version

    def recording(con, sql, params=()):
        recorded.append((sql, tuple(params)))
        try:
            return real_fetch(con, sql, params)
        except Exception:
            failed.add((sql, tuple(params)))
            raise

    def counting(*args, **kwargs):
        opened[0] += 1
        return real_open(*args, **kwargs)

    data.fetch, data.open_version = recording, counting
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
                    opened[0] = 0
                    at.run()
                else:
                    at.run()
                    st.cache_data.clear()
                    recorded.clear()
                    opened[0] = 0
                    t0 = time.perf_counter()
                    at.switch_page(f"views/{name}.py").run()
                if at.exception:
                    error = str(at.exception[0].message)[:300]
            except Exception as e:  # a page that times out still reports the queries it sent
                error = f"{type(e).__name__}: {e}"[:300]
            queries = list(dict.fromkeys(recorded))
            pages[name] = {"queries": queries, "render_s": time.perf_counter() - t0,
                           "connections": opened[0], "error": error,
                           "expected_failures": [q for q in queries if q in failed]}
    finally:
        data.fetch, data.open_version = real_fetch, real_open
    return pages


def replay(pages: dict[str, dict], reps: int) -> dict[str, dict]:
    from dashboards import data, safe_sql

    out = {}
    for name, page in pages.items():
        queries = page["queries"]
        expected = set(page.get("expected_failures", []))
        totals, opens, closes, clicks, per_query = [], [], [], [], [[] for _ in queries]
        for _ in range(reps):
            t_start = time.perf_counter()
            con = None
            if queries:
                try:
                    con, _ = data.open_version()
                except Exception as e:
                    page["error"] = page["error"] or f"{type(e).__name__}: {e}"[:300]
            t_open = time.perf_counter()
            opens.append(t_open - t_start)
            for k, (sql, params) in enumerate(queries):
                t0 = time.perf_counter()
                if con is not None:
                    try:
                        data.fetch(con, sql, params)
                    except Exception as e:  # a table the page expects is missing: timed, reported
                        if (sql, params) not in expected:  # not a page's own check for a table
                            page["error"] = page["error"] or f"{type(e).__name__}: {e}"[:300]
                per_query[k].append(time.perf_counter() - t0)
            t_close = time.perf_counter()
            data.close(con)
            closes.append(time.perf_counter() - t_close)
            t_page = time.perf_counter() - t_start
            if name == "sql":  # the click: a later script run, its own locked connection
                t0 = time.perf_counter()
                try:
                    safe_sql.run(SQL_PAGE_DEFAULT)
                except Exception as e:
                    page["error"] = page["error"] or f"{type(e).__name__}: {e}"[:300]
                clicks.append(time.perf_counter() - t0)
                t_page += clicks[-1]
            totals.append(t_page)
        slowest = max(range(len(queries)), key=lambda k: statistics.median(per_query[k]), default=None)
        out[name] = {
            "queries": len(queries) + (1 if name == "sql" else 0),
            "p50_ms": 1000 * _pct(totals, 50),
            "p95_ms": 1000 * _pct(totals, 95),
            "max_ms": 1000 * max(totals),
            "open_p50_ms": 1000 * _pct(opens, 50),
            "open_p95_ms": 1000 * _pct(opens, 95),
            "close_p50_ms": 1000 * _pct(closes, 50),
            "connections_per_render": page.get("connections"),
            "render_s": page["render_s"],
            "error": page["error"],
            "slowest_sql": " ".join(queries[slowest][0].split())[:240] if slowest is not None else None,
            "slowest_p50_ms": 1000 * statistics.median(per_query[slowest]) if slowest is not None else None,
            "query_p95_ms": 1000 * max((_pct(q, 95) for q in per_query), default=0.0),
            **({"click_p50_ms": 1000 * _pct(clicks, 50), "click_p95_ms": 1000 * _pct(clicks, 95)}
               if clicks else {}),
            "per_query": [{"sql": " ".join(sql.split())[:160], "p50_ms": 1000 * _pct(t, 50),
                           "p95_ms": 1000 * _pct(t, 95)} for (sql, _), t in zip(queries, per_query, strict=True)],
        }
    return out


def connect_cost(reps: int) -> dict:
    """What opening and closing one read-only connection costs (paid once by every cold render)."""
    from dashboards import data

    times = []
    for _ in range(max(reps, 5)):
        t0 = time.perf_counter()
        con, _ = data.open_version()
        data.close(con)
        times.append(time.perf_counter() - t0)
    return {"p50": 1000 * _pct(times, 50), "p95": 1000 * _pct(times, 95)}


def _pct(xs: list[float], p: int) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def run(published: Path, reps: int = 25) -> dict:
    """Record and replay every page against `published` (sets EMSTATS_PUBLISHED for this process)."""
    os.environ["EMSTATS_PUBLISHED"] = str(published)
    pages = record_pages()
    return {"reps": reps, "pages": replay(pages, reps), "connect_ms": connect_cost(reps)}


def main(argv: list[str]) -> int:
    published, out = Path(argv[0]), Path(argv[1])
    reps = int(argv[2]) if len(argv) > 2 else 25
    result = run(published, reps)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
