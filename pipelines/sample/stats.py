"""Statistics bureau: resident population by township and district GDP with vintages."""

from __future__ import annotations

from . import facts
from .context import Ctx
from .model import Period


def _split(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Integer shares summing exactly to total (largest remainder)."""
    s = sum(weights.values())
    raw = {k: total * w / s for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: out[k] - raw[k])[: total - sum(out.values())]:
        out[k] += 1
    return out


def population_weights(ctx: Ctx, year: int) -> dict[str, float]:
    rng = ctx.rng("population", "weights")
    base = {c: (rng.uniform(60, 160) if ctx.towns.by_code[c].kind == "街道" else rng.uniform(18, 45))
            for c in ctx.town_codes(ctx.last_year)}
    out: dict[str, float] = {}
    for c, w in base.items():  # towns shrink, urban units grow a little each year
        drift = 1 + (0.008 if ctx.towns.by_code[c].kind == "街道" else -0.006) * (year - 2016)
        unit = ctx.towns.reporting_unit(c, year)
        out[unit] = out.get(unit, 0) + w * drift
    return out


def deliver(ctx: Ctx) -> None:
    for y in ctx.years(complete=True):
        rng = ctx.rng("population", y)
        res = _split(facts.resident(y), population_weights(ctx, y))
        reg = _split(facts.registered(y), {c: v * rng.uniform(1.0, 1.3) for c, v in res.items()})
        rows = [{"year": y, "township": c, "resident_population": res[c], "registered_population": reg[c],
                 "scope": rng.choice([None, "本级"]) if y % 2 else None} for c in res]
        units = {"resident_population": "万人", "registered_population": "万人"} if y in (2018, 2022) else None
        ctx.add("population", Period(y), rows, name=f"{y}年常住人口统计", fmt="xlsx", units=units,
                keep=("registered_population",))
        _gdp(ctx, y)


def _gdp(ctx: Ctx, y: int) -> None:
    prelim, final = facts.GDP.get(y, (facts.gdp(y), None))
    row = {"year": y, "gdp_index": facts.GDP_INDEX.get(y, 105.0), "scope": "本级" if y >= 2021 else None}
    ctx.add("gdp", Period(y), [dict(row, gdp_current=prelim, vintage="初步核算")],
            name=f"{y}年地区生产总值", fmt="xlsx", units={"gdp_current": "万元"} if y % 4 == 1 else None,
            keep=("gdp_index", "scope"), messy=False)
    if final and y + 1 < ctx.last_year + (ctx.last_month >= 10):  # verified about a year later
        ctx.add("gdp", Period(y), [dict(row, gdp_current=final, vintage="最终核实")],
                name=f"{y}年地区生产总值_核报", fmt="xlsx" if y % 2 else "xls", keep=("gdp_index", "scope"),
                messy=False)
