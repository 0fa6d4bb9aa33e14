"""Natural-disaster events (event × township), from departments and the bureau's 核报.

Loss averages ~0.7% of GDP with a bad flood year (2020-06-22: first report 43,000 affected and
4220万元, no casualties); deaths ~1 per million a year. The bureau re-reports the bigger events
for their worst townships with its own figures (it wins); the department rows for the other
townships still count.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import facts
from .context import Ctx
from .model import Period, Sheet

# hazard kind: (months, townships touched, size, department dataset, department wording, bureau wording)
KINDS = {
    "洪水": ((5, 9), (3, 7), 10, "flood_drought_events", ["洪涝灾害-洪水", "洪水", "洪涝"], "洪涝灾害-洪水"),
    "山洪": ((5, 9), (1, 3), 4, "flood_drought_events", ["洪涝灾害-山洪", "山洪"], "洪涝灾害-山洪"),
    "内涝": ((6, 8), (1, 2), 2, "flood_drought_events", ["内涝", "洪涝灾害-内涝"], "洪涝灾害-内涝"),
    "干旱": ((7, 8), (8, 14), 6, "flood_drought_events", ["干旱", "干旱灾害"], "干旱灾害"),
    "暴雨": ((5, 8), (2, 5), 5, "weather_disasters", ["暴雨"], "暴雨灾害"),
    "冰雹": ((3, 5), (1, 3), 3, "weather_disasters", ["冰雹"], "风雹灾害"),
    "大风": ((4, 8), (1, 4), 2, "weather_disasters", ["大风"], "风雹灾害"),
    "雷电": ((6, 8), (1, 1), 0.2, "weather_disasters", ["雷电"], "雷电灾害"),
    "高温": ((7, 8), (4, 10), 1.5, "weather_disasters", ["高温"], "高温灾害"),
    "低温阴雨": ((3, 4), (2, 5), 1, "weather_disasters", ["低温阴雨"], "低温冷冻灾害"),
    "雪灾": ((1, 2), (1, 3), 0.8, "weather_disasters", ["雪灾"], "冰雪灾害"),
    "滑坡": ((5, 9), (1, 1), 0.3, "geohazard_events", ["滑坡"], "地质灾害-滑坡"),
    "崩塌": ((4, 9), (1, 1), 0.2, "geohazard_events", ["崩塌"], "地质灾害-崩塌"),
    "泥石流": ((6, 8), (1, 1), 0.3, "geohazard_events", ["泥石流"], "地质灾害-泥石流"),
    "地面塌陷": ((1, 12), (1, 1), 0.1, "geohazard_events", ["地面塌陷"], "地质灾害-地面塌陷"),
    "地震": ((1, 12), (1, 2), 0.2, None, [], "地震灾害"),
    "森林火灾": ((2, 8), (1, 1), 0.05, None, [], "森林火灾"),
    "生物灾害": ((4, 7), (3, 6), 0.6, None, [], "生物灾害"),
}
DEATHS = {2016: 1, 2017: 0, 2018: 1, 2019: 0, 2020: 2, 2021: 1, 2022: 0, 2023: 1, 2024: 0, 2025: 0}
FLAGSHIP = date(2020, 6, 22)  # the flood of reference_facts.csv
FIRST_REPORT = (43000, 4220.0)  # its published first report: affected person-times, loss 万元
FLAGSHIP_FINAL = (61800, 9860.0)  # what the follow-up reports grew to (synthetic)


def _year_plan(rng: random.Random, y: int) -> list[str]:
    kinds = ["洪水"] * rng.randint(1, 2) + ["山洪"] * rng.randint(0, 2) + ["内涝"] * rng.randint(0, 1)
    kinds += ["干旱"] if y == 2022 or rng.random() < 0.25 else []
    kinds += rng.sample(["暴雨", "冰雹", "大风", "雷电", "高温", "低温阴雨", "雪灾"], rng.randint(2, 4))
    kinds += rng.choices(["滑坡", "滑坡", "崩塌", "泥石流", "地面塌陷"], k=rng.randint(2, 4))
    kinds += {2018: ["生物灾害"], 2019: ["地震"], 2022: ["森林火灾"]}.get(y, [])
    return kinds


def _event(ctx: Ctx, rng: random.Random, y: int, kind: str, n: int) -> dict:
    months, (lo, hi), size, *_ = KINDS[kind]
    start = ctx.random_day(rng, y, months)
    if y == FLAGSHIP.year and n == 0:
        start = FLAGSHIP
    if y == 2024 and kind == "洪水":  # a July flood with a 续报 (datasets example file name)
        start = date(2024, 7, rng.randint(3, 25))
    length = rng.randint(20, 45) if kind in ("干旱", "高温") else rng.randint(0, 3)
    towns = rng.sample(ctx.town_codes(y), min(rng.randint(lo, hi), len(ctx.town_codes(y))))
    return {"kind": kind, "id": f"ZH{start:%Y%m%d}{n:02d}", "start": start,
            "end": min(start + timedelta(days=length), ctx.as_of - timedelta(days=1)),
            "rows": [{"township": t, "w": size * rng.uniform(0.3, 1.0)} for t in towns]}


def _fill(rng: random.Random, e: dict, r: dict, affected: int, loss: float) -> None:
    wet = e["kind"] in ("洪水", "山洪", "内涝", "暴雨", "冰雹", "大风", "干旱", "低温阴雨", "雪灾", "生物灾害")
    r.update(event_id=e["id"], hazard=e["kind"], started_on=e["start"], ended_on=e["end"],
             affected_person_times=max(1, affected), deaths=0, missing=0,
             injured=rng.choice([0, 0, 0, 1, 2]) if e["kind"] not in ("干旱", "高温") else 0,
             direct_loss=round(max(loss, 0.5), 2))
    if e["kind"] in ("洪水", "山洪", "内涝", "暴雨", "滑坡", "崩塌", "泥石流"):
        r["relocated_person_times"] = int(affected * rng.uniform(0.03, 0.15))
        r["houses_collapsed"] = rng.randint(0, 4)
        r["houses_severely_damaged"] = rng.randint(0, 12)
        r["houses_damaged"] = rng.randint(2, 60)
    if e["kind"] not in ("雷电",):
        r["needing_aid_person_times"] = int(affected * rng.uniform(0.01, 0.08))
    if wet:
        ca = round(affected * rng.uniform(0.02, 0.06), 1)
        cd = round(ca * rng.uniform(0.35, 0.7), 1)
        r.update(crop_affected_ha=ca, crop_damaged_ha=cd, crop_lost_ha=round(cd * rng.uniform(0.05, 0.35), 1))


def world(ctx: Ctx) -> list[dict]:
    """Events with their township rows, figures as the department last reported them."""
    events = []
    for y in ctx.years():
        rng = ctx.rng("disasters", y)
        evs = [_event(ctx, rng, y, k, n) for n, k in enumerate(_year_plan(rng, y))]
        share = 1.2 if y == 2020 else rng.uniform(0.35, 0.7)  # % of GDP; 十三五 mean ≈ 0.7
        part = ctx.last_month / 12 if y == ctx.last_year else 1.0
        loss_budget = facts.gdp(y) * 10000 * share / 100 * part
        aff_budget = (105000 if y == 2020 else 98000 if y == 2022 else rng.uniform(45000, 85000)) * part
        rows = [(e, r) for e in evs for r in e["rows"]]
        wsum = sum(r["w"] for _, r in rows)
        for e, r in rows:
            _fill(rng, e, r, int(aff_budget * r["w"] / wsum * rng.uniform(0.8, 1.2)),
                  loss_budget * r["w"] / wsum * rng.uniform(0.8, 1.2))
        for e in evs:
            if e["start"] == FLAGSHIP:
                _rescale(e, FLAGSHIP_FINAL)
        for _ in range(DEATHS.get(y, 0)):
            e, r = rng.choice([(e, r) for e, r in rows if e["kind"] in ("洪水", "山洪", "滑坡", "泥石流")])
            r["deaths"] += 1
        events.extend(evs)
    return events


def _rescale(e: dict, totals: tuple[int, float]) -> None:
    fa = totals[0] / sum(r["affected_person_times"] for r in e["rows"])
    fl = totals[1] / sum(r["direct_loss"] for r in e["rows"])
    for r in e["rows"]:
        r["affected_person_times"] = int(r["affected_person_times"] * fa)
        r["direct_loss"] = round(r["direct_loss"] * fl, 2)
        for k in ("relocated_person_times", "needing_aid_person_times"):
            if r.get(k) is not None:
                r[k] = min(int(r[k] * fa), r["affected_person_times"])
    e["rows"][0]["affected_person_times"] += totals[0] - sum(r["affected_person_times"] for r in e["rows"])


def _dept_row(rng: random.Random, e: dict, r: dict) -> dict:
    out = {k: v for k, v in r.items() if k != "w"}
    out["hazard"] = rng.choice(KINDS[e["kind"]][4])
    return out


def _bureau_rows(rng: random.Random, e: dict) -> list[dict]:
    """The bureau verifies the worst townships of a bigger event: its figures differ a little."""
    dept = KINDS[e["kind"]][3]
    rows = sorted(e["rows"], key=lambda r: -r["direct_loss"])
    keep = rows if dept is None else rows[: max(1, (len(rows) * 3) // 5)]
    out = []
    for r in keep:
        b = {k: v for k, v in r.items() if k != "w"}
        if dept is not None:
            f = rng.uniform(0.9, 1.15)
            b["affected_person_times"] = max(b["deaths"], int(b["affected_person_times"] * f))
            b["direct_loss"] = round(b["direct_loss"] * rng.uniform(0.9, 1.15), 2)
        b.update(hazard=KINDS[e["kind"]][5], report_stage="核报")
        out.append(b)
    return out


def deliver(ctx: Ctx) -> None:
    events = world(ctx)
    rng = ctx.rng("disasters", "deliver")
    dept: dict[str, list[dict]] = {}
    bureau: list[dict] = []
    for e in events:
        ds = KINDS[e["kind"]][3]
        if ds:
            dept.setdefault(ds, []).extend(_dept_row(rng, e, r) for r in e["rows"])
        if ds is None or sum(r["direct_loss"] for r in e["rows"]) > 600 or e["start"] == FLAGSHIP:
            bureau.extend(_bureau_rows(rng, e))
    _flood_files(ctx, rng, dept.get("flood_drought_events", []))
    _weather_files(ctx, dept.get("weather_disasters", []))
    for y in ctx.years():
        rows = [r for r in dept.get("geohazard_events", []) if r["started_on"].year == y]
        ctx.add("geohazard_events", Period(y), rows, name=f"{y}年地质灾害灾情统计",
                fmt="xls" if y <= 2019 else rng.choice(["xlsx", "csv"]))
        rows = [r for r in bureau if r["started_on"].year == y]
        ctx.add("disaster_reports", Period(y), rows, name=f"{y}年自然灾害灾情统计", fmt="xlsx",
                keep=("report_stage", "relocated_person_times"),
                units={"crop_affected_ha": "亩", "crop_damaged_ha": "亩", "crop_lost_ha": "亩"} if y % 2 else None)


def _flood_files(ctx: Ctx, rng: random.Random, rows: list[dict]) -> None:
    for y in ctx.years():
        yr = [r for r in rows if r["started_on"].year == y]
        if y <= 2018:
            ctx.add("flood_drought_events", Period(y), yr, name=f"{y}年洪旱灾害灾情统计", fmt="xlsx")
            continue
        for m in sorted({r["started_on"].month for r in yr}):
            p = Period(y, month=m)
            mr = [r for r in yr if r["started_on"].month == m]
            revised = (y, m) in ((2020, 6), (2024, 7))
            if revised:
                _first_report(ctx, p, mr)
            ctx.add("flood_drought_events", p, [dict(r, report_stage="续报") if revised else r for r in mr],
                    name=f"{p.label(m)}_续报" if revised else p.label(m), keep=("report_stage",))


def _first_report(ctx: Ctx, p: Period, rows: list[dict]) -> None:
    """The 初报: early, lower figures and one township later found unaffected (removed)."""
    rng = ctx.rng("disasters", "first", p.year, p.month)
    first = [dict(r, report_stage="初报", deaths=0, missing=0) for r in rows]
    e0 = first[0]
    unaffected = set(ctx.town_codes(p.year)) - {r["township"] for r in rows if r["event_id"] == e0["event_id"]}
    first.append(dict(e0, township=sorted(unaffected)[rng.randrange(len(unaffected))],  # gone from the 续报
                      relocated_person_times=0, needing_aid_person_times=0))
    flag = [f for f in first if f["started_on"] == FLAGSHIP]
    targets = FIRST_REPORT if flag else None
    group = flag or [f for f in first if f["event_id"] == e0["event_id"]]
    if targets is None:  # another month: the first report saw about two thirds
        targets = (int(sum(f["affected_person_times"] for f in group) * 0.65),
                   round(sum(f["direct_loss"] for f in group) * 0.6, 2))
    _rescale({"rows": group}, targets)
    for f in group:  # the rounding remainder of the loss goes to the first row
        f["direct_loss"] = round(f["direct_loss"], 2)
    group[0]["direct_loss"] = round(group[0]["direct_loss"] + targets[1] - sum(f["direct_loss"] for f in group), 2)
    ctx.add("flood_drought_events", p, first, name=f"{p.label(0)}_初报" if p.year == 2024 else p.label(1),
            keep=("report_stage",))


def _weather_files(ctx: Ctx, rows: list[dict]) -> None:
    for y in ctx.years():
        yr = [r for r in rows if r["started_on"].year == y]
        if y <= 2017:
            ctx.add("weather_disasters", Period(y), yr, name=f"{y}年气象灾害灾情统计", fmt="xls")
            continue
        sheets = [Sheet(f"{m}月", [r for r in yr if r["started_on"].month == m]) for m in ctx.months(y)]
        sheets.append(Sheet("填表说明", [], note="灾情数据以区应急管理局核定为准；受灾人口按人次统计。"))
        ctx.add("weather_disasters", Period(y), sheets, name=f"{y}年气象灾害灾情统计表", fmt="xlsx")
