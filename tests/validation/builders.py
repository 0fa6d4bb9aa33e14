"""Small, clean warehouses for the validation tests: every dataset, years 2021–2023, one year file
per dataset and year, rows that pass every contract rule and every dataset-level check.

Township codes come from the townships seed (via pipelines.validation.queries), never from here.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from pipelines.ingest.contracts import all_contracts
from pipelines.ingest.converters import accepted_hazards
from pipelines.validation.queries import seed_townships
from tests.warehouse_fixtures import load_rows

YEARS = (2021, 2022, 2023)
ROWS_PER_FILE = 6
TOWNSHIP_YEAR = ("population", "forest_resources", "fire_monitoring", "fire_hydrants")


def townships(year: int) -> list[str]:
    return [t.code for t in seed_townships() if t.in_scope and (t.valid_from is None or t.valid_from <= year)]


def population_of(code: str) -> int:
    return 30000 + 1000 * townships(2023).index(code)


def forest_ha_of(code: str) -> float:
    return 1000.0 + 100 * townships(2023).index(code)


def _generic_row(dataset: str, year: int, i: int) -> dict:
    c = all_contracts()[dataset]
    codes = townships(year)
    row: dict = {}
    when = dt.datetime(year, 1 + i % 12, 1 + (3 * i) % 27, 8, 30)
    for f in c.fields:
        if f.type == "township":
            row[f.name] = codes[i % len(codes)]
        elif f.type == "township_list":
            row[f.name] = codes[:2]
        elif f.type == "year":
            row[f.name] = year
        elif f.type == "int":
            row[f.name] = year if f.name.endswith("_year") else 1 + i % 3
        elif f.type == "num":
            row[f.name] = 10.0 + i
        elif f.type == "date":
            row[f.name] = when.date()
        elif f.type == "datetime":
            row[f.name] = when
        elif f.type == "bool":
            row[f.name] = True
        elif f.type == "scope":
            row[f.name] = "本级"
        elif f.domain:
            row[f.name] = f.domain[i % len(f.domain)]
        elif f.hazards is not None:
            row[f.name] = sorted(accepted_hazards(f.hazards))[0]
        elif f.soft_domain:
            row[f.name] = f.soft_domain[0]
        elif f.name in c.key:
            row[f.name] = f"{dataset[:4].upper()}-{year}-{i:03d}"
        else:
            row[f.name] = f"{f.standard_header}{i}"
    return row


def _fix(dataset: str, row: dict, year: int, i: int) -> dict:
    """Dataset specifics so the generic row passes every rule."""
    c = all_contracts()[dataset]
    names = {f.name for f in c.fields}
    if "affected_person_times" in names:  # disaster event
        row.update(affected_person_times=100, deaths=0, missing=0, injured=1, relocated_person_times=10,
                   needing_aid_person_times=5, crop_affected_ha=10.0, crop_damaged_ha=5.0, crop_lost_ha=1.0)
        row["ended_on"] = row["started_on"] + dt.timedelta(days=1)
    if "accident_id" in names:
        row.update(deaths=0, missing=0, serious_injuries=1, minor_injuries=1, reported_grade="一般")
    if dataset == "forest_fires":
        row.update(burned_area_ha=3.0, damaged_forest_ha=1.0, deaths=0)
        row["extinguished_at"] = row["ignited_at"] + dt.timedelta(hours=5)
    if dataset == "fire_hazard_inspections":
        row.update(hazards_found=3, hazards_fixed=2)
    if dataset == "law_enforcement":
        row.update(officers=10, qualified_officers=8, unit=f"执法单位{i}")
    if dataset == "non_coal_mines":
        row.update(key_posts=5, mechanized_key_posts=3, mine_id=f"KS-{i:03d}")
    if dataset == "forest_resources":
        row.update(forest_ha=forest_ha_of(row["township"]), woodland_ha=forest_ha_of(row["township"]) * 1.2,
                   coverage_pct=50.0)
    if dataset == "fire_monitoring":
        row.update(forest_ha=forest_ha_of(row["township"]), monitored_forest_ha=forest_ha_of(row["township"]) * 0.9)
    if dataset == "population":
        row.update(resident_population=population_of(row["township"]) + 10 * (year - 2021),
                   registered_population=population_of(row["township"]))
    if dataset == "fire_hydrants":
        row.update(required=20, built=18)
    if dataset == "gdp":
        row.update(gdp_current=600.0 + 40 * (year - 2021), gdp_index=106.0, vintage="最终核实")
    if dataset == "drills":
        row.update(level="街镇", site_id=None)
    if dataset == "rescue_teams":
        row.update(team_id=f"DW-{i:03d}", level="街镇")  # the same roster every year
    if dataset == "reserves":
        row.update(store=f"储备点{i}", level="街镇")
    if dataset in ("road_safety_works", "old_community_renovation", "river_warning_coverage", "geohazard_sites"):
        key_field = [k for k in c.key if k != "year"][0]
        row[key_field] = f"{key_field}-{i:03d}"
    return row


def clean_rows(dataset: str, year: int, n: int = ROWS_PER_FILE) -> list[dict]:
    if dataset in TOWNSHIP_YEAR:
        rows = []
        for i, code in enumerate(townships(year)):
            r = _fix(dataset, _generic_row(dataset, year, i), year, i)
            r["township"] = code
            rows.append(_fix(dataset, r, year, i))
        return rows
    if dataset == "gdp":
        return [_fix(dataset, _generic_row(dataset, year, 0), year, 0)]
    return [_fix(dataset, _generic_row(dataset, year, i), year, i) for i in range(n)]


def build_clean(con: duckdb.DuckDBPyConnection, years=YEARS, skip: tuple[str, ...] = ()) -> None:
    for dataset in all_contracts():
        if dataset in skip:
            continue
        for year in years:
            load_rows(con, dataset, str(year), clean_rows(dataset, year))


def replace_file(con: duckdb.DuckDBPyConnection, dataset: str, period: str, rows: list[dict], **kw) -> int:
    """Deliver a newer revision of (dataset, period): the older current file becomes superseded."""
    old = con.execute(
        "SELECT load_id FROM audit.load_ledger WHERE dataset = ? AND period = ? AND status = 'loaded'",
        [dataset, period],
    ).fetchall()
    new = load_rows(con, dataset, period, rows, revision="更正", revision_rank=99, **kw)
    for (load_id,) in old:
        con.execute(
            "UPDATE audit.load_ledger SET status = 'superseded', superseded_by = ? WHERE load_id = ?",
            [new, load_id],
        )
    return new


def file_of(con: duckdb.DuckDBPyConnection, load_id: int) -> str:
    return con.execute("SELECT file_path FROM audit.load_ledger WHERE load_id = ?", [load_id]).fetchone()[0]
