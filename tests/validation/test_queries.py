"""The frame queries themselves: the seed read by DuckDB, the unordered rendering the SQL engine
uses, and the set-based `_nested_overlap` / `_<list>_unknown` columns against the per-row
formulations they replace."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from pipelines import settings
from pipelines.validation import queries
from pipelines.validation.suites import load_suite
from tests.validation.builders import clean_rows, townships
from tests.warehouse_fixtures import load_rows

ENV = queries.QueryEnv(today=dt.date(2026, 6, 30))


def _seed_rows() -> list[tuple]:
    import duckdb

    return duckdb.sql(
        f"SELECT code, name, valid_from, in_scope FROM {queries._seed_townships_sql()}"
    ).fetchall()


def test_the_seed_read_by_duckdb_is_the_seed_read_by_python():
    assert _seed_rows() == [(t.code, t.name, t.valid_from, t.in_scope) for t in queries.seed_townships()]
    assert any(t.valid_from for t in queries.seed_townships())  # the comparison covers valid_from


def test_an_awkward_seed_file_reads_the_same_in_duckdb(tmp_path, monkeypatch):
    # BOM, padded fields, a quoted comma, an empty valid_from and a township out of scope.
    (tmp_path / "townships.csv").write_bytes(
        "\ufeffcode9,code12,name,kind,scope,aliases,valid_from,note\n"
        " 500110001 ,500110001000,\"古南, 街道\",街道, 本级 ,古南,,\n"
        "500110002,500110002000,文龙街道,街道,本级,文龙, 2020 ,\n"
        "500110099,500110099000,邻区镇,镇,外区,,,\n".encode()
    )
    monkeypatch.setattr(settings, "SEEDS_DIR", tmp_path)
    queries.seed_townships.cache_clear()
    try:
        python = [(t.code, t.name, t.valid_from, t.in_scope) for t in queries.seed_townships()]
        assert python == [
            ("500110001", "古南, 街道", None, True),
            ("500110002", "文龙街道", 2020, True),
            ("500110099", "邻区镇", None, False),
        ]
        assert _seed_rows() == python
    finally:
        queries.seed_townships.cache_clear()


def _frames():
    seen = set()
    for path in sorted(settings.EXPECTATIONS_DIR.glob("*.yaml")):
        suite = load_suite(path.stem)
        for frame in suite.frames.values():
            key = (suite.dataset, frame.query, repr(sorted(frame.params.items())))
            if key not in seen:
                seen.add(key)
                yield suite.dataset, frame


def _with_overlaps(con):
    """A year file beside its month file (nested) and a key reused across two month files."""
    row = {**clean_rows("waterway_accidents", 2024)[0], "accident_id": "SS-2024-NESTED",
           "occurred_at": dt.datetime(2024, 3, 5, 10)}
    load_rows(con, "waterway_accidents", "2024-03", [row])
    load_rows(con, "waterway_accidents", "2024", [row, {**row, "accident_id": "SS-2024-YEAR-ONLY"}])
    reused = {**row, "accident_id": "SS-2024-REUSED"}
    load_rows(con, "waterway_accidents", "2024-04", [{**reused, "occurred_at": dt.datetime(2024, 4, 2, 9)}])
    load_rows(con, "waterway_accidents", "2024-05", [{**reused, "occurred_at": dt.datetime(2024, 5, 2, 9)}])


def test_every_frame_unordered_is_the_ordered_frame_in_another_order(warehouse):
    # ORDER_COLUMNS must name the columns each query orders by: the SQL engine picks its examples
    # in that order, and GX gets the ordered frame.
    _with_overlaps(warehouse)
    checked = 0
    for dataset, frame in _frames():
        ordered_sql = queries.render(frame.query, dataset, frame.params, ENV)
        unordered_sql = queries.render(frame.query, dataset, frame.params, dataclasses.replace(ENV, ordered=False))
        assert "ORDER BY" not in unordered_sql.rstrip()[-200:], (dataset, frame.query)
        cols = queries.ORDER_COLUMNS[frame.query]
        order = ", ".join(f'"{c}"' for c in cols) if cols is not None else "ALL"
        ordered = warehouse.sql(ordered_sql).fetchall()
        resorted = warehouse.sql(f"SELECT * FROM ({unordered_sql}) ORDER BY {order}").fetchall()
        assert resorted == ordered, (dataset, frame.query)
        checked += bool(ordered)
    assert checked > 60


OLD_NESTED = """
    SELECT r._file_path, r._row_number, EXISTS (
        SELECT 1 FROM base AS o
        WHERE {on} AND o._load_id <> r._load_id
          AND o._period_start <= r._period_start AND o._period_end >= r._period_end
          AND (o._period_end - o._period_start) > (r._period_end - r._period_start)
    ) AS _nested_overlap
    FROM base AS r
"""


@pytest.mark.parametrize("dataset", ["waterway_accidents", "population", "rescue_teams"])
def test_nested_overlap_is_the_per_row_exists_it_replaces(warehouse, dataset):
    _with_overlaps(warehouse)
    # population: a township's year file beside a revised month-less quarter file of the same year
    load_rows(warehouse, "population", "2023-Q4", clean_rows("population", 2023)[:3])
    c = queries.all_contracts()[dataset]
    on = " AND ".join(f'o."{k}" = r."{k}"' for k in c.key)
    old = warehouse.sql(
        f"WITH base AS ({queries.rows_sql(dataset)}) " + OLD_NESTED.format(on=on) + " ORDER BY 1, 2"
    ).fetchall()
    new = warehouse.sql(
        f"SELECT _file_path, _row_number, _nested_overlap FROM ({queries.render('current_file_rows', dataset, {}, ENV)}) "
        "ORDER BY 1, 2"
    ).fetchall()
    assert new == old
    if dataset != "rescue_teams":
        assert any(flag for *_, flag in new)


def test_unknown_townships_in_a_list_are_counted_as_before(warehouse):
    codes = townships(2023)
    base = clean_rows("weather_warnings", 2023)[0]
    lists = [[codes[0], "999999999", None, "999999999"], None, [], [codes[1], codes[2]], ["888888888"]]
    load_rows(warehouse, "weather_warnings", "2024-02", [
        {**base, "warning_id": f"YJ-X-{i}", "townships": lst} for i, lst in enumerate(lists)
    ])
    literal = "[" + ", ".join(f"'{x}'" for x in queries.in_scope_codes()) + "]"
    old = warehouse.sql(
        f"SELECT warning_id, len(list_filter(coalesce(townships, []), x -> NOT list_contains({literal}, x))) "
        f"FROM raw.weather_warnings WHERE warning_id LIKE 'YJ-X-%' ORDER BY 1"
    ).fetchall()
    new = warehouse.sql(
        f"SELECT warning_id, _townships_unknown FROM ({queries.render('current_file_rows', 'weather_warnings', {}, ENV)}) "
        "WHERE warning_id LIKE 'YJ-X-%' ORDER BY 1"
    ).fetchall()
    assert new == old == [("YJ-X-0", 2), ("YJ-X-1", 0), ("YJ-X-2", 0), ("YJ-X-3", 0), ("YJ-X-4", 1)]


def _old_long_values(dataset: str, params: dict) -> str:
    """long_values as it was: one SELECT per item, UNION ALL."""
    c = queries.all_contracts()[dataset]

    def num(col):
        if c.field(col).type in {"date", "datetime"}:
            return f'CAST(epoch(CAST("{col}" AS TIMESTAMP)) AS DOUBLE)'
        return f'CAST("{col}" AS DOUBLE)'

    cols = "_file_path, _row_number FROM base"
    parts = [f"SELECT 'required' AS part, '{col}' AS field, CAST(\"{col}\" AS VARCHAR) AS text_value, "
             f"NULL::DOUBLE AS num_value, NULL::DOUBLE AS left_value, NULL::DOUBLE AS right_value, {cols}"
             for col in params.get("required", [])]
    parts += [f"SELECT 'number', '{col}', NULL, {num(col)}, NULL, NULL, {cols}" for col in params.get("numeric", [])]
    parts += [f"SELECT 'order', '{r['left']} <= {r['right']}', NULL, NULL, {num(r['left'])}, {num(r['right'])}, {cols}"
              for r in c.rules if r.get("check") == "le"]
    return f"WITH base AS ({queries.rows_sql(dataset)}) SELECT * FROM (" + " UNION ALL ".join(parts) + ")"


def test_the_long_frame_is_the_union_of_its_items_it_replaces(warehouse):
    # a row with nulls, negatives and an order rule broken, so every item kind has values
    rows = clean_rows("weather_disasters", 2024)
    rows[0] = {**rows[0], "deaths": 500, "injured": None, "crop_lost_ha": -1.0}
    load_rows(warehouse, "weather_disasters", "2024", rows)
    checked = 0
    for dataset, frame in _frames():
        if frame.query != "long_values":
            continue
        new = warehouse.sql(
            f"SELECT * FROM ({queries.render('long_values', dataset, frame.params, ENV)})"
        ).fetchall()
        old = warehouse.sql(f"SELECT * FROM ({_old_long_values(dataset, frame.params)}) "
                            "ORDER BY _file_path, _row_number, part, field").fetchall()
        assert new == old, dataset
        assert warehouse.sql(f"DESCRIBE {queries.render('long_values', dataset, frame.params, ENV)}").fetchall() == \
            warehouse.sql(f"DESCRIBE {_old_long_values(dataset, frame.params)}").fetchall(), dataset
        checked += len(new)
    assert checked > 1000
