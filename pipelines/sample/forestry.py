"""Forestry: forest resources and monitoring by township, fires, hazard inspections.

Forest ≈ 112,287 ha in 2023 (coverage 51.4%); fires are rare and small, so the damage rate
stays far below 0.3‰; monitoring coverage sits near the 95% target, sometimes below.
"""

from __future__ import annotations

from datetime import timedelta

from . import facts
from .context import Ctx
from .model import Period

CAUSES = ["农事用火", "祭祀用火", "野外吸烟", "电线短路", "小孩玩火", "原因不明"]


def township_shares(ctx: Ctx) -> dict[str, tuple[float, float]]:
    """Per current township: (share of district land, forest coverage). Urban units are small."""
    rng = ctx.rng("forestry", "land")
    codes = ctx.town_codes(ctx.last_year)
    land = {c: rng.uniform(3000, 7000) if ctx.towns.by_code[c].kind == "街道" else rng.uniform(8000, 16000)
            for c in codes}
    cover = {c: rng.uniform(0.25, 0.45) if ctx.towns.by_code[c].kind == "街道" else rng.uniform(0.45, 0.65)
             for c in codes}
    total = sum(land.values())
    return {c: (land[c] / total, cover[c]) for c in codes}


def forest_by_township(ctx: Ctx, year: int) -> dict[str, tuple[float, float, float]]:
    """(land ha, forest ha, woodland ha) per township reporting that year, scaled to the facts."""
    shares = township_shares(ctx)
    district = facts.FOREST_HA_2023 / (facts.COVERAGE_2023 / 100)
    raw = {c: shares[c][0] * district * shares[c][1] for c in shares}
    k = facts.forest_total(year) / sum(raw.values())
    out: dict[str, list[float]] = {}
    for c in shares:
        unit = ctx.towns.reporting_unit(c, year)
        v = out.setdefault(unit, [0.0, 0.0, 0.0])
        v[0] += shares[c][0] * district
        v[1] += raw[c] * k
        v[2] += raw[c] * k * facts.WOODLAND_HA_2023 / facts.FOREST_HA_2023
    return {c: (round(a, 1), round(f, 1), round(w, 1)) for c, (a, f, w) in out.items()}


def deliver(ctx: Ctx) -> None:
    for y in ctx.years(complete=True):
        rng = ctx.rng("forestry", y)
        fb = forest_by_township(ctx, y)
        rows = [{"year": y, "township": c, "woodland_ha": w, "forest_ha": f,
                 "coverage_pct": round(f / a * 100, 2)} for c, (a, f, w) in fb.items()]
        mu = {"forest_ha": "亩", "woodland_ha": "亩"} if y in (2017, 2021) else None
        ctx.add("forest_resources", Period(y), rows, name=f"{y}年森林资源统计", fmt="xlsx", units=mu)
        base = min(0.99, 0.86 + 0.012 * (y - 2016))
        mon = [{"year": y, "township": c, "forest_ha": f,
                "monitored_forest_ha": round(f * min(1.0, rng.uniform(base - 0.05, base + 0.04)), 1)}
               for c, (_, f, _) in fb.items()]
        ctx.add("fire_monitoring", Period(y), mon, name=f"{y}年森林火情监测覆盖情况")
    for y in ctx.years():
        _fires(ctx, y)
        _inspections(ctx, y)


def _fires(ctx: Ctx, y: int) -> None:
    rng = ctx.rng("forest_fires", y)
    rows = []
    for n in range(rng.choice([0, 1, 1, 2, 3])):
        d = ctx.random_day(rng, y, rng.choice([(1, 4), (8, 8)]))
        at = ctx.random_time(rng, d, (10, 17))
        burned = round(rng.uniform(0.2, 6.0), 2)
        other = rng.random() < 0.15
        rows.append({
            "fire_id": f"LH{y}{n + 1:03d}", "ignited_at": at,
            "extinguished_at": at + timedelta(minutes=rng.randint(90, 720)),
            "township": rng.choice(ctx.town_codes(y)), "location": f"{rng.choice('新华红星长岭石板')}村{rng.randint(1, 9)}社山林",
            "cause": rng.choice(CAUSES), "burned_area_ha": burned,
            "damaged_forest_ha": 0.0 if other else round(burned * rng.uniform(0.3, 0.85), 2),
            "deaths": 0, "serious_injuries": 0, "minor_injuries": rng.choice([0, 0, 1]),
            "direct_loss": round(rng.uniform(0.5, 25), 2), "other_forest_land": other,
        })
    units = {"burned_area_ha": "亩", "damaged_forest_ha": "亩"} if y in (2018, 2022) else None
    ctx.add("forest_fires", Period(y), rows, name=f"{y}年森林火灾统计表", fmt="xlsx", units=units,
            keep=("extinguished_at",))


def _inspections(ctx: Ctx, y: int) -> None:
    rng = ctx.rng("fire_hazard_inspections", y)
    rows, seq = [], 1
    codes = ctx.town_codes(y)
    short = rng.choice(codes) if y in (2018, 2023) else None  # one township below the 2-a-year target
    for c in codes:
        for _ in range(1 if c == short else rng.randint(2, 4)):
            found = rng.randint(2, 18)
            rows.append({"inspection_id": f"PC{y}{seq:04d}", "inspected_on": ctx.random_day(rng, y),
                         "township": c, "hazards_found": found,
                         "hazards_fixed": found - rng.choice([0, 0, 0, 1, 2])})
            seq += 1
    rows.sort(key=lambda r: r["inspected_on"])
    ctx.add("fire_hazard_inspections", Period(y), rows, name=f"{y}年森林草原火灾风险隐患排查整治台账")
