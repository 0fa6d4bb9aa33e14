"""Part A marts end to end: a small warehouse built as the loader would, then a real `dbt build`.

Covers accident de-duplication (production_accidents wins, then the latest revision), computed
grades against reported ones, forest-fire grades at their boundaries, disaster-event counting
(disaster_reports overrides a department for the same event and township; other townships still
count), hazard codes from every wording form, geohazard grades, superseded files and
out-of-scope townships that never reach the marts, and an unknown hazard wording that fails the
build naming it.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.warehouse_fixtures import load_rows, open_warehouse

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
DBT = REPO / ".venv" / "bin" / "dbt"

# Townships (codes from townships.csv)
GUNAN, SHIJIAO, DONGXI, GANSHUI, WANSHENG = (
    "500110001", "500110108", "500110109", "500110110", "500110004",
)
PART_A_MARTS = (
    "+fct_accidents +fct_forest_fires +fct_disaster_events +reconciliation_findings "
    "+dim_townships +dim_hazards +dim_industries +dim_years"
)


def accident(aid, day, township, deaths=0, serious=0, loss=1.0, **extra):
    return {
        "accident_id": aid, "occurred_at": dt.datetime.fromisoformat(day), "township": township,
        "deaths": deaths, "serious_injuries": serious, "direct_loss": loss, **extra,
    }


def event(eid, hazard, day, township, affected=10, deaths=0, missing=0, loss=1.0, **extra):
    return {
        "event_id": eid, "hazard": hazard, "started_on": dt.date.fromisoformat(day),
        "township": township, "affected_person_times": affected, "deaths": deaths,
        "missing": missing, "direct_loss": loss, **extra,
    }


def fire(fid, day, township, burned, damaged, deaths=0, serious=0, **extra):
    return {
        "fire_id": fid, "ignited_at": dt.datetime.fromisoformat(day), "township": township,
        "burned_area_ha": burned, "damaged_forest_ha": damaged, "deaths": deaths,
        "serious_injuries": serious, **extra,
    }


def build_fixture(con: duckdb.DuckDBPyConnection) -> None:
    # --- accidents ---
    load_rows(con, "production_accidents", "2023", [
        # 3 deaths: 较大 (以上 includes the bound), reported 一般 -> grade_mismatch
        accident("A1", "2023-03-01 10:00", SHIJIAO, deaths=3, loss=100, industry="工矿商贸",
                 reported_grade="一般"),
        accident("A2", "2023-04-01 08:00", GUNAN, deaths=0, loss=50, industry="其他",
                 reported_grade="一般"),
        # out of scope (万盛): never counted
        accident("OUT1", "2023-05-01 08:00", WANSHENG, deaths=1, industry="煤矿"),
    ])
    load_rows(con, "road_traffic_accidents", "2023", [
        # same accident as the register's A1, other figures: the register wins
        accident("A1", "2023-03-01 10:00", SHIJIAO, deaths=2, loss=100),
        # blank industry -> 道路运输; 5 missing do not make it 较大
        accident("R1", "2023-06-01 08:00", DONGXI, deaths=1, missing=5, commercial=True),
        accident("R3", "2023-07-01 08:00", DONGXI, deaths=0, loss=10),
    ], revision_rank=1)
    load_rows(con, "construction_accidents", "2023", [
        # R3 again in a later revision of another sector dataset: the latest revision wins
        accident("R3", "2023-07-01 08:00", DONGXI, deaths=1, loss=10),
    ], revision="续报", revision_rank=2)
    # a superseded file: its rows never reach the marts
    load_rows(con, "waterway_accidents", "2023-08", [
        accident("S1", "2023-08-02 08:00", GUNAN, deaths=9),
    ], status="superseded")
    load_rows(con, "waterway_accidents", "2023-09", [
        accident("W1", "2023-09-02 08:00", GUNAN, serious=10, loss=0),  # 10 serious: 较大
    ])

    # --- forest fires (boundaries of the forest_fire rule set) ---
    load_rows(con, "forest_fires", "2023", [
        fire("F1", "2023-02-01 13:00", GANSHUI, 0.5, 0.3),  # 一般
        fire("F2", "2023-02-02 13:00", GANSHUI, 2.0, 1.0),  # 较大: 1 ha included
        fire("F3", "2023-02-03 13:00", GUNAN, 0.6, 0.5, deaths=3),  # 较大 by deaths
        fire("F4", "2023-02-04 13:00", GUNAN, 150, 100),  # 重大
    ])

    # --- disaster events ---
    load_rows(con, "disaster_reports", "2023", [
        # the bureau's figures for E1 x 石角 win over the water department's
        event("E1", "洪涝灾害-山洪", "2023-06-20", SHIJIAO, affected=100, loss=20),
        # a forest fire reported as a disaster counts here alone
        event("E3", "森林火灾", "2023-02-04", GUNAN, affected=0, loss=5),
        # 一级-亚灾种 wording of a geohazard: graded 大型 by its loss
        event("G2", "地质灾害-滑坡", "2023-08-01", DONGXI, affected=30, loss=600),
    ])
    load_rows(con, "flood_drought_events", "2023", [
        event("E1", "山洪", "2023-06-20", SHIJIAO, affected=120, loss=20),
        event("E1", "山洪", "2023-06-20", DONGXI, affected=40, loss=8),  # still counts
        event("D1", "干旱灾害", "2023-07-10", GANSHUI, affected=500, loss=30),
    ])
    load_rows(con, "geohazard_events", "2023", [
        event("G1", "滑坡", "2023-08-01", GANSHUI, affected=20, deaths=3, loss=50),  # 中型
    ])
    load_rows(con, "weather_disasters", "2023", [
        # the same event x township as the geohazard department, same figures: counted once
        event("G1", "暴雨", "2023-08-01", GANSHUI, affected=20, deaths=3, loss=50),
        event("W9", "低温阴雨", "2023-12-01", GUNAN, affected=5, loss=1),
    ])


def dbt(warehouse: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "EMSTATS_WAREHOUSE": str(warehouse),
        "DBT_TARGET_PATH": str(tmp / "target"),
        "DBT_LOG_PATH": str(tmp / "logs"),
    }
    return subprocess.run(
        [str(DBT), *args, "--profiles-dir", ".", "--no-partial-parse"],
        cwd=DBT_PROJECT, env=env, capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="module")
def marts(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    tmp = tmp_path_factory.mktemp("facts")
    warehouse = tmp / "wh.duckdb"
    con = open_warehouse(warehouse)
    build_fixture(con)
    con.close()
    result = dbt(warehouse, tmp, "build", "--select", PART_A_MARTS, "--indirect-selection", "cautious")
    assert result.returncode == 0, result.stdout[-6000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con
    con.close()


def rows(con, sql):
    return con.sql(sql).fetchall()


def test_accidents_deduplicated_with_register_priority_then_latest_revision(marts):
    got = dict(rows(marts, "select accident_id, source_dataset from marts.fct_accidents"))
    assert got == {
        "A1": "production_accidents",
        "A2": "production_accidents",
        "R1": "road_traffic_accidents",
        "R3": "construction_accidents",
        "W1": "waterway_accidents",
    }
    assert rows(marts, "select deaths from marts.fct_accidents where accident_id = 'A1'") == [(3,)]


def test_accident_grades_and_missing_not_counted(marts):
    got = dict(rows(marts, "select accident_id, grade from marts.fct_accidents"))
    assert got == {"A1": "较大", "A2": "一般", "R1": "一般", "R3": "一般", "W1": "较大"}
    r1 = rows(marts, "select industry, missing, commercial from marts.fct_accidents where accident_id = 'R1'")
    assert r1 == [("道路运输", 5, True)]


def test_public_columns_come_first(marts):
    def cols(table):
        return [r[0] for r in rows(marts, f"describe marts.{table}")]

    assert cols("fct_accidents")[:10] == [
        "accident_id", "occurred_at", "township_code", "industry", "deaths", "serious_injuries",
        "direct_loss", "grade", "reported_grade", "source_dataset"]
    assert cols("fct_forest_fires")[:8] == [
        "fire_id", "ignited_at", "township_code", "burned_area_ha", "damaged_forest_ha", "deaths",
        "serious_injuries", "grade"]
    assert cols("fct_disaster_events")[:10] == [
        "event_id", "township_code", "hazard", "hazard_code", "started_on",
        "affected_person_times", "deaths", "missing", "direct_loss", "source_dataset"]
    assert cols("reconciliation_findings")[:7] == [
        "kind", "dataset", "record_key", "township_code", "field", "kept_value", "other_value"]


def test_forest_fire_grades(marts):
    got = dict(rows(marts, "select fire_id, grade from marts.fct_forest_fires"))
    assert got == {"F1": "一般", "F2": "较大", "F3": "较大", "F4": "重大"}


def test_disaster_events_counted_once_with_override(marts):
    got = {
        (e, t): (src, affected)
        for e, t, src, affected in rows(
            marts,
            "select event_id, township_code, source_dataset, affected_person_times "
            "from marts.fct_disaster_events",
        )
    }
    assert got == {
        ("E1", SHIJIAO): ("disaster_reports", 100),
        ("E1", DONGXI): ("flood_drought_events", 40),
        ("E3", GUNAN): ("disaster_reports", 0),
        ("G2", DONGXI): ("disaster_reports", 30),
        ("D1", GANSHUI): ("flood_drought_events", 500),
        ("G1", GANSHUI): ("geohazard_events", 20),
        ("W9", GUNAN): ("weather_disasters", 5),
    }


def test_hazard_codes_and_geohazard_grades(marts):
    got = {
        (e, t): (code, grade)
        for e, t, code, grade in rows(
            marts,
            "select event_id, township_code, hazard_code, geohazard_grade from marts.fct_disaster_events",
        )
    }
    assert got[("E1", SHIJIAO)] == ("010200", None)  # 洪涝灾害-山洪 -> 洪涝
    assert got[("D1", GANSHUI)] == ("010100", None)  # 干旱灾害 (alias) -> 干旱
    assert got[("W9", GUNAN)] == ("010800", None)  # 低温阴雨 -> 低温
    assert got[("E3", GUNAN)] == ("040600", None)  # 森林火灾
    assert got[("G1", GANSHUI)] == ("020400", "中型")  # 3 deaths
    assert got[("G2", DONGXI)] == ("020400", "大型")  # 600 万元


def test_superseded_and_out_of_scope_rows_never_reach_the_marts(marts):
    assert rows(marts, "select count(*) from marts.fct_accidents where accident_id in ('S1', 'OUT1')") == [(0,)]
    assert rows(
        marts,
        "select count(*) from marts.fct_accidents a join marts.dim_townships t "
        "on a.township_code = t.township_code where not t.in_scope",
    ) == [(0,)]
    assert rows(
        marts,
        "select kind, record_key, other_value from marts.reconciliation_findings where kind = 'out_of_scope'",
    ) == [("out_of_scope", "OUT1", WANSHENG)]


def test_reconciliation_findings(marts):
    got = set(rows(
        marts,
        "select kind, dataset, record_key, township_code, field, kept_value, other_value "
        "from marts.reconciliation_findings where kind <> 'out_of_scope'",
    ))
    assert got == {
        ("accident_duplicate", "road_traffic_accidents", "A1", SHIJIAO, "deaths", "3", "2"),
        ("accident_duplicate", "road_traffic_accidents", "R3", DONGXI, "deaths", "1", "0"),
        ("grade_mismatch", "production_accidents", "A1", SHIJIAO, "grade", "较大", "一般"),
        ("event_overridden", "flood_drought_events", "E1", SHIJIAO, "affected_person_times", "100", "120"),
        ("event_overridden", "weather_disasters", "G1", GANSHUI, "hazard_code", "020400", "010400"),
        ("forest_fire_as_disaster", "disaster_reports", "E3", GUNAN, "fire_id", None, "F4"),
    }


def test_dimensions(marts):
    assert rows(marts, "select count(*), count(*) filter (where in_scope) from marts.dim_townships") == [(31, 21)]
    assert rows(marts, "select min(year), max(year), bool_and(has_loaded_file) from marts.dim_years") == [
        (2023, 2023, True)]
    assert rows(marts, "select count(*) from marts.dim_industries") == [(13,)]
    assert rows(marts, "select grading_rule_set from marts.dim_hazards where hazard_label = '滑坡'") == [
        ("geohazard_disaster",)]


def test_unknown_hazard_wording_fails_the_build_naming_it(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    con = open_warehouse(warehouse)
    load_rows(con, "disaster_reports", "2023", [event("X1", "火山喷发", "2023-05-01", GUNAN)])
    con.close()
    result = dbt(warehouse, tmp_path, "build", "--select", "+int_disaster_events",
                 "--exclude", "test_type:data", "test_type:unit")
    assert result.returncode != 0
    assert "火山喷发" in result.stdout


def test_a_null_in_a_required_column_fails_its_models_not_null_test(tmp_path):
    # The reader never lands a row without a required field; this is the guard behind it. All
    # of a model's required columns are one not_null_columns test, which must name the column.
    warehouse = tmp_path / "wh.duckdb"
    con = open_warehouse(warehouse)
    load_rows(con, "drills", "2023", [
        {"drill_id": "D1", "held_on": dt.date(2023, 5, 1), "level": "区级综合", "participants": 40},
        {"drill_id": "D2", "held_on": dt.date(2023, 6, 1), "level": None, "participants": 30},
    ])
    con.close()
    result = dbt(warehouse, tmp_path, "build", "--select", "stg_emergency__drills",
                 "--exclude", "test_type:unit", "--store-failures")
    assert result.returncode != 0
    failed = [line for line in result.stdout.splitlines() if " FAIL " in line]
    assert len(failed) == 1 and "not_null_columns_stg_emergency__drills" in failed[0], result.stdout[-3000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    (schema, table), = con.sql(
        "select schema_name, table_name from duckdb_tables() where table_name like 'not_null_columns%'"
    ).fetchall()
    assert con.sql(f'select column_name, null_rows from "{schema}"."{table}"').fetchall() == [("level", 1)]
