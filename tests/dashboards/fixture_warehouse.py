"""A small warehouse with the public tables the boards read, built directly for the board tests.

Raw and audit tables come from tests/warehouse_fixtures.py (as the loader writes them); the marts
and seeds are created here with the spec's columns and plausible rows.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

from tests.warehouse_fixtures import load_rows, open_warehouse

DISTRICT = "500110"
TOWNS = {"500110001": "古南街道", "500110002": "文龙街道", "500110108": "石角镇"}
YEARS = list(range(2019, 2025))

# code, name_zh, unit, areas, judged_on, comparison, target, baseline_year, nature, plan_reference,
# yearly_value, source_datasets, required_datasets
CATALOG = [
    ("PS_DEATHS", "生产安全事故死亡人数", "人", "district+township", "change_vs_baseline", "<=", -9, 2020,
     "约束性", "核心指标1", "sum of deaths of accidents in the year", "production_accidents",
     "production_accidents"),
    ("PS_MAJOR_ACCIDENTS", "较大及以上生产安全事故起数", "起", "district+township", "plan_sum", "<=", 2,
     None, "约束性", "核心指标2", "count of accidents graded 较大 or above", "same as PS_DEATHS",
     "production_accidents"),
    ("ND_LOSS_GDP_PCT", "因自然灾害直接经济损失占地区生产总值比例", "%", "district", "plan_mean", "<=", 1,
     None, "预期性", "核心指标4 (十三五 average 0.7)", "direct_loss / (GDP × 10000) × 100",
     "disaster events (all), gdp", "at least one disaster-event dataset; gdp"),
    ("ND_AFFECTED_PER_100K", "每十万人受灾人次", "人次/十万人", "district+township", "plan_mean", "<",
     15000, None, "预期性", "核心指标6", "affected_person_times / population × 100000",
     "disaster events (all), population", "population"),
    ("FF_DAMAGE_RATE", "森林火灾受害率", "‰", "district+township", "annual", "<=", 0.3, None, "预期性",
     "三(二)11", "damaged_forest_ha / forest_ha × 1000", "forest_fires, forest_resources",
     "forest_fires; forest_resources"),
    ("ROAD_SAFETY_KM", "公路安全生命防护工程实施里程", "公里", "district+township", "plan_sum", ">=", 1200,
     None, "预期性", "三(二)8", "sum of km_completed", "road_safety_works", "road_safety_works"),
    ("MINE_STD_L3_SHARE", "非煤矿山三级及以上安全生产标准化达标率", "%", "district", "annual", ">=", 100,
     None, "预期性", "三(二)10", "operating mines level 1-3 / operating mines × 100", "non_coal_mines",
     "non_coal_mines"),
    ("PS_ACCIDENTS", "生产安全事故起数", "起", "district+township", "annual", None, None, None, "参考",
     "context", "count of accidents", "same as PS_DEATHS", "production_accidents"),
]

# indicator -> district value per year (2019..2024); townships get shares of it.
SERIES = {
    "PS_DEATHS": [21, 22, 20, 19, 18, 17],
    "PS_MAJOR_ACCIDENTS": [1, 1, 0, 1, 0, 0],
    "ND_LOSS_GDP_PCT": [0.8, 0.65, 0.42, 0.55, 0.38, 0.61],
    "ND_AFFECTED_PER_100K": [9800, 12000, 8650.4, 10234.5, 7421.9, 11876.3],
    "FF_DAMAGE_RATE": [0.05, 0.12, 0.02, 0.41, 0.08, 0.015],
    "ROAD_SAFETY_KM": [180, 210, 230.5, 251.2, 262.8, 248.6],
    "MINE_STD_L3_SHARE": [80, 85, 88.9, 92.3, 95.5, None],
    "PS_ACCIDENTS": [130, 124, 119, 111, 104, 98],
}
NUMDEN = {  # indicator -> (numerator, denominator) per year, for ratios
    "ND_LOSS_GDP_PCT": lambda v: (v * 6.5e4 / 100, 650.0),
    "ND_AFFECTED_PER_100K": lambda v: (round(v * 8.0), 800000.0),
    "FF_DAMAGE_RATE": lambda v: (round(v * 58.0, 2), 58000.0),
    "MINE_STD_L3_SHARE": lambda v: (v / 100 * 45, 45.0),
}
PROGRESS = {  # as_of 2021..2024: (value, status)
    "PS_DEATHS": [(-9.1, "on_track"), (-13.6, "on_track"), (-18.2, "on_track"), (-22.7, "on_track")],
    "PS_MAJOR_ACCIDENTS": [(0, "on_track"), (1, "on_track"), (1, "on_track"), (1, "on_track")],
    "ND_LOSS_GDP_PCT": [(0.42, "on_track"), (0.485, "on_track"), (0.45, "on_track"), (0.49, "on_track")],
    "ND_AFFECTED_PER_100K": [(8650.4, "on_track"), (9442.45, "on_track"), (8768.9, "on_track"),
                             (9545.8, "on_track")],
    "FF_DAMAGE_RATE": [(0.02, "met"), (0.41, "not_met"), (0.08, "met"), (0.015, "met")],
    "ROAD_SAFETY_KM": [(230.5, "at_risk"), (481.7, "on_track"), (744.5, "on_track"), (993.1, "on_track")],
    "MINE_STD_L3_SHARE": [(88.9, "not_met"), (92.3, "not_met"), (95.5, "not_met"), (None, "no_data")],
}


def _marts(con: duckdb.DuckDBPyConnection, deaths_2024: int, area_level: bool = True) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS marts; CREATE SCHEMA IF NOT EXISTS seeds")
    con.execute("""CREATE TABLE seeds.indicator_catalog (indicator_code VARCHAR, name_zh VARCHAR, unit VARCHAR,
        areas VARCHAR, judged_on VARCHAR, comparison VARCHAR, target DOUBLE, baseline_year INTEGER,
        nature VARCHAR, plan_reference VARCHAR, yearly_value VARCHAR, source_datasets VARCHAR,
        required_datasets VARCHAR, plan_start INTEGER, plan_end INTEGER)""")
    for row in CATALOG:
        con.execute("INSERT INTO seeds.indicator_catalog VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,2021,2025)",
                    list(row))
    con.execute("""CREATE TABLE seeds.townships (code9 VARCHAR, name VARCHAR, scope VARCHAR,
        valid_from INTEGER)""")
    for code, name in TOWNS.items():
        con.execute("INSERT INTO seeds.townships VALUES (?, ?, '本级', NULL)", [code, name])
    con.execute("""CREATE TABLE marts.indicator_values (indicator_code VARCHAR, year INTEGER,
        area_code VARCHAR, value DOUBLE, numerator DOUBLE, denominator DOUBLE, flags VARCHAR,
        area_level VARCHAR)""")
    shares = {"500110001": 0.5, "500110002": 0.3, "500110108": 0.2}
    for code, series in SERIES.items():
        series = list(series)
        if code == "PS_DEATHS":
            series[-1] = deaths_2024
        township = dict(CATALOG_BY_CODE[code])["areas"] == "district+township"
        for year, v in zip(YEARS, series, strict=True):
            num, den = NUMDEN[code](v) if code in NUMDEN and v is not None else (None, None)
            con.execute("INSERT INTO marts.indicator_values VALUES (?,?,?,?,?,?,NULL,'district')",
                        [code, year, DISTRICT, v, num, den])
            if township and v is not None:
                for town, share in shares.items():
                    tv = v * share if code in ("PS_DEATHS", "PS_ACCIDENTS", "ROAD_SAFETY_KM") else v * (
                        0.6 + share)
                    con.execute("INSERT INTO marts.indicator_values VALUES (?,?,?,?,NULL,NULL,NULL,'township')",
                                [code, year, town, tv])
    if not area_level:  # a warehouse published before the mart had the column
        con.execute("ALTER TABLE marts.indicator_values DROP COLUMN area_level")
    con.execute("""CREATE TABLE marts.indicator_progress (indicator_code VARCHAR, as_of_year INTEGER,
        value DOUBLE, target_value DOUBLE, comparison VARCHAR, status VARCHAR)""")
    for code, rows in PROGRESS.items():
        cat = dict(CATALOG_BY_CODE[code])
        for as_of, (v, status) in zip(range(2021, 2025), rows, strict=True):
            if code == "PS_DEATHS" and as_of == 2024:
                v = round((deaths_2024 - 22) / 22 * 100, 1)
                status = "on_track" if v <= -9 * 4 / 5 else "at_risk"
            con.execute("INSERT INTO marts.indicator_progress VALUES (?,?,?,?,?,?)",
                        [code, as_of, v, cat["target"], cat["comparison"], status])
    con.execute("""CREATE TABLE marts.reconciliation_findings (kind VARCHAR, dataset VARCHAR,
        record_key VARCHAR, township_code VARCHAR, field VARCHAR, kept_value VARCHAR,
        other_value VARCHAR)""")
    con.execute("""INSERT INTO marts.reconciliation_findings VALUES
        ('grade_mismatch', 'production_accidents', 'SG2024-007', '500110001', 'grade', '较大', '一般'),
        ('event_overridden', 'weather_disasters', 'ZH2024-03', '500110108', 'direct_loss', '120.5', '98')""")
    con.execute("""CREATE TABLE audit.validation_results (run_id VARCHAR, dataset VARCHAR,
        files VARCHAR, expectation VARCHAR, description_zh VARCHAR, severity VARCHAR,
        success BOOLEAN, observed_value VARCHAR, checked_at TIMESTAMP)""")
    con.execute("""INSERT INTO audit.validation_results VALUES
        ('r1', 'forest_fires', 'forestry/forest_fires/2024年.csv', 'expect_column_values_to_be_between',
         '受害森林面积不为负', 'error', true, '0', now()),
        ('r1', 'production_accidents', 'emergency/production_accidents/2024年.csv',
         'expect_column_values_to_not_be_null', '死亡人数不为空', 'warning', false, '2', now())""")


CATALOG_KEYS = ["code", "name_zh", "unit", "areas", "judged_on", "comparison", "target",
                "baseline_year", "nature", "plan_reference", "yearly_value", "source_datasets",
                "required_datasets"]
CATALOG_BY_CODE = {r[0]: list(zip(CATALOG_KEYS, r, strict=True)) for r in CATALOG}


def _raw_and_audit(con: duckdb.DuckDBPyConnection) -> None:
    for year in (2023, 2024):
        load_rows(con, "forest_fires", str(year), [
            {"fire_id": f"LH{year}-01", "ignited_at": dt.datetime(year, 3, 2, 14), "township": "500110108",
             "burned_area_ha": 1.5, "damaged_forest_ha": 0.9, "deaths": 0, "serious_injuries": 0},
        ], file_name=f"{year}年森林火灾统计表.csv")
        load_rows(con, "production_accidents", str(year), [
            {"accident_id": f"SG{year}-001", "occurred_at": dt.datetime(year, 5, 1, 9),
             "township": "500110001", "industry": "工矿商贸", "deaths": 1, "serious_injuries": 0,
             "direct_loss": 35.0},
        ], file_name=f"{year}年生产安全事故台账.csv")
    load_rows(con, "production_accidents", "2024", [], status="rejected",
              file_name="2024年6月_续报.xlsx")
    con.execute("""UPDATE audit.load_ledger SET message = '缺少必填列：死亡人数', reason_code = 'missing_column'
                   WHERE status = 'rejected'""")
    load_id = con.execute("SELECT max(load_id) FROM audit.load_ledger WHERE dataset='forest_fires'").fetchone()[0]
    con.execute("""INSERT INTO audit.quarantine VALUES
        (?, 'forestry/forest_fires/2024年森林火灾统计表.csv', 'forest_fires', NULL, 7, '街镇', 'township',
         'unknown_township', '未知街镇：新华镇', '新华镇', now()),
        (?, 'forestry/forest_fires/2024年森林火灾统计表.csv', 'forest_fires', NULL, 9, '受害森林面积',
         'damaged_forest_ha', 'negative', '受害森林面积为负数', '-2', now())""", [load_id, load_id])


def build(path: Path, deaths_2024: int = 17, area_level: bool = True) -> Path:
    """Write a fresh warehouse at `path` (area_level=False: indicator_values without that column)."""
    if path.exists():
        path.unlink()
    con = open_warehouse(path)
    try:
        _raw_and_audit(con)
        _marts(con, deaths_2024, area_level)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def publish(warehouse: Path, published: Path) -> None:
    """Copy and atomically rename, as the pipeline's publish step does."""
    tmp = published.with_name(published.name + ".tmp")
    shutil.copyfile(warehouse, tmp)
    os.replace(tmp, published)
