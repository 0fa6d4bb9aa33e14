"""Yearly works: road safety protection works, old-community renovation, fire hydrants.

2021-2025 totals land near the plan's quotas: ≈1,200 km and ≈40 bridges, ≈361万m².
"""

from __future__ import annotations

from .context import Ctx
from .model import Period

ROAD_KM = {2021: 236.4, 2022: 251.8, 2023: 244.1, 2024: 238.6, 2025: 233.9}
BRIDGES = {2021: 7, 2022: 9, 2023: 8, 2024: 9, 2025: 8}
COMMUNITY_AREA = {2019: 18.6, 2020: 34.2, 2021: 66.3, 2022: 79.5, 2023: 77.1, 2024: 72.4, 2025: 67.8}
ROAD_NAMES = ["綦赶路", "东溪至永城公路", "X201县道", "X203县道", "石壕至安稳公路", "三角至隆盛公路",
              "丁山湖旅游公路", "郭扶至篆塘公路", "扶欢至永新公路", "中峰至横山公路", "G210国道綦江段"]


def _split(total: float, n: int, rng) -> list[float]:
    w = [rng.uniform(0.5, 1.5) for _ in range(n)]
    return [round(total * x / sum(w), 2) for x in w]


def deliver(ctx: Ctx) -> None:
    for y in ctx.years(complete=True):
        rng = ctx.rng("works", y)
        codes = ctx.town_codes(y)
        km = ROAD_KM.get(y, rng.uniform(80, 140) if y < 2021 else 200.0)
        n = rng.randint(10, 18)
        bridges = BRIDGES.get(y, rng.randint(2, 5))
        b = [0] * n
        for _ in range(bridges):
            b[rng.randrange(n)] += 1
        rows = [{"year": y, "project": f"{y}年{rng.choice(ROAD_NAMES)}安全生命防护工程（第{i + 1}标段）",
                 "township": rng.choice(codes), "km_completed": k, "bridges_upgraded": b[i] if b[i] or i % 2 else None}
                for i, k in enumerate(_split(km, n, rng))]
        ctx.add("road_safety_works", Period(y), rows, name=f"{y}年公路安全生命防护工程实施情况", fmt="xlsx",
                units={"km_completed": "米"} if y in (2019, 2023) else None, keep=("bridges_upgraded",))
        area = COMMUNITY_AREA.get(y)
        if area:
            n = rng.randint(12, 22)
            rows = [{"year": y, "community": f"{ctx.towns.by_code[c].short}{rng.choice('东南西北')}苑小区{i + 1}期",
                     "township": c, "area_completed": a, "households": int(a * rng.uniform(90, 130))}
                    for i, (a, c) in enumerate(zip(_split(area, n, rng),
                                                   rng.choices(codes, k=n), strict=True))]
            ctx.add("old_community_renovation", Period(y), rows, name=f"{y}年城镇老旧小区改造完成情况",
                    fmt="xlsx", units={"area_completed": "平方米"} if y in (2020, 2022, 2024) else None)
        hyd = []
        for c in codes:
            urban = ctx.towns.by_code[c].kind == "街道"
            req = int((rng.uniform(180, 520) if urban else rng.uniform(15, 70)) * (1 + 0.03 * (y - 2016)))
            hyd.append({"year": y, "township": c, "required": req,
                        "built": int(req * rng.uniform(0.82 + 0.02 * (y - 2016), 1.08))})
        ctx.add("fire_hydrants", Period(y), hyd, name=f"{y}年市政消火栓建设情况")
