"""Run a dataset's Great Expectations suite on the frames of its queries and keep the results.

    validate_dataset(con, "population", run_id) -> DatasetValidation
    validate_all(con, run_id) -> list[DatasetValidation]

Each frame's rows are counted in DuckDB first (choose_engine: the frame, up to one row past the
threshold, into a temporary table); then one of two engines evaluates its expectations:

- `gx` (frames of at most EMSTATS_GX_MAX_ROWS rows, default 200000): the frame is pulled into
  pandas (only the columns the expectations and the report read) and validated by one GX
  batch.validate() call, result_format COMPLETE when the report names files (failing_files needs
  every failing row), else SUMMARY (the first 20 are all the examples need). GX is imported on
  the first such frame (never when this module is imported) and its ephemeral context is created
  once per process.
- `sql` (larger frames): pipelines/validation/sql_engine.py evaluates the same expectations with
  GX's semantics inside DuckDB, the frame a subquery never materialised in Python. GX on pandas
  holds the whole frame in Python memory, plus every failing row's values for COMPLETE results;
  at national scale (10.8M rows; the long frame of geohazard_sites alone is 33M rows) that ran
  the build out of memory and took 14-38 s per 140k-280k-row dataset. The SQL semantics are
  parity-tested: tests/validation/test_sql_engine.py runs both engines on the same frames and
  every suite, and requires identical outcomes.

One more rule: an expectation whose kwargs hold a list of more than GX_MAX_LIST_VALUES (1000)
values, `$in_scope_townships` at national scale (40,000 codes), goes to the SQL engine even on a
small frame, the rest of the frame staying with GX: GX serialises an expectation's configuration
hundreds of times per validation, ~15 s per such expectation.

Every expectation's outcome is appended to audit.validation_results, `details.engine` naming the
engine that produced it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import json
import math
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import duckdb

from pipelines import settings
from pipelines.ingest.contracts import CONTRACTS_DIR, all_contracts
from pipelines.validation import queries, sql_engine
from pipelines.validation.results import append_results, ensure_validation_schema
from pipelines.validation.suites import ExpectationSpec, Suite, load_suite

MAX_EXAMPLES = 20
GX_MAX_ROWS_DEFAULT = 200_000
GX_MAX_LIST_VALUES = 1000  # an expectation with a longer list kwarg goes to the SQL engine (see _long_list)
GX_SEVERITY = {"error": "critical", "warning": "warning"}  # the suite's severity, carried into GX too
FILE_COLUMNS = ("_file_path", "other_file_path", "population_file", "_files")

# Seconds spent importing GX and creating its context in this process (None until first use).
GX_SETUP_SECONDS: float | None = None
_gx_lock = threading.Lock()
_gx_state: dict[str, Any] = {}


def gx_max_rows() -> int:
    """EMSTATS_GX_MAX_ROWS: frames with more rows than this go to the SQL engine (default 200000;
    0 sends every frame with rows there)."""
    raw = os.environ.get("EMSTATS_GX_MAX_ROWS", "").strip()
    if not raw:
        return GX_MAX_ROWS_DEFAULT
    value = int(raw)
    if value < 0:
        raise ValueError(f"EMSTATS_GX_MAX_ROWS must be >= 0, not {raw!r}")
    return value


def _gx() -> dict[str, Any]:
    """The GX module, ephemeral context and pandas data source of this process (created once)."""
    global GX_SETUP_SECONDS
    with _gx_lock:
        if not _gx_state:
            t0 = time.perf_counter()
            os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig
            from great_expectations.expectations.expectation_configuration import (
                ExpectationConfiguration,
            )

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
            _gx_state.update(
                gx=gx,
                context=context,
                source=context.data_sources.add_pandas("emstats_validation"),
                config=ExpectationConfiguration,
                batch_definitions={},
            )
            GX_SETUP_SECONDS = time.perf_counter() - t0
        return _gx_state


def _batch_definition(asset_name: str):
    state = _gx()
    bds = state["batch_definitions"]
    if asset_name not in bds:
        asset = state["source"].add_dataframe_asset(asset_name)
        bds[asset_name] = asset.add_batch_definition_whole_dataframe("whole")
    return bds[asset_name]


# --- results ------------------------------------------------------------------------------------


@dataclass
class ExpectationOutcome:
    name: str
    type: str
    kind: str
    severity: str
    success: bool
    observed: str
    description_zh: str
    frame: str = ""
    failing_files: list[str] = field(default_factory=list)
    examples: list[dict] = field(default_factory=list)
    exception: str | None = None
    engine: str = ""  # "gx" | "sql" (empty for no_data)


@dataclass
class DatasetValidation:
    dataset: str
    run_id: str
    name_zh: str
    files: list[str]
    results: list[ExpectationOutcome]
    checked_at: dt.datetime
    seconds: float = 0.0
    no_data: bool = False
    reused_from: str | None = None  # run whose identical outcomes were recorded again

    @property
    def errors(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == "error"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [r for r in self.results if not r.success and r.severity == "warning"]

    @property
    def blocking(self) -> bool:
        return bool(self.errors)

    @property
    def passed(self) -> bool:
        return not self.errors and not self.warnings

    def outcome(self, name: str) -> ExpectationOutcome:
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(name)

    def summary_zh(self) -> str:
        head = f"{self.name_zh}（{self.dataset}）"
        if self.no_data:
            return f"{head}：无当前数据，未校验"
        checked = sum(1 for r in self.results if r.severity in ("error", "warning"))
        text = f"{head}：校验 {checked} 项，错误 {len(self.errors)} 项，警告 {len(self.warnings)} 项"
        failed = self.errors + self.warnings
        if failed:
            parts = []
            for r in failed[:3]:
                label = "错误" if r.severity == "error" else "警告"
                parts.append(f"[{label}] {r.description_zh}（{r.observed}）")
            more = f" 等 {len(failed)} 项" if len(failed) > 3 else ""
            text += "；" + "；".join(parts) + more
            if self.blocking:
                text += "；下游模型暂不更新"
        return text


# --- helpers ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """JSON-friendly value (numpy scalars, timestamps, NaN)."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, list | tuple | dict | str):
        with contextlib.suppress(ValueError, AttributeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, int | float | str | bool):
        return value
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def _resolve_kwargs(kwargs: dict) -> dict:
    out = {}
    for k, v in kwargs.items():
        if v == "$in_scope_townships":
            v = queries.in_scope_codes()
        out[k] = v
    return out


def _current_files(con: duckdb.DuckDBPyConnection, dataset: str) -> list[str]:
    rows = con.execute(
        "SELECT file_path FROM audit.load_ledger WHERE status = 'loaded' AND dataset = ? ORDER BY file_path",
        [dataset],
    ).fetchall()
    return [r[0] for r in rows]


def _observed(result: dict) -> str:
    if "observed_value" in result:
        return str(_plain(result["observed_value"]))
    if "unexpected_count" in result:
        n = result.get("unexpected_count") or 0
        total = result.get("element_count") or 0
        if not n:
            return f"0/{total} 不符"
        sample = [_plain(v) for v in (result.get("partial_unexpected_list") or [])[:5]]
        return f"{n}/{total} 不符，例：{json.dumps(sample, ensure_ascii=False, default=str)}"
    return ""


def _failing_files(examples: list[dict]) -> list[str]:
    files: set[str] = set()
    for ex in examples:
        for col in FILE_COLUMNS:
            v = ex.get(col)
            if isinstance(v, str) and v:
                files.update(p.strip() for p in v.split(";") if p.strip())
    return sorted(files)


def _needed_columns(specs: list[ExpectationSpec], report_columns: list[str]) -> list[str]:
    """The columns the expectations and the failure report read (GX hashes the whole frame)."""
    cols = list(report_columns)
    for spec in specs:
        kw = spec.kwargs
        cols += [kw[k] for k in ("column", "column_A", "column_B") if isinstance(kw.get(k), str)]
        cols += list(kw.get("column_list") or [])
        cols += sql_engine.condition_columns(kw.get("row_condition"))
    return list(dict.fromkeys(cols))


def _run_frame(dataset: str, frame_name: str, df, specs: list[ExpectationSpec], report_columns: list[str]):
    """Validate one DataFrame against the expectations on it; outcome per expectation index."""
    needed = [c for c in _needed_columns(specs, report_columns) if c in df.columns]
    if len(needed) < len(df.columns) and all(
        isinstance(s.kwargs.get("row_condition"), dict | type(None)) for s in specs
    ):
        df = df[needed]
    state = _gx()
    gx = state["gx"]
    configs = []
    for i, spec in enumerate(specs):
        configs.append(
            state["config"](
                type=spec.type,
                kwargs=_resolve_kwargs(spec.kwargs),
                meta={"emstats_index": i, "name": spec.name},
                description=spec.description_zh,
                severity=GX_SEVERITY[spec.severity],
            )
        )
    suite = gx.ExpectationSuite(
        name=f"{dataset}.{frame_name}", expectations=[c.to_domain_obj() for c in configs]
    )
    batch = _batch_definition(f"{dataset}.{frame_name}").get_batch(batch_parameters={"dataframe": df})
    # COMPLETE lists every failing row, which failing_files needs when a frame names files; other
    # frames only need the first 20 (SUMMARY) for their examples.
    complete = any(c in FILE_COLUMNS for c in report_columns)
    result_format: dict[str, Any] = {"result_format": "COMPLETE" if complete else "SUMMARY"}
    if report_columns:
        result_format["unexpected_index_column_names"] = report_columns
    res = batch.validate(suite, result_format=result_format)
    outcomes: dict[int, tuple[bool, dict, str | None]] = {}
    for r in res.results:
        idx = (r.expectation_config.meta or {}).get("emstats_index")
        exc = None
        info = r.exception_info or {}
        if isinstance(info, dict) and info.get("raised_exception"):
            exc = str(info.get("exception_message"))
        elif isinstance(info, dict):
            for v in info.values():
                if isinstance(v, dict) and v.get("raised_exception"):
                    exc = str(v.get("exception_message"))
        outcomes[idx] = (bool(r.success), dict(r.result or {}), exc)
    return outcomes


def _long_list(spec: ExpectationSpec) -> bool:
    """Whether a kwarg of the expectation (resolved) is a list of more than GX_MAX_LIST_VALUES
    values: GX copies an expectation's configuration hundreds of times per validation, so
    `$in_scope_townships` at national scale (40,000 codes) costs ~15 s per expectation even on a
    small frame. Such an expectation goes to the SQL engine whatever the frame's size."""
    return any(
        isinstance(v, list | tuple | set) and len(v) > GX_MAX_LIST_VALUES for v in _resolve_kwargs(spec.kwargs).values()
    )


def _gx_columns(specs: list[ExpectationSpec], report: list[str], columns: list[str]) -> list[str]:
    """The frame columns GX gets: what the expectations and the report read (all of them when a
    row_condition is a string, which may read any column)."""
    if all(isinstance(s.kwargs.get("row_condition"), dict | type(None)) for s in specs):
        return [c for c in _needed_columns(specs, report) if c in columns] or list(columns)
    return list(columns)


def choose_engine(
    con: duckdb.DuckDBPyConnection,
    frame_sql: str,
    specs: list[ExpectationSpec],
    report_columns: tuple[str, ...] | list[str],
    order: tuple[str, ...] | list[str] | None,
    max_rows: int,
):
    """("gx", DataFrame) when the frame has at most `max_rows` rows, else ("sql", None).

    The frame is evaluated once, into a temporary table of at most max_rows + 1 rows (the columns
    GX and the order need): its row count decides, and a small frame is read back from it in the
    frame's order, so a costly small frame (volume, history) is not computed twice; a large
    streaming frame stops at max_rows + 1 rows."""
    columns = con.sql(frame_sql).columns
    report = [c for c in report_columns if c in columns]
    keep = _gx_columns(specs, report, columns)
    by = list(order) if order is not None else list(columns)
    q = sql_engine.quote
    table = "__emstats_validation_frame"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {', '.join(q(c) for c in dict.fromkeys([*keep, *by]))} "
        f"FROM ({frame_sql}) LIMIT {max_rows + 1}"
    )
    try:
        n_rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if n_rows > max_rows:
            return "sql", None
        return "gx", con.sql(f"SELECT {', '.join(q(c) for c in keep)} FROM {table} ORDER BY {', '.join(q(c) for c in by)}").df()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {table}")


def frame_results(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    frame_name: str,
    frame_sql: str,
    specs: list[ExpectationSpec],
    report_columns: tuple[str, ...] | list[str],
    order: tuple[str, ...] | list[str] | None,
    engine: str,
    df=None,
) -> dict[int, tuple[bool, dict, str | None]]:
    """(success, result, exception) per expectation index of one frame (`frame_sql`, unordered)
    by one engine: "gx" runs GX on `df` (else pulls the columns needed into pandas in the frame's
    order: `order`, None for every column); "sql" evaluates in DuckDB (sql_engine)."""
    columns = con.sql(frame_sql).columns
    report = [c for c in report_columns if c in columns]
    if engine == "sql":
        return sql_engine.evaluate(
            con, frame_sql, specs, report, order_columns=order, file_columns=FILE_COLUMNS,
            max_examples=MAX_EXAMPLES, resolve=_resolve_kwargs,
        )
    if engine != "gx":
        raise ValueError(f"unknown validation engine {engine!r}")
    if df is None:
        q = sql_engine.quote
        keep = _gx_columns(specs, report, columns)
        by = ", ".join(q(c) for c in (order if order is not None else columns))
        df = con.sql(f"SELECT {', '.join(q(c) for c in keep)} FROM ({frame_sql}) ORDER BY {by}").df()
    return _run_frame(dataset, frame_name, df, specs, report)


def _outcome(
    spec: ExpectationSpec, frame_name: str, ok: bool, result: dict, exc: str | None, engine: str = ""
) -> ExpectationOutcome:
    raw_examples = result.get("unexpected_index_list") or result.get("partial_unexpected_index_list") or []
    examples = [_plain(e) if isinstance(e, dict) else {"index": _plain(e)} for e in raw_examples[:MAX_EXAMPLES]]
    if ok:
        failing = []
    elif "failing_files" in result:  # the SQL engine lists the files of every failing row itself
        failing = sorted(result["failing_files"])
    else:
        failing = _failing_files([e for e in (_plain(x) for x in raw_examples) if isinstance(e, dict)])
    observed = _observed(result)
    if exc:
        ok = False
        observed = f"执行异常：{exc}"[:500]
    return ExpectationOutcome(
        name=spec.name,
        type=spec.type,
        kind=spec.kind,
        severity=spec.severity,
        success=ok,
        observed=observed,
        description_zh=spec.description_zh,
        frame=frame_name,
        failing_files=failing,
        examples=examples if not ok else [],
        exception=exc,
        engine=engine,
    )


# --- reuse of an identical earlier validation ----------------------------------------------------


@functools.cache
def _code_digest() -> str:
    """Digest of what decides the outcome besides the data: this package, contracts and seeds."""
    h = hashlib.sha256()
    here = os.path.dirname(os.path.abspath(__file__))
    paths = sorted(os.path.join(here, n) for n in os.listdir(here) if n.endswith(".py"))
    paths += sorted(str(p) for p in CONTRACTS_DIR.rglob("*.yaml"))
    paths += [str(settings.SEEDS_DIR / "townships.csv"), str(settings.SEEDS_DIR / "hazards.csv")]
    for p in paths:
        h.update(p.encode())
        with open(p, "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()


def dependencies(suite: Suite) -> list[str]:
    """Datasets whose current files a suite reads besides its own."""
    deps: set[str] = set()
    for f in suite.frames.values():
        if f.query == "event_years":
            deps.update(f.params.get("event_datasets", queries.EVENT_DATASETS_DEFAULT))
        if f.query == "forest_area_pair":
            deps.add(f.params["other_dataset"])
        if f.query == "affected_vs_population":
            deps.add(f.params.get("population_dataset", "population"))
    deps.discard(suite.dataset)
    return sorted(deps)


def _fingerprint(con: duckdb.DuckDBPyConnection, suite: Suite, env: queries.QueryEnv) -> str:
    datasets = [suite.dataset, *dependencies(suite)]
    ledger = con.execute(
        "SELECT dataset, load_id FROM audit.load_ledger WHERE status = 'loaded' AND dataset IN "
        f"({', '.join('?' for _ in datasets)}) ORDER BY dataset, load_id",
        datasets,
    ).fetchall()
    h = hashlib.sha256()
    h.update(_code_digest().encode())
    h.update(suite.path.read_bytes() if suite.path else repr(suite).encode())
    h.update(env.today.isoformat().encode())
    h.update(repr(ledger).encode())
    return h.hexdigest()[:32]


def _previous(con: duckdb.DuckDBPyConnection, dataset: str, fingerprint: str) -> tuple[str, list[ExpectationOutcome]] | None:
    """The outcomes of the latest run of `dataset` with the same fingerprint, if any."""
    row = con.execute(
        "SELECT run_id FROM audit.validation_results WHERE dataset = ? AND fingerprint = ? "
        "ORDER BY checked_at DESC, result_id DESC LIMIT 1",
        [dataset, fingerprint],
    ).fetchone()
    if row is None:
        return None
    rows = con.execute(
        "SELECT expectation, expectation_type, kind, severity, success, observed_value, description_zh, "
        "failing_files, details FROM audit.validation_results "
        "WHERE dataset = ? AND run_id = ? AND fingerprint = ? ORDER BY result_id",
        [dataset, row[0], fingerprint],
    ).fetchall()
    outcomes = []
    for name, type_, kind, severity, success, observed, desc, failing, details in rows:
        d = json.loads(details or "{}")
        outcomes.append(
            ExpectationOutcome(
                name=name, type=type_ or "", kind=kind or "", severity=severity, success=bool(success),
                observed=observed or "", description_zh=desc or "", frame=d.get("frame", ""),
                failing_files=list(failing or []), examples=d.get("failing_rows", []),
                exception=d.get("exception"), engine=d.get("engine", ""),
            )
        )
    return row[0], outcomes


# --- public API ---------------------------------------------------------------------------------


def validate_dataset(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    run_id: str,
    *,
    suite: Suite | None = None,
    today: dt.date | None = None,
    record: bool = True,
    reuse: bool = True,
) -> DatasetValidation:
    """Validate the current rows of `dataset` with its suite and append the outcomes to
    audit.validation_results. A dataset without current rows gets one 'no_data' row (info).

    With `reuse`, when nothing the suite reads has changed since an earlier run (the same current
    files of the dataset and of the datasets it compares with, the same suite, code, seeds and
    day), that run's outcomes are recorded again for this run without evaluating them; `details` then
    names the run they come from (`reused_from`)."""
    t0 = time.perf_counter()
    if dataset not in all_contracts():
        raise ValueError(f"unknown dataset {dataset!r}")
    suite = suite or load_suite(dataset)
    env = queries.QueryEnv(today=today or settings.today())
    ensure_validation_schema(con)
    files = _current_files(con, dataset)
    checked_at = dt.datetime.now().replace(microsecond=0)
    outcomes: list[ExpectationOutcome] = []
    no_data = not files or not con.execute(
        f"SELECT count(*) FROM ({queries.rows_sql(dataset)})"
    ).fetchone()[0]
    fingerprint = _fingerprint(con, suite, env)
    previous = _previous(con, dataset, fingerprint) if (reuse and not no_data) else None
    reused_from = None
    if previous is not None:
        reused_from, outcomes = previous
    elif no_data:
        outcomes.append(
            ExpectationOutcome(
                name="no_data",
                type="",
                kind="no_data",
                severity="info",
                success=True,
                observed="0 行",
                description_zh="无当前数据（没有已装载的文件），未运行校验",
            )
        )
    else:
        max_rows = gx_max_rows()
        unordered = dataclasses.replace(env, ordered=False)
        for frame_name, frame in suite.frames.items():
            specs = suite.for_frame(frame_name)
            if not specs:
                continue
            frame_sql = queries.render(frame.query, dataset, frame.params, unordered)
            frame_order = queries.ORDER_COLUMNS.get(frame.query)
            engine, df = choose_engine(con, frame_sql, specs, frame.report_columns, frame_order, max_rows)
            engines = ["sql" if engine == "sql" or _long_list(spec) else "gx" for spec in specs]
            results: dict[int, tuple[bool, dict, str | None]] = {}
            for name in ("gx", "sql"):
                picked = [i for i, e in enumerate(engines) if e == name]
                if not picked:
                    continue
                try:
                    part = frame_results(
                        con, dataset, frame_name, frame_sql, [specs[i] for i in picked], frame.report_columns,
                        frame_order, name, df,
                    )
                except Exception as exc:  # a frame that cannot run fails its expectations, never silently
                    part = {k: (False, {}, f"{type(exc).__name__}: {exc}") for k in range(len(picked))}
                results.update({picked[k]: v for k, v in part.items()})
            for i, spec in enumerate(specs):
                ok, result, exc = results.get(i, (False, {}, "no result"))
                outcomes.append(_outcome(spec, frame_name, ok, result, exc, engines[i]))
        order = {e.name: i for i, e in enumerate(suite.expectations)}
        outcomes.sort(key=lambda o: order.get(o.name, 0))
    validation = DatasetValidation(
        dataset=dataset,
        run_id=run_id,
        name_zh=suite.name_zh,
        files=files,
        results=outcomes,
        checked_at=checked_at,
        no_data=bool(no_data),
        reused_from=reused_from,
    )
    if record:
        append_results(
            con,
            [
                (
                    run_id,
                    dataset,
                    files,
                    o.name,
                    o.type,
                    o.kind,
                    o.description_zh,
                    o.severity,
                    o.success,
                    o.observed,
                    o.failing_files,
                    json.dumps(
                        {"frame": o.frame, "failing_rows": o.examples, "exception": o.exception,
                         **({"engine": o.engine} if o.engine else {}),
                         **({"reused_from": reused_from} if reused_from else {})},
                        ensure_ascii=False,
                        default=str,
                    ),
                    checked_at,
                    fingerprint,
                )
                for o in outcomes
            ],
        )
    validation.seconds = time.perf_counter() - t0
    return validation


def validate_all(
    con: duckdb.DuckDBPyConnection, run_id: str, datasets: list[str] | None = None, **kwargs
) -> list[DatasetValidation]:
    return [validate_dataset(con, d, run_id, **kwargs) for d in (datasets or list(all_contracts()))]


def format_run_summary(validations: list[DatasetValidation]) -> str:
    """A few lines for `emstats build`: counts, then one line per dataset with a failure."""
    checked = [v for v in validations if not v.no_data]
    blocked = [v for v in checked if v.blocking]
    warned = [v for v in checked if not v.blocking and v.warnings]
    lines = [
        f"数据校验：{len(checked)} 个数据集已校验（{len(validations) - len(checked)} 个无数据），"
        f"{len(blocked)} 个出错被阻断，{len(warned)} 个有警告"
    ]
    lines += [f"  ✗ {v.summary_zh()}" for v in blocked]
    lines += [f"  ! {v.summary_zh()}" for v in warned]
    return "\n".join(lines)
