"""`areas=N`: a synthetic country of N township-level areas at national volume, streamed.

Files carry the sample's mess, chosen per dataset and year with the sample's own department
habits (styles.make_style, writers.Renderer): title and units rows, header aliases, a totals row,
blank rows, a footer, sequence and remark columns, full-width digits, thousands separators,
township names, short names or codes, date and boolean spellings; CSV in UTF-8, UTF-8 with BOM or
GB18030, and the statistics bureau's files as .xlsx. With bad_inputs, about one row in 20,000 of the
event and accident registers names a township that does not exist (quarantined as unknown_township). Rows are produced by generators
and written one at a time, so memory does not grow with N; (dataset, year) files are written by a
pool of worker processes. The matching townships seed (same columns as
dbt_project/seeds/townships.csv) is written beside the landing zone as `<out_dir>.townships.csv`;
a deployment built from it (pipelines/bench/deployment.py, EMSTATS_DBT_PROJECT_DIR) serves the
synthetic world.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

from pipelines.ingest.contracts import all_contracts
from pipelines.settings import SEEDS_DIR

from .context import Ctx
from .model import Period, Style
from .styles import make_style
from .towns import Town, Towns
from .writers import BOOLS, FIXED_CREATED, _date_text, _num_text

Row = dict
# Bump when the files written for the same arguments change (make bench caches landing zones by it).
GENERATOR_VERSION = 3


def synthetic_towns(n: int, path: Path) -> Towns:
    """N in-scope areas (every fifth a 街道), one split off in 2020, two out-of-scope units."""
    with (SEEDS_DIR / "townships.csv").open(encoding="utf-8") as fh:
        columns = next(csv.reader(fh))
    towns = []
    for i in range(1, n + 1):
        kind = "街道" if i % 5 == 1 else "镇"
        towns.append(Town(f"9{i:08d}", f"合成{i}{kind}", kind, True, (f"合成{i}",), None))
    if n > 1:  # the last area splits from the first in 2020, as 通惠街道 did from 文龙街道
        t = towns[-1]
        towns[-1] = Town(t.code, t.name, t.kind, True, t.aliases, 2020, f"split from {towns[0].name} in 2020")
    towns += [Town(f"8{i:08d}", f"域外{i}镇", "镇", False, (f"域外{i}",), None) for i in (1, 2)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, columns)
        w.writeheader()
        for t in towns:
            w.writerow({"code9": t.code, "code12": t.code + "000", "name": t.name, "kind": t.kind,
                        "scope": "本级" if t.in_scope else "域外(out of scope)", "aliases": "|".join(t.aliases),
                        "valid_from": t.valid_from or "", "note": t.note, "reserve_standard": "yes" if t.in_scope else ""})
    return Towns(towns)


ENCODINGS = ("utf-8", "utf-8", "utf-8-sig", "gb18030", "gb18030")  # GB18030 as office software saves CSV
EXCEL_DATASETS = {"population", "gdp"}  # the statistics bureau delivers workbooks
BAD_ROW_RATE = 1 / 20_000
# Bad rows go into event and accident registers only: in a one-row-per-township-and-year dataset a
# quarantined row leaves a township out of its year, a blocking validation error that would hold
# the dataset's marts back (correct, but then the benchmark measures no marts).
BAD_ROW_DATASETS = {"production_accidents", "road_traffic_accidents", "waterway_accidents",
                    "construction_accidents", "flood_drought_events", "weather_disasters", "geohazard_events",
                    "disaster_reports", "forest_fires", "fire_hazard_inspections", "drills"}
UNKNOWN_TOWNSHIP = "不存在镇"


def file_style(ctx: Ctx, dataset: str, y: int, messy: bool) -> tuple[Style, str, str]:
    """(style, format, encoding) of one file, drawn like a department's habits in the sample."""
    c = all_contracts()[dataset]
    rng = ctx.rng("scale-style", dataset, y)
    period = Period(y)
    st = make_style(c, period, rng, drop_optional=0.0, messy=messy, filed_on=ctx.filed_on(period))
    if not messy:
        st.title = st.units_row = st.footer = None
    fmt = "xlsx" if messy and dataset in EXCEL_DATASETS else "csv"
    return st, fmt, (rng.choice(ENCODINGS) if messy else "utf-8")


def _cell_fn(f, st: Style, towns: Towns, rng: random.Random, y: int) -> Callable:
    """A renderer for one column (Renderer.cell with the per-cell look-ups done once; no unit
    conversion: the synthetic world writes canonical units)."""
    t = f.type
    blank = st.null_token if t in ("int", "num") and not f.required else ""
    if t in ("int", "year", "num"):
        plain = not (st.fullwidth or st.thousands)
        whole = t != "num"

        def num(v):
            if v is None:
                return blank
            if plain and (whole or isinstance(v, int)):
                return str(v)
            return _num_text(round(v, 4) if not whole else v, st, whole)
        return num
    if t in ("date", "datetime"):
        fmt = st.datetime_fmt if t == "datetime" else st.date_fmt
        fmt = "iso" if fmt in ("excel", "serial") else fmt
        return lambda v: blank if v is None else _date_text(v, fmt, t == "datetime")
    if t == "bool":
        yes, no = BOOLS[st.bool_fmt]
        return lambda v: blank if v is None else (yes if v else no)
    if t == "township":
        mode = st.township_fmt
        return lambda v: blank if v is None else towns.render(v, y, mode, rng)
    if t == "township_list":
        def many(v):
            if v is None:
                return blank
            return rng.choice(["、", "，", "、"]).join(towns.render(c, y, st.township_fmt, rng) for c in v)
        return many
    return lambda v: blank if v is None else str(v)


def _grid(c, st: Style, rows: Iterator[Row], y: int, towns: Towns, rng: random.Random,
          bad_rate: float, counts: dict) -> Iterator[list]:
    """The file as rows of cells: title, units row, header, data (blank rows), totals, footer."""
    header = (["序号"] if st.seq_col else []) + [st.headers[f] for f in st.fields]
    header += ["备注"] if st.remark_col else []
    width = len(header)
    if st.title:
        yield [st.title] + [""] * (width - 1)
    if st.units_row:
        yield [st.units_row] + [""] * (width - 1)
    yield header
    fields = [c.field(f) for f in st.fields]
    render = [(f.name, _cell_fn(f, st, towns, rng, y)) for f in fields]
    numeric = [f.name for f in fields if f.type in ("int", "num")]
    totals = dict.fromkeys(numeric, 0.0)
    town_field = next((f.name for f in fields if f.type == "township"), None)
    seq, remark, blank_rows = st.seq_col, st.remark_col, st.blank_rows
    bad_rate = bad_rate if town_field else 0.0
    i = bad_n = 0
    for row in rows:
        if blank_rows and i and i % 17 == 0:
            yield [""] * width
        cells = [str(i + 1)] if seq else []
        cells += [fn(row.get(name)) for name, fn in render]
        if bad_rate and rng.random() < bad_rate:
            cells[int(seq) + st.fields.index(town_field)] = UNKNOWN_TOWNSHIP
            bad_n += 1
        for name in numeric:
            v = row.get(name)
            if v is not None:
                totals[name] += v
        if remark:
            cells.append("")
        i += 1
        yield cells
    counts["rows"], counts["bad"] = i, bad_n
    if st.totals and i:
        tot = [st.totals] + [""] * (width - 1)
        for f in fields:
            if f.name in totals and f.type != "year":
                tot[st.fields.index(f.name) + int(seq)] = _num_text(round(totals[f.name], 4), st, f.type == "int")
        yield tot
    if st.footer:
        yield [""] * width
        parts = st.footer.split("|")
        yield parts + [""] * max(0, width - len(parts))


def write_messy(path: Path, ctx: Ctx, dataset: str, y: int, rows: Iterator[Row], *, messy: bool = True,
                bad_rate: float = 0.0) -> tuple[int, int, int]:
    """Stream one file as a department would deliver it: (data rows, bytes, bad rows)."""
    c = all_contracts()[dataset]
    st, fmt, encoding = file_style(ctx, dataset, y, messy)
    path = path.with_suffix(f".{fmt}")
    path.parent.mkdir(parents=True, exist_ok=True)
    counts = {"rows": 0, "bad": 0}
    grid = _grid(c, st, rows, y, ctx.towns, ctx.rng("scale-cells", dataset, y), bad_rate, counts)
    if fmt == "xlsx":
        wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        wb.set_properties({"created": FIXED_CREATED, "author": "合成", "title": ""})
        ws = wb.add_worksheet()
        for i, cells in enumerate(grid):
            for j, v in enumerate(cells):
                if v != "":
                    ws.write_string(i, j, str(v))
        wb.close()
    else:
        with path.open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh, lineterminator="\r\n").writerows(grid)
    return counts["rows"], path.stat().st_size, counts["bad"]


def _day(rng: random.Random, ctx: Ctx, y: int) -> date:
    return ctx.random_day(rng, y)


def _when(rng, ctx, y) -> datetime:
    return ctx.random_time(rng, _day(rng, ctx, y))


def _per_area(ctx: Ctx, dataset: str, y: int, make: Callable[[random.Random, Town, int], Iterator[Row]]) -> Iterator[Row]:
    for t in ctx.towns.in_scope(y):
        yield from make(ctx.rng("scale", dataset, t.code, y), t, y)


SECTOR_TAG = {None: "", "道路运输": "R", "水上运输": "W", "建筑施工": "C"}


def _accidents(ctx, sector: str | None, rate: list[int]):
    def acc(rng, t, y):
        for k in range(rng.choice(rate)):
            deaths = rng.choices([0, 1, 2, 3], [30, 60, 9, 1])[0]
            yield {"accident_id": f"SG{y}{t.code}{k}{SECTOR_TAG[sector]}", "occurred_at": _when(rng, ctx, y),
                   "township": t.code, "industry": sector or rng.choice(["工矿商贸", "建筑施工", "道路运输", "其他"]),
                   "accident_type": "其他伤害", "deaths": deaths, "missing": 0, "serious_injuries": rng.randint(0, 2),
                   "direct_loss": round(rng.uniform(5, 300), 2)}
    return acc


def _events(ctx, tag: str, hazards: list[str], p: float, bureau: bool = False):
    def ev(rng, t, y):
        if rng.random() < p:
            a = rng.randint(50, 3000)
            d = date(y, rng.randint(5, min(9, ctx.last_month if y == ctx.last_year else 9)), 1)
            region = int(t.code[1:]) // 20
            yield {"event_id": f"ZH{tag}{y}{region:06d}", "hazard": rng.choice(hazards), "started_on": d,
                   "ended_on": d + timedelta(days=2), "township": t.code, "affected_person_times": a,
                   "deaths": 0, "missing": 0, "direct_loss": round(a * rng.uniform(0.05, 0.3) * (1.1 if bureau else 1), 2),
                   "report_stage": "核报" if bureau else None}
    return ev


def _fires(rng, t, y):
    if rng.random() < 0.05:
        b = round(rng.uniform(0.5, 5), 2)
        yield {"fire_id": f"LH{y}{t.code}", "ignited_at": datetime(y, 3, 1, 12), "township": t.code,
               "burned_area_ha": b, "damaged_forest_ha": round(b * 0.5, 2), "deaths": 0, "serious_injuries": 0}


def _yearly(ctx: Ctx):
    """Per dataset: a row maker per area and year (canonical values)."""
    def forest(rng, t, y):
        f = round(random.Random(t.code).uniform(2000, 9000) * (1 + 0.003 * (y - 2016)), 1)
        yield {"year": y, "township": t.code, "forest_ha": f, "woodland_ha": round(f * 1.02, 1), "coverage_pct": 50.0}

    def monitoring(rng, t, y):
        f = next(forest(rng, t, y))["forest_ha"]
        yield {"year": y, "township": t.code, "forest_ha": f, "monitored_forest_ha": round(f * rng.uniform(0.9, 1), 1)}

    def inspections(rng, t, y):
        for k in range(rng.randint(2, 4)):
            n = rng.randint(1, 15)
            yield {"inspection_id": f"PC{y}{t.code}{k}", "inspected_on": _day(rng, ctx, y), "township": t.code,
                   "hazards_found": n, "hazards_fixed": n - rng.randint(0, 1) if n else 0}

    def warnings(rng, t, y):
        for k in range(3):
            at = _when(rng, ctx, y)
            yield {"warning_id": f"YJ{y}{t.code}{k}", "warning_type": rng.choice(["雷电", "暴雨", "大风"]),
                   "level": "黄色", "issued_at": at, "onset_at": at + timedelta(minutes=rng.randint(20, 90)),
                   "townships": [t.code]}

    def sudden(rng, t, y):
        yield {"event_id": f"TF{y}{t.code}", "occurred_on": _day(rng, ctx, y), "hazard": "暴雨",
               "township": t.code, "detected": rng.random() < 0.93}

    def rivers(rng, t, y):
        if int(t.code[1:]) % 3 == 0:
            yield {"year": y, "river": f"{t.name}河", "townships": [t.code], "warning_covered": rng.random() < 0.85}

    def sites(rng, t, y):
        for k in range(random.Random(t.code).randint(8, 16)):
            yield {"year": y, "site_id": f"DZ{t.code}{k:02d}", "township": t.code, "hazard": "滑坡",
                   "mass_monitored": True, "drills": 1, "status": "在册"}

    def works(rng, t, y):
        yield {"year": y, "project": f"{t.name}{y}年生命防护工程", "township": t.code,
               "km_completed": round(rng.uniform(2, 20), 2), "bridges_upgraded": rng.choice([0, 0, 1])}

    def community(rng, t, y):
        if rng.random() < 0.5:
            yield {"year": y, "community": f"{t.name}老旧小区", "township": t.code,
                   "area_completed": round(rng.uniform(0.5, 6), 2), "households": rng.randint(50, 600)}

    def hydrants(rng, t, y):
        r = rng.randint(20, 400)
        yield {"year": y, "township": t.code, "required": r, "built": int(r * rng.uniform(0.85, 1.1))}

    def teams(rng, t, y):
        yield {"team_id": f"DW{t.code}0", "name": f"{t.name}综合应急救援队", "level": "街镇", "kind": "综合",
               "township": t.code, "established": True}
        for k in range(1, 5):
            yield {"team_id": f"DW{t.code}{k}", "name": f"{t.name}社区应急救援站{k}", "level": "社区",
                   "kind": "综合", "township": t.code, "established": rng.random() < 0.95}

    def reserves(rng, t, y):
        yield {"year": y, "store": f"{t.name}应急物资储备点", "level": "街镇", "township": t.code,
               "capacity_people": rng.randint(150, 400)}

    def drills(rng, t, y):
        yield {"drill_id": f"YL{y}{t.code}", "held_on": _day(rng, ctx, y), "level": "街镇", "township": t.code}

    def enforcement(rng, t, y):
        n = rng.randint(4, 12)
        yield {"year": y, "unit": f"{t.name}综合行政执法办公室", "level": "街镇", "officers": n,
               "qualified_officers": int(n * 0.8), "equipment_compliant": rng.random() < 0.9}

    def mines(rng, t, y):
        if int(t.code[1:]) % 2 == 0:
            yield {"year": y, "mine_id": f"FM{t.code}", "name": f"{t.name}采石场", "township": t.code,
                   "mineral": "石灰岩", "status": "生产", "standard_level": "三级", "capacity": 30.0,
                   "key_posts": 10, "mechanized_key_posts": 9}

    def population(rng, t, y):
        yield {"year": y, "township": t.code, "resident_population": random.Random(t.code).randint(8000, 90000)}

    return {"forest_resources": forest, "fire_monitoring": monitoring, "fire_hazard_inspections": inspections,
            "weather_warnings": warnings, "sudden_event_monitoring": sudden, "river_warning_coverage": rivers,
            "geohazard_sites": sites, "road_safety_works": works, "old_community_renovation": community,
            "fire_hydrants": hydrants, "rescue_teams": teams, "reserves": reserves, "drills": drills,
            "law_enforcement": enforcement, "non_coal_mines": mines, "population": population}


def makers(ctx: Ctx) -> dict[str, Callable]:
    m = {
        "production_accidents": _accidents(ctx, None, [0, 0, 1]),
        "road_traffic_accidents": _accidents(ctx, "道路运输", [0, 1, 1, 2]),
        "waterway_accidents": _accidents(ctx, "水上运输", [0] * 19 + [1]),
        "construction_accidents": _accidents(ctx, "建筑施工", [0] * 4 + [1]),
        "flood_drought_events": _events(ctx, "F", ["洪涝", "山洪", "干旱"], 0.3),
        "weather_disasters": _events(ctx, "M", ["暴雨", "冰雹", "大风"], 0.3),
        "geohazard_events": _events(ctx, "G", ["滑坡", "崩塌"], 0.1),
        # the bureau re-reports some flood rows (same event_id and area) with its own figures
        "disaster_reports": _events(ctx, "F", ["洪涝灾害", "干旱灾害"], 0.15, bureau=True),
        "forest_fires": _fires,
    }
    m.update(_yearly(ctx))
    return m


def _tasks(ctx: Ctx) -> list[tuple[str, int]]:
    contracts = all_contracts()
    out = [(d, y) for d in makers(ctx) for y in ctx.years(complete=contracts[d].has_year_column)]
    return out + [("gdp", y) for y in ctx.years(complete=True)]


def _gdp_rows(ctx: Ctx, y: int) -> Iterator[Row]:
    """One GDP row for the whole synthetic district (亿元)."""
    gdp = round(sum(int(t.code[1:]) % 7 + 20 for t in ctx.towns.in_scope(y)) * (1.05 ** (y - 2016)), 2)
    yield {"year": y, "gdp_current": gdp, "vintage": "初步核算"}


_WORKER: dict = {}


def _write_task(task: tuple[str, int]) -> tuple[str, int, int, int]:
    ctx, out_dir, messy, bad_rate = (_WORKER[k] for k in ("ctx", "out_dir", "messy", "bad_rate"))
    dataset, y = task
    c = all_contracts()[dataset]
    rows = _gdp_rows(ctx, y) if dataset == "gdp" else _per_area(ctx, dataset, y, makers(ctx)[dataset])
    n, size, bad = write_messy(out_dir / c.department / dataset / f"{y}年.csv", ctx, dataset, y, rows,
                               messy=messy, bad_rate=bad_rate if dataset in BAD_ROW_DATASETS else 0.0)
    return dataset, n, size, bad


def generate_scaled(out_dir: Path, ctx_args: tuple, areas: int, summary, *, messy: bool = True,
                    bad_inputs: bool = True, workers: int | None = None) -> None:
    """Stream every dataset of an N-area world into out_dir; fills `summary` in place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    seed_path = out_dir.parent / f"{out_dir.name}.townships.csv"
    seed, first_year, last_year, last_month = ctx_args
    ctx = Ctx(seed, first_year, last_year, last_month, synthetic_towns(areas, seed_path))
    summary.townships_csv = seed_path
    _WORKER.update(ctx=ctx, out_dir=out_dir, messy=messy, bad_rate=BAD_ROW_RATE if bad_inputs else 0.0)
    tasks = _tasks(ctx)
    workers = workers or (min(os.cpu_count() or 1, 8) if areas >= 200 else 1)
    if workers > 1:  # fork: the workers inherit the world (_WORKER) instead of pickling it
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            results = pool.map(_write_task, tasks, chunksize=1)
    else:
        results = [_write_task(t) for t in tasks]
    for dataset, n, size, bad in results:
        _count(summary, dataset, n, size)
        summary.bad_rows = getattr(summary, "bad_rows", 0) + bad


def _count(summary, dataset: str, rows: int, size: int) -> None:
    summary.files[dataset] = summary.files.get(dataset, 0) + 1
    summary.rows[dataset] = summary.rows.get(dataset, 0) + rows
    summary.bytes[dataset] = summary.bytes.get(dataset, 0) + size
