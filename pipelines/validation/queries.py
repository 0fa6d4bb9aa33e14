"""Named queries that prepare the DataFrames a suite's expectations run on.

A suite file (expectations/<dataset>.yaml) declares its frames by name, e.g.

    frames:
      rows: {query: current_file_rows}
      history: {query: value_history, params: {value_column: resident_population, group_by: [township]}}

and each name here renders one SELECT over the warehouse. The SQL is plain DuckDB; the runner
counts a frame's rows, then either pulls it into pandas for Great Expectations (GX on DuckDB
through SQLAlchemy fails, see docs/architecture.md) or, above EMSTATS_GX_MAX_ROWS, evaluates the
expectations on it inside DuckDB (sql_engine.py). Queries must stay cheap at national scale
(40,000 townships, millions of rows): no per-row lists of every township, no per-row EXISTS.

"Current" mirrors dbt's `current_rows` macro (dbt_project/macros/current_rows.sql): rows of files
whose ledger status is 'loaded'; where a key is present in several current files within one year,
it is taken once, from the file with the longest period, then the highest revision rank, then the
latest load.

Townships come from the townships seed (pipelines.settings.SEEDS_DIR), never from code.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipelines import settings
from pipelines.ingest.contracts import Contract, all_contracts

IN_SCOPE = "本级"
EVENT_DATASETS_DEFAULT = (
    "production_accidents",
    "road_traffic_accidents",
    "waterway_accidents",
    "construction_accidents",
    "flood_drought_events",
    "weather_disasters",
    "geohazard_events",
    "disaster_reports",
    "forest_fires",
)
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class SeedTownship:
    code: str
    name: str
    in_scope: bool
    valid_from: int | None


@functools.cache
def seed_townships() -> tuple[SeedTownship, ...]:
    with (settings.SEEDS_DIR / "townships.csv").open(encoding="utf-8-sig", newline="") as fh:
        out = []
        for rec in csv.DictReader(fh):
            vf = (rec.get("valid_from") or "").strip()
            out.append(
                SeedTownship(
                    code=rec["code9"].strip(),
                    name=rec["name"].strip(),
                    in_scope=rec["scope"].strip() == IN_SCOPE,
                    valid_from=int(vf) if vf else None,
                )
            )
    return tuple(out)


def in_scope_codes() -> list[str]:
    return [t.code for t in seed_townships() if t.in_scope]


@dataclass(frozen=True)
class QueryEnv:
    """What a query may need besides its parameters. `ordered=False` renders a frame without its
    final ORDER BY, for the SQL engine's aggregates (sorting millions of rows for a count is waste;
    GX still gets ordered frames, so its partial lists follow the frame's order)."""

    today: dt.date
    ordered: bool = True


def _order_by(env: QueryEnv, columns: str) -> str:
    return f" ORDER BY {columns}" if env.ordered else ""


def _q(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a plain identifier: {name!r}")
    return f'"{name}"'


def _lit(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _seed_townships_sql() -> str:
    """The townships seed read by DuckDB itself, parsed as seed_townships() does (stripped fields,
    empty valid_from NULL): at national scale an inline VALUES list of every township takes
    seconds to parse and bind on every query."""
    path = _lit(str(settings.SEEDS_DIR / "townships.csv"))
    return (
        "(SELECT trim(code9) AS code, trim(coalesce(name, '')) AS name, "
        "CAST(nullif(trim(coalesce(valid_from, '')), '') AS INTEGER) AS valid_from, "
        f"trim(coalesce(scope, '')) = {_lit(IN_SCOPE)} AS in_scope "
        f"FROM read_csv({path}, header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true))"
    )


def _townships_values() -> str:
    """The in-scope townships of the seed as a table t(code, name, valid_from)."""
    return f"(SELECT code, name, valid_from FROM {_seed_townships_sql()} WHERE in_scope) AS t"


def _in_scope_codes_sql() -> str:
    """A subquery of the in-scope township codes (for `x IN (...)`)."""
    return f"(SELECT code FROM {_seed_townships_sql()} WHERE in_scope)"


def _contract(dataset: str) -> Contract:
    try:
        return all_contracts()[dataset]
    except KeyError:
        raise ValueError(f"unknown dataset {dataset!r}") from None


def _year_expr(c: Contract, alias: str = "r") -> str:
    """The year of a row: 年度, else the event date's year, else the file period's year."""
    if c.has_year_column:
        return f"{alias}.year"
    if c.event_date:
        return f"year({alias}.{_q(c.event_date)})"
    return "year(f.period_start)"


def rows_sql(dataset: str) -> str:
    """Every row of the dataset's current files (ledger status 'loaded'), before de-duplication,
    with the file's period and helper columns the row-rule guard compares against."""
    c = _contract(dataset)
    has_township = any(f.name == "township" for f in c.fields)
    event_day = f"CAST(r.{_q(c.event_date)} AS DATE)" if c.event_date else "NULL::DATE"
    township_join = (
        f"LEFT JOIN {_townships_values()} ON t.code = r.township" if has_township else ""
    )
    valid_from = "t.valid_from" if has_township else "NULL::INTEGER"
    return f"""
    SELECT
        r.*,
        f.period AS _period,
        f.period_kind AS _period_kind,
        f.period_start AS _period_start,
        f.period_end AS _period_end,
        year(f.period_start) AS _period_year,
        f.revision_rank AS _revision_rank,
        {_year_expr(c)} AS _year,
        {event_day} AS _event_day,
        CASE WHEN {event_day} IS NULL THEN NULL
             ELSE greatest(date_diff('day', {event_day}, f.period_start),
                           date_diff('day', f.period_end, {event_day}), 0) END AS _days_outside_period,
        {valid_from} AS _township_valid_from
    FROM raw.{_q(dataset)} AS r
    INNER JOIN audit.load_ledger AS f
        ON r._load_id = f.load_id AND f.status = 'loaded' AND f.dataset = {_lit(dataset)}
    {township_join}
    """


def current_sql(dataset: str) -> str:
    """Current rows, de-duplicated exactly as dbt's current_rows macro does."""
    c = _contract(dataset)
    keys = ", ".join(f"{_q(k)}" for k in c.key)
    return f"""
    SELECT * EXCLUDE (_key_rank) FROM (
        SELECT *, row_number() OVER (
            PARTITION BY {keys}, _period_year
            ORDER BY _period_end - _period_start DESC, _revision_rank DESC, _load_id DESC, _row_number ASC
        ) AS _key_rank
        FROM ({rows_sql(dataset)})
    ) WHERE _key_rank = 1
    """


# --- the named queries --------------------------------------------------------------------------


def q_current_file_rows(dataset: str, params: dict, env: QueryEnv) -> str:
    """All rows of current files, plus `_days_in_future` and, for hazard fields, `_hazard_known`."""
    c = _contract(dataset)
    extra = [f"date_diff('day', DATE {_lit(env.today.isoformat())}, _event_day) AS _days_in_future"]
    hazard = next((f for f in c.fields if f.hazards is not None), None)
    if hazard is not None:
        from pipelines.ingest.converters import accepted_hazards

        words = sorted(accepted_hazards(hazard.hazards))
        lst = "[" + ", ".join(_lit(w) for w in words) + "]"
        col = _q(hazard.name)
        extra.append(
            f"CASE WHEN {col} IS NULL THEN NULL ELSE list_has_any("
            f"list_append(regexp_split_to_array({col}, '[-—－_·/]+'), {col}), {lst}) END AS _hazard_known"
        )
    lists = [f for f in c.fields if f.type == "township_list"]
    for f in lists:
        # Elements (NULLs aside) that are not in-scope codes; a subquery rather than a list literal
        # of every code, which is a linear search per element at national scale.
        extra.append(
            f"(SELECT count(*) FROM unnest(coalesce(r.{_q(f.name)}, [])) AS u(x) "
            f"WHERE x NOT IN {_in_scope_codes_sql()}) AS _{f.name}_unknown"
        )
    # `_nested_overlap`: the key is also in a current file whose period strictly contains this
    # file's (a year file beside month files): a legitimate overlap, not a reused key. Found via
    # the ledger's pairs of nested files first, so the common case (no nesting) joins nothing; raw
    # rows rather than `base`, so `base` is read once and streams (never materialised).
    keys = [_q(k) for k in c.key]
    on = " AND ".join(f"o.{k} = r.{k}" for k in keys)
    back = " AND ".join(f"ov.{k} = r.{k}" for k in keys)
    extra.append("ov._load_id IS NOT NULL AS _nested_overlap")
    return f"""
    WITH base AS ({rows_sql(dataset)}),
    nest AS (
        SELECT i.load_id AS inner_id, o.load_id AS outer_id
        FROM audit.load_ledger AS i JOIN audit.load_ledger AS o
            ON o.dataset = i.dataset AND o.status = 'loaded' AND o.load_id <> i.load_id
            AND o.period_start <= i.period_start AND o.period_end >= i.period_end
            AND (o.period_end - o.period_start) > (i.period_end - i.period_start)
        WHERE i.dataset = {_lit(dataset)} AND i.status = 'loaded'
    ),
    overlap AS (
        SELECT DISTINCT r._load_id, {", ".join(f"r.{k}" for k in keys)}
        FROM raw.{_q(dataset)} AS r JOIN nest AS n ON n.inner_id = r._load_id
        JOIN raw.{_q(dataset)} AS o ON o._load_id = n.outer_id AND {on}
    )
    SELECT r.*, {", ".join(extra)}
    FROM base AS r LEFT JOIN overlap AS ov ON ov._load_id = r._load_id AND {back}
    {_order_by(env, "r._file_path, r._row_number")}
    """


def q_current_rows(dataset: str, params: dict, env: QueryEnv) -> str:
    return f"SELECT * FROM ({current_sql(dataset)}){_order_by(env, '_file_path, _row_number')}"


def q_long_values(dataset: str, params: dict, env: QueryEnv) -> str:
    """The row rules that apply to many columns, in long form over the current files' rows, so one
    expectation covers a rule family and names the failing field:

    - part 'required': one row per (row, required field), `text_value` the value as text;
    - part 'number': one row per (row, numeric field), `num_value` the value as DOUBLE;
    - part 'order': one row per (row, `le` rule of the contract), `left_value` <= `right_value`
      expected (dates compared as epoch seconds).
    """
    c = _contract(dataset)

    def num(col: str) -> str:
        f = c.field(col)
        if f.type in {"date", "datetime"}:
            return f"CAST(epoch(CAST({_q(col)} AS TIMESTAMP)) AS DOUBLE)"
        return f"CAST({_q(col)} AS DOUBLE)"

    items = [("required", col, f"CAST({_q(col)} AS VARCHAR)", "NULL", "NULL", "NULL") for col in params.get("required", [])]
    items += [("number", col, "NULL", num(col), "NULL", "NULL") for col in params.get("numeric", [])]
    items += [
        ("order", r["left"] + " <= " + r["right"], "NULL", "NULL", num(r["left"]), num(r["right"]))
        for r in c.rules
        if r.get("check") == "le"
    ]
    # One scan of `base`, each row unnested into its items (a UNION ALL of one SELECT per item
    # would read, and so materialise, `base` once per item: 33M rows at national scale).
    structs = ", ".join(
        "{"
        f"'part': {_lit(part)}, 'field': {_lit(field)}, 'text_value': CAST({text} AS VARCHAR), "
        f"'num_value': CAST({number} AS DOUBLE), 'left_value': CAST({left} AS DOUBLE), "
        f"'right_value': CAST({right} AS DOUBLE)"
        "}"
        for part, field, text, number, left, right in items
    )
    columns = "part, field, text_value, num_value, left_value, right_value"
    if not items:
        return (
            "SELECT NULL::VARCHAR AS part, NULL::VARCHAR AS field, NULL::VARCHAR AS text_value, "
            "NULL::DOUBLE AS num_value, NULL::DOUBLE AS left_value, NULL::DOUBLE AS right_value, "
            f"_file_path, _row_number FROM ({rows_sql(dataset)}) WHERE false"
        )
    return f"""
    WITH base AS ({rows_sql(dataset)})
    SELECT {", ".join(f"v[{_lit(c)}] AS {c}" for c in columns.split(", "))}, _file_path, _row_number
    FROM (SELECT unnest([{structs}]) AS v, _file_path, _row_number FROM base)
    {_order_by(env, "_file_path, _row_number, part, field")}
    """


def q_volume(dataset: str, params: dict, env: QueryEnv) -> str:
    """Row count per bucket (event month, or year) of the current rows against the median of the
    same dataset's earlier buckets of the same season (the same calendar month). Buckets are every month (year) the current files cover, so a
    covered month without rows counts 0. `ratio` is NULL while there is too little history
    (min_history earlier buckets) or both counts are small (below min_count)."""
    c = _contract(dataset)
    grain = params.get("grain", "month" if c.event_date else "year")
    min_history = int(params.get("min_history", 3))
    min_count = int(params.get("min_count", 10))
    # Months are compared with the same calendar month of earlier years (seasons differ: July
    # has more rain warnings than January); years with all earlier years.
    same_season = "month(e.bucket) = month(s.bucket)" if grain == "month" else "true"
    if grain == "month":
        if not c.event_date:
            raise ValueError(f"{dataset}: month volume needs an event date")
        buckets = """
            SELECT DISTINCT CAST(unnest(generate_series(CAST(date_trunc('month', period_start) AS TIMESTAMP),
                CAST(period_end AS TIMESTAMP), INTERVAL 1 MONTH)) AS DATE) AS bucket
            FROM files"""
        bucket_of = "CAST(date_trunc('month', _event_day) AS DATE)"
    else:
        buckets = "SELECT DISTINCT make_date(year(period_start), 1, 1) AS bucket FROM files"
        bucket_of = "make_date(_year, 1, 1)"
    return f"""
    WITH files AS (
        SELECT period_start, period_end FROM audit.load_ledger
        WHERE status = 'loaded' AND dataset = {_lit(dataset)}
    ),
    buckets AS ({buckets}),
    cur AS ({current_sql(dataset)}),
    counts AS (
        SELECT {bucket_of} AS bucket, count(*) AS n,
               string_agg(DISTINCT _file_path, '; ' ORDER BY _file_path) AS _files
        FROM cur GROUP BY 1
    ),
    series AS (
        SELECT b.bucket, coalesce(k.n, 0) AS row_count, k._files FROM buckets b LEFT JOIN counts k USING (bucket)
    ),
    hist AS (
        SELECT s.*,
            (SELECT median(e.row_count) FROM series e WHERE e.bucket < s.bucket AND {same_season}) AS baseline,
            (SELECT count(*) FROM series e WHERE e.bucket < s.bucket AND {same_season}) AS history_buckets
        FROM series s
    )
    SELECT strftime(bucket, {_lit('%Y-%m' if grain == 'month' else '%Y')}) AS bucket, row_count,
        baseline, history_buckets, _files,
        CASE WHEN history_buckets < {min_history} OR greatest(row_count, baseline) < {min_count} THEN NULL
             ELSE row_count / greatest(baseline, 1) END AS ratio
    FROM hist{_order_by(env, "bucket")}
    """


def q_township_grid(dataset: str, params: dict, env: QueryEnv) -> str:
    """Every in-scope township valid in each year the dataset has, joined to what was delivered:
    `reported_township` is NULL where a township is missing from that year."""
    return f"""
    WITH cur AS ({current_sql(dataset)}),
    years AS (
        SELECT _year AS year, string_agg(DISTINCT _file_path, '; ' ORDER BY _file_path) AS _files
        FROM cur GROUP BY 1
    ),
    grid AS (
        SELECT y.year, t.code AS township, t.name AS township_name, y._files
        FROM years y CROSS JOIN {_townships_values()}
        WHERE t.valid_from IS NULL OR t.valid_from <= y.year
    ),
    got AS (SELECT DISTINCT _year AS year, township FROM cur)
    SELECT g.*, got.township AS reported_township
    FROM grid g LEFT JOIN got ON got.year = g.year AND got.township = g.township
    {_order_by(env, "g.year, g.township")}
    """


def q_value_history(dataset: str, params: dict, env: QueryEnv) -> str:
    """Each (group, year) value against the median of the same group's earlier years (for
    townships, the earlier years since the township list last changed)."""
    value = _q(params["value_column"])
    group_by = [_q(g) for g in params.get("group_by", [])]
    same = " AND ".join([f"e.{g} = v.{g}" for g in group_by] + ["e.year < v.year"])
    epoch = "0"
    if "township" in params.get("group_by", []):
        # A change of the township list (a township split off, seed valid_from) makes the years
        # before it incomparable for the townships involved: history starts at the latest change.
        changes = sorted({t.valid_from for t in seed_townships() if t.in_scope and t.valid_from})
        if changes:
            lst = "[" + ", ".join(str(y) for y in changes) + "]"
            epoch = f"coalesce(list_max(list_filter({lst}, y -> y <= _year)), 0)"
    same += " AND e.year >= v._epoch"
    cols = ", ".join(group_by + ["_year AS year", f"{epoch} AS _epoch"])
    return f"""
    WITH cur AS ({current_sql(dataset)}),
    v AS (
        SELECT {cols}, sum({value}) AS value,
               string_agg(DISTINCT _file_path, '; ' ORDER BY _file_path) AS _files
        FROM cur WHERE {value} IS NOT NULL GROUP BY ALL
    )
    SELECT v.* EXCLUDE (_epoch), b.baseline, b.history_years,
        CASE WHEN b.baseline IS NULL OR b.baseline = 0 THEN NULL ELSE v.value / b.baseline END AS ratio
    FROM v, LATERAL (
        SELECT median(e.value) AS baseline, count(*) AS history_years FROM v AS e WHERE {same}
    ) AS b
    {_order_by(env, "ALL")}
    """


def q_event_years(dataset: str, params: dict, env: QueryEnv) -> str:
    """Completed years (before today's year) with events in any event dataset, against the years
    this dataset has: `reported_year` is NULL where events happened but this dataset has nothing
    for the year. The current year is left out: its population and GDP are published after it."""
    sources = params.get("event_datasets", list(EVENT_DATASETS_DEFAULT))
    parts = []
    for ds in sources:
        c = _contract(ds)
        if not c.event_date:
            raise ValueError(f"{ds} has no event date")
        parts.append(
            f"SELECT DISTINCT year(r.{_q(c.event_date)}) AS year, {_lit(ds)} AS source "
            f"FROM raw.{_q(ds)} r JOIN audit.load_ledger f ON r._load_id = f.load_id "
            f"AND f.status = 'loaded' AND f.dataset = {_lit(ds)}"
        )
    return f"""
    WITH ev AS ({' UNION ALL '.join(parts)}),
    ev_years AS (
        SELECT year, string_agg(DISTINCT source, ', ' ORDER BY source) AS event_datasets
        FROM ev WHERE year IS NOT NULL GROUP BY year
    ),
    mine AS (
        SELECT _year AS year, string_agg(DISTINCT _file_path, '; ' ORDER BY _file_path) AS _files
        FROM ({current_sql(dataset)}) GROUP BY 1
    )
    SELECT e.year, e.event_datasets, m.year AS reported_year, m._files
    FROM ev_years e LEFT JOIN mine m USING (year)
    WHERE e.year < {env.today.year}
    {_order_by(env, "e.year")}
    """


def q_forest_area_pair(dataset: str, params: dict, env: QueryEnv) -> str:
    """forest_ha of this dataset against the other forestry table's, per (township, year)."""
    other = params["other_dataset"]
    col = _q(params.get("column", "forest_ha"))
    return f"""
    WITH a AS ({current_sql(dataset)}), b AS ({current_sql(other)})
    SELECT a.year, a.township, a.{col} AS value, b.{col} AS other_value,
        abs(a.{col} - b.{col}) / nullif(greatest(abs(a.{col}), abs(b.{col})), 0) AS relative_difference,
        a._file_path, a._row_number, b._file_path AS other_file_path
    FROM a JOIN b ON a.year = b.year AND a.township = b.township
    WHERE a.{col} IS NOT NULL AND b.{col} IS NOT NULL
    {_order_by(env, "a.year, a.township")}
    """


def q_affected_vs_population(dataset: str, params: dict, env: QueryEnv) -> str:
    """Each current event row's affected person-times against its township's resident population
    of the event year (or the latest earlier year, as the indicators carry it forward)."""
    value = _q(params.get("value_column", "affected_person_times"))
    pop = params.get("population_dataset", "population")
    return f"""
    WITH ev AS ({current_sql(dataset)}),
    p AS (
        SELECT township, year, resident_population, _file_path AS population_file
        FROM ({current_sql(pop)}) WHERE resident_population IS NOT NULL
    )
    SELECT ev.event_id, ev.township, ev._year AS year, ev.{value} AS value,
        p.year AS population_year, p.resident_population,
        ev.{value} / nullif(p.resident_population, 0) AS share_of_population,
        ev._file_path, ev._row_number, p.population_file
    FROM ev ASOF LEFT JOIN p ON p.township = ev.township AND ev._year >= p.year
    {_order_by(env, "ev._file_path, ev._row_number")}
    """


# The output columns each query's final ORDER BY sorts on (None: ORDER BY ALL, every column in
# order). The SQL engine picks its examples in this order, so they are the rows GX reports first.
ORDER_COLUMNS: dict[str, tuple[str, ...] | None] = {
    "current_file_rows": ("_file_path", "_row_number"),
    "current_rows": ("_file_path", "_row_number"),
    "long_values": ("_file_path", "_row_number", "part", "field"),
    "volume": ("bucket",),
    "township_grid": ("year", "township"),
    "value_history": None,
    "event_years": ("year",),
    "forest_area_pair": ("year", "township"),
    "affected_vs_population": ("_file_path", "_row_number"),
}

QUERIES: dict[str, Callable[[str, dict, QueryEnv], str]] = {
    "current_file_rows": q_current_file_rows,
    "current_rows": q_current_rows,
    "long_values": q_long_values,
    "volume": q_volume,
    "township_grid": q_township_grid,
    "value_history": q_value_history,
    "event_years": q_event_years,
    "forest_area_pair": q_forest_area_pair,
    "affected_vs_population": q_affected_vs_population,
}


def render(query: str, dataset: str, params: dict | None, env: QueryEnv) -> str:
    try:
        fn = QUERIES[query]
    except KeyError:
        raise ValueError(f"unknown query {query!r}; known: {sorted(QUERIES)}") from None
    return fn(dataset, dict(params or {}), env)
