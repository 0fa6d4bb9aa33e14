"""The SQL engine gives GX's outcome: both engines on the same small DuckDB frames (failing rows,
nulls, NaN, duplicates, more failing rows than examples), every expectation type and variant the
suites use (and the others the engine accepts); a real suite all-GX vs all-SQL; loud failures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import duckdb
import pytest

from pipelines.validation import queries, runner, sql_engine
from pipelines.validation.suites import ExpectationSpec, load_suite
from tests.validation.builders import clean_rows, file_of, replace_file, townships
from tests.warehouse_fixtures import load_rows

REPORT = ("_file_path", "_row_number", "_files")
ORDER = ("_file_path", "_row_number")
N_ROWS = 90


def _rows() -> list[tuple]:
    codes = [t.code for t in queries.seed_townships() if t.in_scope]
    outside = next((t.code for t in queries.seed_townships() if not t.in_scope), "999999998")
    rows = []
    for n in range(N_ROWS):
        f = f"dept/file_{n % 13:02d}.csv"
        d = [1.5, -2.0, None, float("nan"), 0.0, 3.0, 10.0, -0.5][n % 8]
        s = [None, "a", "b", "c", "a", "zz", None][n % 7]
        township = [codes[n % len(codes)], outside, "999999999", None, codes[0]][n % 5]
        i = None if n % 9 == 0 else n % 17  # duplicates and nulls
        y = None if n % 7 == 0 else 2019 + n % 4
        b = None if n % 5 == 0 else 2020 + n % 3
        x = [1.0, float("nan"), None, 2.0, 3.0][n % 5]
        z = [1.0, 1.0, None, float("nan"), 4.0, 2.0][n % 6]
        flag = [True, False, None][n % 3]
        part = [None, "required", "number", "order"][n % 4]
        k1 = [None, "k", "k", "m", None, "n"][n % 6]
        k2 = None if n % 4 == 0 else n % 3
        unique_id = f"id-{n}" if n % 11 else "id-dup"  # one value repeated
        files = f"dept/file_{n % 13:02d}.csv; dept/other_{n % 3}.csv"
        rows.append((f, n + 1, files, s, township, d, i, y, b, x, z, flag, part, k1, k2, unique_id, n % 4 == 0))
    return rows


@pytest.fixture(scope="module")
def frames():
    con = duckdb.connect()
    con.execute("""CREATE TABLE t (_file_path VARCHAR, _row_number INTEGER, _files VARCHAR, s VARCHAR,
        township VARCHAR, d DOUBLE, i BIGINT, y INTEGER, b INTEGER, x DOUBLE, z DOUBLE, flag BOOLEAN,
        part VARCHAR, k1 VARCHAR, k2 BIGINT, uid VARCHAR, _nested_overlap BOOLEAN)""")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * 17)})", _rows())
    con.execute("CREATE TABLE empty AS SELECT * FROM t WHERE false")
    yield con
    con.close()


def _cond(column, operator, parameter):
    return {"type": "comparison", "column": {"name": column}, "operator": operator, "parameter": parameter}


NOT_NULL = "expect_column_values_to_not_be_null"
BETWEEN = "expect_column_values_to_be_between"
IN_SET = "expect_column_values_to_be_in_set"
UNIQUE = "expect_column_values_to_be_unique"
COMPOUND = "expect_compound_columns_to_be_unique"
GREATER = "expect_column_pair_values_a_to_be_greater_than_b"
EQUAL = "expect_column_pair_values_to_be_equal"

# Every form the suites use (expectations/*.yaml), then the other forms the engine accepts.
CASES = [
    (NOT_NULL, {"column": "s"}),
    (NOT_NULL, {"column": "s", "row_condition": _cond("part", "==", "required")}),
    (NOT_NULL, {"column": "s", "row_condition": _cond("part", "IN", ["required", "number"])}),
    (NOT_NULL, {"column": "s", "row_condition": _cond("part", "NOT_IN", ["required"])}),
    (BETWEEN, {"column": "d", "min_value": 0}),
    (BETWEEN, {"column": "d", "max_value": 0}),
    (BETWEEN, {"column": "d", "min_value": 0.1, "max_value": 5}),
    (BETWEEN, {"column": "i", "max_value": 10}),
    (BETWEEN, {"column": "y", "min_value": 2020, "max_value": 2021}),
    (IN_SET, {"column": "s", "value_set": ["a", "b"]}),
    (IN_SET, {"column": "township", "value_set": "$in_scope_townships"}),
    (IN_SET, {"column": "flag", "value_set": [True]}),
    (UNIQUE, {"column": "uid", "row_condition": _cond("_nested_overlap", "==", False)}),
    (COMPOUND, {"column_list": ["k1", "k2"]}),
    (COMPOUND, {"column_list": ["k1", "k2", "_file_path"]}),
    (COMPOUND, {"column_list": ["k1", "k2"], "row_condition": _cond("_nested_overlap", "==", False)}),
    (GREATER, {"column_A": "y", "column_B": "b", "or_equal": True, "ignore_row_if": "either_value_is_missing"}),
    (GREATER, {"column_A": "z", "column_B": "x", "or_equal": True, "ignore_row_if": "either_value_is_missing"}),
    (EQUAL, {"column_A": "y", "column_B": "b", "ignore_row_if": "either_value_is_missing"}),
    # not in the suites today
    (BETWEEN, {"column": "d", "min_value": 0, "max_value": 3, "strict_min": True}),
    (BETWEEN, {"column": "d", "min_value": 0, "max_value": 3, "strict_max": True}),
    (BETWEEN, {"column": "d", "min_value": 0, "max_value": 3, "strict_min": True, "strict_max": True}),
    (BETWEEN, {"column": "d", "max_value": 3, "strict_max": True, "mostly": 0.5}),
    (BETWEEN, {"column": "d", "min_value": 5, "max_value": 1}),  # an error for this expectation only
    (NOT_NULL, {"column": "i", "mostly": 0.85}),
    (NOT_NULL, {"column": "i", "mostly": 0.95}),
    (IN_SET, {"column": "s", "value_set": ["a", None]}),
    (IN_SET, {"column": "s", "value_set": []}),
    (UNIQUE, {"column": "i"}),
    (UNIQUE, {"column": "x"}),
    (UNIQUE, {"column": "_row_number"}),  # unique: proven in the first scan
    (COMPOUND, {"column_list": ["_file_path", "_row_number"], "row_condition": _cond("flag", "==", True)}),
    (COMPOUND, {"column_list": ["k1", "k2"], "ignore_row_if": "any_value_is_missing"}),
    (COMPOUND, {"column_list": ["k1", "k2"], "ignore_row_if": "never"}),
    (COMPOUND, {"column_list": ["k1", "x"]}),
    (GREATER, {"column_A": "y", "column_B": "b", "ignore_row_if": "either_value_is_missing"}),
    (GREATER, {"column_A": "z", "column_B": "x"}),  # both_values_are_missing, float columns
    (GREATER, {"column_A": "z", "column_B": "x", "ignore_row_if": "neither", "or_equal": True}),
    (EQUAL, {"column_A": "z", "column_B": "x"}),
    (EQUAL, {"column_A": "z", "column_B": "x", "ignore_row_if": "either_value_is_missing", "mostly": 0.5}),
    (NOT_NULL, {"column": "s", "row_condition": _cond("part", "!=", "required")}),
    (NOT_NULL, {"column": "s", "row_condition": _cond("i", ">", 5)}),
    (NOT_NULL, {"column": "s", "row_condition": _cond("i", "<=", 5)}),
    (NOT_NULL, {"column": "d", "row_condition": _cond("y", ">=", 2021)}),
    (NOT_NULL, {"column": "d", "row_condition": _cond("y", "<", 2021)}),
    (BETWEEN, {"column": "d", "min_value": 0, "row_condition": {"type": "nullity", "column": {"name": "s"}, "is_null": False}}),
    (BETWEEN, {"column": "d", "min_value": 0, "row_condition": {"type": "and", "conditions": [
        _cond("part", "==", "number"), {"type": "nullity", "column": {"name": "y"}, "is_null": True}]}}),
    (IN_SET, {"column": "s", "value_set": ["a"], "row_condition": {"type": "or", "conditions": [
        _cond("part", "==", "order"), _cond("flag", "==", True)]}}),
    (IN_SET, {"column": "s", "value_set": ["a"], "row_condition": _cond("part", "==", "no such part")}),
]


def _spec(i: int, type_: str, kwargs: dict) -> ExpectationSpec:
    return ExpectationSpec(name=f"e{i}", kind="row_rule", frame="f", type=type_, kwargs=kwargs,
                           severity="error", description_zh="测试")


def _both(con, table: str, specs: list[ExpectationSpec]):
    sql = f"SELECT * FROM {table}"
    gx = runner.frame_results(con, "t", "f", sql, specs, REPORT, ORDER, "gx")
    sql_ = runner.frame_results(con, "t", "f", sql, specs, REPORT, ORDER, "sql")
    return gx, sql_


def _same(v, w) -> bool:
    if isinstance(v, float) and isinstance(w, float):
        return v == w or (math.isnan(v) and math.isnan(w))
    return v == w


def _assert_parity(spec: ExpectationSpec, gx: tuple, sql: tuple) -> None:
    (g_ok, g_res, g_exc), (s_ok, s_res, s_exc) = gx, sql
    where = f"{spec.type} {spec.kwargs}"
    assert s_ok == g_ok, where
    assert (s_exc is None) == (g_exc is None), (where, g_exc, s_exc)
    if g_exc is not None:
        return
    for key in ("element_count", "unexpected_count", "missing_count", "unexpected_percent"):
        assert _same(s_res.get(key), g_res.get(key)), (where, key, g_res.get(key), s_res.get(key))
    assert runner._plain(s_res["partial_unexpected_list"]) == runner._plain(g_res["partial_unexpected_list"]), where
    g_out = runner._outcome(spec, "f", g_ok, g_res, g_exc, "gx")
    s_out = runner._outcome(spec, "f", s_ok, s_res, s_exc, "sql")
    assert s_out.failing_files == g_out.failing_files, where
    assert s_out.examples == g_out.examples, where
    assert s_out.observed == g_out.observed, where


@pytest.mark.parametrize("case", range(len(CASES)), ids=lambda i: f"{i}-{CASES[i][0][7:]}")
def test_sql_engine_matches_gx(frames, case):
    type_, kwargs = CASES[case]
    spec = _spec(0, type_, kwargs)
    gx, sql = _both(frames, "t", [spec])
    _assert_parity(spec, gx[0], sql[0])


def test_all_cases_in_one_frame_match_gx_and_an_empty_frame_passes(frames):
    # One aggregate query for every expectation of a frame, windows and all, gives what separate
    # evaluations give.
    specs = [_spec(i, t, kw) for i, (t, kw) in enumerate(CASES)]
    gx, sql = _both(frames, "t", specs)
    for i, spec in enumerate(specs):
        _assert_parity(spec, gx[i], sql[i])
    # the cases fail (so parity means something), a few pass (mostly, no rows), one is an error
    failing = [i for i, (ok, res, exc) in gx.items() if not ok and exc is None]
    passing = [i for i, (ok, res, exc) in gx.items() if ok]
    assert len(failing) >= 40 and len(passing) >= 4
    assert all(not ok for i, (ok, res, exc) in gx.items() if i < 19)  # every form the suites use fails
    # more failing rows than examples, so failing files must come from every failing row
    assert any(res.get("unexpected_count", 0) > runner.MAX_EXAMPLES for ok, res, exc in gx.values())
    gx, sql = _both(frames, "empty", specs)
    for i, spec in enumerate(specs):
        _assert_parity(spec, gx[i], sql[i])
        if gx[i][2] is None:
            assert sql[i][0] and sql[i][1]["element_count"] == 0


def test_failing_files_cover_every_failing_row_not_only_the_examples(frames):
    spec = _spec(0, BETWEEN, {"column": "d", "min_value": 0})
    ok, res, _ = sql_engine.evaluate(frames, "SELECT * FROM t", [spec], REPORT, order_columns=ORDER,
                                     file_columns=runner.FILE_COLUMNS, max_examples=3)[0]
    assert not ok and res["unexpected_count"] > 3 and len(res["unexpected_index_list"]) == 3
    expected = frames.execute(
        "SELECT list(DISTINCT _file_path ORDER BY _file_path) FROM t WHERE d < 0"
    ).fetchone()[0]
    assert len(expected) > 3
    assert set(expected) <= set(res["failing_files"])
    assert {"dept/other_0.csv", "dept/other_1.csv", "dept/other_2.csv"} <= set(res["failing_files"])
    # the examples are the first failing rows in the frame's order
    first = frames.execute(
        "SELECT _file_path, _row_number FROM t WHERE d < 0 ORDER BY _file_path, _row_number LIMIT 3"
    ).fetchall()
    assert [(e["_file_path"], e["_row_number"]) for e in res["unexpected_index_list"]] == first


@pytest.mark.parametrize("type_, kwargs, message", [
    ("expect_column_mean_to_be_between", {"column": "d", "min_value": 0}, "not supported"),
    ("expect_column_values_to_match_regex", {"column": "s", "regex": "a"}, "not supported"),
    ("expect_colum_values_to_not_be_null", {"column": "s"}, "not supported"),
    (NOT_NULL, {"column": "s", "row_condition": 'part == "required"'}, "dict form"),
    (NOT_NULL, {"column": "s", "catch_exceptions": True}, "catch_exceptions"),
    (BETWEEN, {"column": "s", "min_value": 0}, "does not match"),
    (IN_SET, {"column": "d", "value_set": ["a"]}, "do not match"),
    (NOT_NULL, {"column": "s", "row_condition": {"type": "pass_through", "pass_through_filter": "x"}}, "pass_through"),
])
def test_what_the_engine_cannot_evaluate_fails_loudly(frames, type_, kwargs, message):
    specs = [_spec(0, NOT_NULL, {"column": "s"}), _spec(1, type_, kwargs)]
    with pytest.raises(sql_engine.UnsupportedExpectation, match=message):
        sql_engine.evaluate(frames, "SELECT * FROM t", specs, REPORT, order_columns=ORDER)


def test_an_unknown_type_in_a_suite_fails_the_frame_in_the_runner(warehouse, monkeypatch):
    suite = load_suite("geohazard_sites")
    bad = dataclasses.replace(
        _spec(99, "expect_column_values_to_be_fabulous", {"column": "township"}), name="fabulous", frame="rows"
    )
    broken = dataclasses.replace(suite, expectations=(*suite.expectations, bad))
    monkeypatch.setenv("EMSTATS_GX_MAX_ROWS", "0")
    v = runner.validate_dataset(warehouse, "geohazard_sites", "t-unknown", suite=broken, reuse=False)
    rows = [o for o in v.results if o.frame == "rows"]
    assert rows and not any(o.success for o in rows)
    assert all(o.exception and "expect_column_values_to_be_fabulous" in o.exception for o in rows)
    assert all(o.engine == "sql" for o in rows)
    assert v.blocking


# --- a real suite, all GX vs all SQL ------------------------------------------------------------


def _faults(con) -> None:
    """Guard failures in raw rows, a key reused across files, a nested year file, a missing
    township, a volume spike: most expectation kinds fail somewhere."""
    out_of_scope = next(t.code for t in queries.seed_townships() if not t.in_scope)
    good = clean_rows("production_accidents", 2024)
    load_rows(con, "production_accidents", "2024", [
        {**good[0], "deaths": -1},
        {**good[1], "township": out_of_scope},
        {**good[2], "occurred_at": dt.datetime(2023, 12, 31, 23)},
        {**good[3], "industry": "航空运输"},
        {**good[4], "direct_loss": None},
        {**good[5], "accident_id": good[0]["accident_id"]},
    ])
    reused = {**clean_rows("production_accidents", 2025)[0], "accident_id": "SG-REUSED"}
    load_rows(con, "production_accidents", "2025-01", [{**reused, "occurred_at": dt.datetime(2025, 1, 3, 9)}])
    load_rows(con, "production_accidents", "2025-02", [{**reused, "occurred_at": dt.datetime(2025, 2, 3, 9)}])
    row = {**clean_rows("waterway_accidents", 2024)[0], "accident_id": "SS-NESTED",
           "occurred_at": dt.datetime(2024, 3, 5, 10)}
    load_rows(con, "waterway_accidents", "2024-03", [row])
    load_rows(con, "waterway_accidents", "2024", [row, {**row, "accident_id": "SS-OTHER", "deaths": -3}])
    gone = townships(2023)[3]
    replace_file(con, "fire_hydrants", "2023", [r for r in clean_rows("fire_hydrants", 2023) if r["township"] != gone])
    drills = clean_rows("drills", 2024)
    drills[0] = {**drills[0], "level": "地灾点", "site_id": None}
    load_rows(con, "drills", "2024", drills)
    events = clean_rows("weather_disasters", 2024)
    events[0] = {**events[0], "deaths": 500}
    load_rows(con, "weather_disasters", "2024", events)
    pop = clean_rows("population", 2023)
    pop[5] = {**pop[5], "resident_population": pop[5]["resident_population"] * 10}
    pop[6] = {**pop[6], "resident_population": -1}
    replace_file(con, "population", "2023", pop)
    warnings = clean_rows("weather_warnings", 2024)
    warnings[0] = {**warnings[0], "townships": ["999999999", townships(2024)[0]]}
    load_rows(con, "weather_warnings", "2024", warnings)
    sites = clean_rows("geohazard_sites", 2024)
    sites[0] = {**sites[0], "year": 2023}  # 年度 against the file's period
    load_rows(con, "geohazard_sites", "2024", sites)
    late = next(t for t in queries.seed_townships() if t.in_scope and t.valid_from)
    hydrants = clean_rows("fire_hydrants", late.valid_from - 1)
    hydrants[0] = {**hydrants[0], "township": late.code}  # before the township existed
    load_rows(con, "fire_hydrants", str(late.valid_from - 1), hydrants)
    fires = clean_rows("forest_fires", 2024)
    fires[0] = {**fires[0], "extinguished_at": fires[0]["ignited_at"] - dt.timedelta(hours=1)}
    load_rows(con, "forest_fires", "2024", fires)


def _validate_all(con, run_id: str) -> dict[str, runner.DatasetValidation]:
    return {d: runner.validate_dataset(con, d, run_id, reuse=False) for d in queries.all_contracts()}


def test_every_suite_gives_the_same_outcomes_all_sql_as_all_gx(warehouse, monkeypatch):
    _faults(warehouse)
    monkeypatch.delenv("EMSTATS_GX_MAX_ROWS", raising=False)
    by_gx = _validate_all(warehouse, "all-gx")
    monkeypatch.setenv("EMSTATS_GX_MAX_ROWS", "0")
    by_sql = _validate_all(warehouse, "all-sql")
    failed: list[runner.ExpectationOutcome] = []
    by_engine: dict[str, int] = {}
    for dataset, g in by_gx.items():
        s = by_sql[dataset]
        assert [o.name for o in s.results] == [o.name for o in g.results], dataset
        for go, so in zip(g.results, s.results, strict=True):
            where = (dataset, go.name)
            assert (so.success, so.observed, so.failing_files) == (go.success, go.observed, go.failing_files), where
            assert so.examples == go.examples, where
            assert (so.exception is None) == (go.exception is None), where
            assert go.engine == ("gx" if go.kind != "no_data" else ""), where
            failed += [] if go.success else [go]
            by_engine[so.engine] = by_engine.get(so.engine, 0) + 1
    # the faults above made both engines fail many expectations, of every type the suites use
    assert len(failed) >= 20
    assert {o.type for o in failed} >= {t for t, _ in CASES[:19]}
    # every frame with rows went to the SQL engine (an empty frame stays with GX: 0 rows is not > 0)
    assert by_engine["sql"] > 10 * by_engine.get("gx", 0)

    # the engine is recorded in each outcome's details
    engines = warehouse.execute(
        "SELECT run_id, list(DISTINCT json_extract_string(details, '$.engine')) FROM audit.validation_results "
        "WHERE run_id IN ('all-gx', 'all-sql') AND kind <> 'no_data' GROUP BY run_id ORDER BY run_id"
    ).fetchall()
    assert engines[0] == ("all-gx", ["gx"]) and engines[1][0] == "all-sql" and "sql" in engines[1][1]


def test_a_frame_above_the_threshold_goes_to_sql_and_the_rest_to_gx(warehouse, monkeypatch):
    # geohazard_sites: 18 clean rows, the long frame 10 rows per row; with a threshold between
    # the two, the long frame is SQL's and the others GX's.
    rows = warehouse.execute(
        f"SELECT count(*) FROM ({queries.rows_sql('geohazard_sites')})"
    ).fetchone()[0]
    monkeypatch.setenv("EMSTATS_GX_MAX_ROWS", str(rows))
    v = runner.validate_dataset(warehouse, "geohazard_sites", "t-split", reuse=False)
    engines = {o.frame: o.engine for o in v.results}
    assert engines == {"rows": "gx", "long": "sql", "volume": "gx"}
    details = [json.loads(d) for (d,) in warehouse.execute(
        "SELECT details FROM audit.validation_results WHERE run_id = 't-split'").fetchall()]
    assert {d["frame"]: d["engine"] for d in details} == engines
    new = load_rows(warehouse, "geohazard_sites", "2024", [
        {**r, "threatened_people": -1} for r in clean_rows("geohazard_sites", 2024)
    ])
    v = runner.validate_dataset(warehouse, "geohazard_sites", "t-split-2", reuse=False)
    o = v.outcome("numbers_not_negative")
    assert not o.success and o.engine == "sql" and o.failing_files == [file_of(warehouse, new)]
    assert o.examples[0]["field"] == "threatened_people"


def test_an_expectation_with_a_long_value_list_goes_to_sql_on_a_small_frame(warehouse, monkeypatch):
    # At national scale $in_scope_townships is 40,000 codes, which GX copies hundreds of times per
    # validation; here the fixture seed's 31 codes stand in, with the limit lowered to 5.
    out_of_scope = next(t.code for t in queries.seed_townships() if not t.in_scope)
    rows = clean_rows("production_accidents", 2024)
    rows[1] = {**rows[1], "township": out_of_scope}
    new = load_rows(warehouse, "production_accidents", "2024", rows)
    monkeypatch.delenv("EMSTATS_GX_MAX_ROWS", raising=False)
    before = runner.validate_dataset(warehouse, "production_accidents", "t-list-gx", reuse=False)
    assert all(o.engine == "gx" for o in before.results)
    monkeypatch.setattr(runner, "GX_MAX_LIST_VALUES", 5)
    after = runner.validate_dataset(warehouse, "production_accidents", "t-list-sql", reuse=False)
    long_lists = {e.name for e in load_suite("production_accidents").expectations
                  if any(isinstance(v, list) and len(v) > 5 for v in runner._resolve_kwargs(e.kwargs).values())}
    assert "township_in_scope" in long_lists and len(long_lists) < len(after.results) - 3
    assert {o.name: o.engine for o in after.results} == {
        o.name: "sql" if o.name in long_lists else "gx" for o in after.results
    }
    o = after.outcome("township_in_scope")
    assert not o.success and o.failing_files == [file_of(warehouse, new)]
    assert [(r.name, r.success, r.observed, r.failing_files, r.examples) for r in after.results] == [
        (r.name, r.success, r.observed, r.failing_files, r.examples) for r in before.results
    ]


def test_gx_max_rows_is_read_from_the_environment(monkeypatch):
    monkeypatch.delenv("EMSTATS_GX_MAX_ROWS", raising=False)
    assert runner.gx_max_rows() == 200_000
    monkeypatch.setenv("EMSTATS_GX_MAX_ROWS", "0")
    assert runner.gx_max_rows() == 0
    monkeypatch.setenv("EMSTATS_GX_MAX_ROWS", "-1")
    with pytest.raises(ValueError):
        runner.gx_max_rows()
