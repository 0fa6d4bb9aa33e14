"""The public marts as DataFrames for the pages: catalog, townships, values and progress.

Nothing here computes an indicator: names, units, targets and statuses come from the warehouse.
"""

from __future__ import annotations

import csv
import re

import pandas as pd

from dashboards import data
from pipelines import settings


def _deployment() -> dict[str, str]:
    """The deployment's area (seeds/deployment.csv): the same boards serve a district or a city."""
    with (settings.SEEDS_DIR / "deployment.csv").open(encoding="utf-8") as f:
        return next(csv.DictReader(f))


DEPLOYMENT = _deployment()
DISTRICT = DEPLOYMENT["district_code"]
AREA_NAME = DEPLOYMENT["district_name_zh"]
DISTRICT_NAME = f"{AREA_NAME}（全区）"
CATALOG_COLUMNS = [
    "code", "name_zh", "unit", "areas", "judged_on", "comparison", "target", "baseline_year",
    "nature", "plan_reference", "yearly_value", "source_datasets", "required_datasets",
    "plan_start", "plan_end",
]
# Areas of the plan, by indicator code prefix (used when the catalog has no group column).
PLAN_GROUPS = [
    ("PS_", "安全生产"),
    ("ND_", "自然灾害"),
    ("FF_", "森林防火"),
    ("GEO_", "监测预警"),
    ("RIVER_", "监测预警"),
    ("CONVECTIVE_", "监测预警"),
    ("SUDDEN_", "监测预警"),
    ("RESCUE_", "救援力量"),
    ("COMMUNITY_", "救援力量"),
    ("ENFORCEMENT_", "救援力量"),
    ("DISTRICT_DRILLS", "救援力量"),
    ("RESERVE_", "物资保障"),
    ("HYDRANT_", "基础设施"),
    ("ROAD_", "基础设施"),
    ("BRIDGE_", "基础设施"),
    ("OLD_COMMUNITY", "基础设施"),
    ("MINE_", "矿山安全"),
]


GROUP_ORDER = list(dict.fromkeys(g for _, g in PLAN_GROUPS)) + ["其他"]


def group_rank(group) -> int:
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def plan_group(code: str) -> str:
    for prefix, group in PLAN_GROUPS:
        if code.startswith(prefix):
            return group
    return "其他"


def core_rank(plan_reference) -> int | None:
    """核心指标N -> N (the plan's six core indicators come first)."""
    m = re.match(r"\s*核心指标\s*(\d+)", str(plan_reference or ""))
    return int(m.group(1)) if m else None


def catalog() -> pd.DataFrame:
    """The indicator catalog, one row per code, with `group` and `core` added for layout."""
    if data.has_table("seeds.indicator_catalog"):
        cat = data.query("SELECT * FROM seeds.indicator_catalog")
    elif (settings.SEEDS_DIR / "indicator_catalog.csv").exists():
        cat = pd.read_csv(settings.SEEDS_DIR / "indicator_catalog.csv", dtype=str)
    else:
        cat = pd.DataFrame(columns=["code"])
        if data.has_table("marts.indicator_values"):
            cols = set(data.columns("marts.indicator_values"))
            extra = [c for c in ("name_zh", "unit") if c in cols]
            sel = ", ".join(["indicator_code AS code"] + [f"any_value({c}) AS {c}" for c in extra])
            cat = data.query(f"SELECT {sel} FROM marts.indicator_values GROUP BY 1")
    if "code" not in cat.columns and "indicator_code" in cat.columns:
        cat = cat.rename(columns={"indicator_code": "code"})
    for col in CATALOG_COLUMNS:
        if col not in cat.columns:
            cat[col] = None
    cat["name_zh"] = cat["name_zh"].fillna(cat["code"])
    for col in ("target", "baseline_year"):
        cat[col] = pd.to_numeric(cat[col], errors="coerce")
    group_col = next((c for c in ("plan_area", "group_zh", "area_zh") if c in cat.columns), None)
    cat["group"] = cat[group_col] if group_col else cat["code"].map(plan_group)
    cat["core"] = cat["plan_reference"].map(core_rank)
    cat = cat.drop_duplicates("code")
    return cat.set_index("code", drop=False).rename_axis(None)


TOWNSHIP_TABLES = ("marts.dim_townships", "seeds.townships")
TOP_TOWNS = 50  # townships listed for one indicator and year (highest values first)
# The pages read marts.indicator_values by its dictionary-coded columns (indicator, year, level):
# a filter or a projection on area_code over a national table costs a full scan of the codes.
VALUE_COLUMNS = ["indicator_code", "year", "value", "numerator", "denominator", "flags"]


def township_table() -> str | None:
    """Where the township names are: the mart, else the seed."""
    return next((t for t in TOWNSHIP_TABLES if data.has_table(t)), None)


def townships() -> pd.DataFrame:
    """code9 and name of the district's in-scope (本级) townships, by code (one row per code)."""
    table = township_table()
    if table is None:
        return pd.DataFrame({"code9": [], "name": []})
    scoped = " WHERE CAST(scope AS VARCHAR) LIKE '本级%'" if "scope" in data.columns(table) else ""
    df = data.query(f"SELECT CAST(code9 AS VARCHAR) AS code9, any_value(name) AS name FROM {table}{scoped}"
                    " GROUP BY 1 ORDER BY 1")
    return df


def valid_from(code9: str) -> int | None:
    """The first year a township exists (None: every year)."""
    table = township_table()
    if table is None or "valid_from" not in data.columns(table):
        return None
    df = data.query(f"SELECT max(valid_from) AS y FROM {table} WHERE CAST(code9 AS VARCHAR) = ?", [code9])
    y = df["y"].iloc[0] if len(df) else None
    return None if y is None or pd.isna(y) else int(y)


def with_names(listed_sql: str, code_column: str, order_by: str) -> str:
    """`listed_sql` (a bounded list) with `area_name` beside `code_column`, in `order_by` order.

    Names are looked up for the listed codes only, not joined from the whole township table.
    """
    table = township_table()
    if table is None:
        return f"SELECT f.*, NULL AS area_name FROM ({listed_sql}) f ORDER BY {order_by}"
    return f"""WITH f AS ({listed_sql}),
        n AS (SELECT CAST(code9 AS VARCHAR) AS code9, any_value(name) AS name FROM {table}
              WHERE CAST(code9 AS VARCHAR) IN (SELECT {code_column} FROM f) GROUP BY 1)
        SELECT f.*, n.name AS area_name FROM f LEFT JOIN n ON n.code9 = f.{code_column}
        ORDER BY {order_by}"""


def _district_filter() -> tuple[str, list]:
    if "area_level" in data.columns("marts.indicator_values"):
        return "area_level = 'district'", []
    return "area_code = ?", [DISTRICT]


def district_values(flags: bool = False) -> pd.DataFrame:
    """The district's rows of marts.indicator_values, every indicator and year (a few hundred rows).

    indicator_code, year, value, numerator, denominator (and flags when asked: on a national
    table every column read costs a pass over it). Cached per file version, shared by the pages.
    """
    cols = data.columns("marts.indicator_values")
    want = VALUE_COLUMNS if flags else [c for c in VALUE_COLUMNS if c != "flags"]
    where, params = _district_filter()
    sel = ", ".join(c for c in want if c in cols)
    df = data.query(f"SELECT {sel} FROM marts.indicator_values WHERE {where} ORDER BY indicator_code, year",
                    params)
    for col in want:
        if col not in df.columns:
            df[col] = None
    df["area_code"] = DISTRICT
    return df


def top_townships(code: str, year: int, n: int) -> pd.DataFrame:
    """The n+1 townships with the highest value of one indicator in one year (n+1: more than n?).

    area_code, area_name, value, numerator, denominator; highest first, no value last. The
    ranking reads the indicator, year and value columns only; the listed rows are then fetched
    by row id (their codes and terms are never read for the whole table).
    """
    cols = data.columns("marts.indicator_values")
    level = "area_level = 'township'" if "area_level" in cols else "area_code <> ?"
    params = [code, year] + ([] if "area_level" in cols else [DISTRICT])
    ranked = f"""SELECT rowid AS r FROM marts.indicator_values
                 WHERE indicator_code = ? AND year = ? AND {level}
                 ORDER BY value DESC NULLS LAST LIMIT {int(n) + 1}"""
    listed = f"""SELECT area_code, value, numerator, denominator FROM marts.indicator_values
                 WHERE rowid IN ({ranked})"""
    return data.query(with_names(listed, "area_code", "f.value DESC NULLS LAST, f.area_code"), params)


def progress_years() -> list[int]:
    df = data.query("SELECT DISTINCT as_of_year FROM marts.indicator_progress ORDER BY 1")
    return [int(y) for y in df["as_of_year"]]


def progress(as_of_year: int) -> pd.DataFrame:
    """Progress for one as-of year with the catalog and the district's yearly figures beside it.

    Adds year_value / numerator / denominator (of the as-of year) and prev_value (year before).
    """
    prog = data.query("SELECT * FROM marts.indicator_progress WHERE as_of_year = ?", [as_of_year])
    # Taken from indicator_values below (the progress mart may carry its own copies).
    prog = prog.drop(columns=[c for c in ("year_value", "numerator", "denominator", "prev_value")
                              if c in prog.columns])
    cat = catalog()
    prog = prog.merge(
        cat.drop(columns=[c for c in ("comparison",) if c in prog.columns]),
        left_on="indicator_code", right_on="code", how="left", suffixes=("", "_cat"),
    )
    prog["name_zh"] = prog["name_zh"].fillna(prog["indicator_code"])
    prog["group"] = prog["group"].fillna(prog["indicator_code"].map(plan_group))
    if data.has_table("marts.indicator_values"):
        vals = district_values()[["indicator_code", "year", "value", "numerator", "denominator"]]
        cur = vals[vals["year"] == as_of_year].drop(columns="year").rename(
            columns={"value": "year_value"})
        prev = vals[vals["year"] == as_of_year - 1][["indicator_code", "value"]].rename(
            columns={"value": "prev_value"})
        prog = prog.merge(cur, on="indicator_code", how="left").merge(
            prev, on="indicator_code", how="left")
    for col in ("year_value", "numerator", "denominator", "prev_value"):
        if col not in prog.columns:
            prog[col] = None
    prog["core_sort"] = prog["core"].fillna(99)
    prog["group_sort"] = prog["group"].map(group_rank)
    return prog.sort_values(["core_sort", "group_sort", "indicator_code"]).reset_index(drop=True)
