"""Meteorology and water: warning signals, sudden-event monitoring, small-river coverage.

Convective warnings lead their onset by ~40-80 minutes (improving over the years); some
warnings never verify (onset blank) and a few are issued after the weather began.
"""

from __future__ import annotations

from datetime import timedelta

from .context import Ctx
from .model import Period

WARNINGS = [("暴雨", 18, (4, 9)), ("雷电", 18, (4, 9)), ("大风", 9, (3, 8)), ("冰雹", 4, (3, 5)),
            ("短时强降水", 10, (5, 9)), ("高温", 14, (6, 9)), ("寒潮", 3, (11, 12)), ("大雾", 10, (1, 12)),
            ("道路结冰", 2, (1, 2)), ("干旱", 3, (7, 9)), ("森林火险", 4, (1, 4))]
CONVECTIVE = {"雷电", "冰雹", "大风", "短时强降水"}
LEVELS = ["蓝色", "黄色", "黄色", "橙色", "红色"]
RIVERS = ["綦江河", "蒲河", "通惠河", "清溪河", "藻渡河", "洋渡河", "羊渡河", "丁山河", "笋溪河",
          "郭扶河", "三角河", "永城河", "赶水河", "石壕河", "东溪河"]
SUDDEN = ["暴雨", "短时强降水", "冰雹", "大风", "雷电", "高温", "干旱", "低温阴雨", "雪灾"]


def _warning(ctx: Ctx, rng, y: int, kind: str, months) -> dict:
    at = ctx.random_time(rng, ctx.random_day(rng, y, months), (0, 23))
    # Convective lead times improve over the years; other types verify hours later.
    lead = rng.gauss(38 + 3 * (y - 2016), 15) if kind in CONVECTIVE else rng.uniform(60, 720)
    r = rng.random()
    if r < 0.1:  # the forecast weather did not occur
        onset = None
    elif r < 0.13:  # issued after the weather had begun
        onset = at - timedelta(minutes=rng.randint(5, 20))
    else:
        onset = at + timedelta(minutes=max(5, int(lead)))
    if onset and onset.date() >= ctx.as_of:
        onset = None
    towns = [] if rng.random() < 0.5 else rng.sample(ctx.town_codes(y), rng.randint(2, 6))
    return {"warning_type": kind, "level": rng.choice(LEVELS), "issued_at": at, "onset_at": onset,
            "townships": towns or None}


def deliver(ctx: Ctx) -> None:
    kinds, weights, months = zip(*WARNINGS, strict=True)
    for y in ctx.years():
        rng = ctx.rng("weather_warnings", y)
        ws = []
        for _ in range(rng.randint(60, 95)):
            k = rng.choices(range(len(kinds)), weights)[0]
            ws.append(_warning(ctx, rng, y, kinds[k], months[k]))
        ws.sort(key=lambda w: w["issued_at"])
        for i, w in enumerate(ws):
            w["warning_id"] = f"YJ{y}{i + 1:04d}"
        periods = [Period(y, quarter=q) for q in range(1, 5)] if y < ctx.last_year else ctx.periods_recent(y)
        for p in periods:
            lo, hi = p.months
            rows = [w for w in ws if lo <= w["issued_at"].month <= hi]
            if (y, p.quarter) == (2023, 2):
                # v1 carries a test signal recorded by mistake; v2 (xls) drops it.
                ctx.add("weather_warnings", p, rows + [dict(rows[-1], warning_id=f"YJ{y}9001")],
                        name="2023Q2", keep=("onset_at", "townships"))
                ctx.add("weather_warnings", p, rows, name="2023Q2_v2", fmt="xls", keep=("onset_at", "townships"))
                continue
            ctx.add("weather_warnings", p, rows, name=f"{p.label(y)}预警信号发布情况",
                    fmt="xls" if y <= 2017 else "csv", keep=("onset_at", "townships"))
        _sudden(ctx, y)
    _rivers(ctx)


def _sudden(ctx: Ctx, y: int) -> None:
    rng = ctx.rng("sudden_event_monitoring", y)
    rate = rng.choice([0.86, 0.9, 0.93, 0.95, 0.97])
    rows = [{"occurred_on": ctx.random_day(rng, y, (3, 9)), "hazard": rng.choice(SUDDEN),
             "township": rng.choice(ctx.town_codes(y)), "detected": rng.random() < rate}
            for _ in range(rng.randint(15, 35))]
    rows.sort(key=lambda r: r["occurred_on"])
    for i, r in enumerate(rows):
        r["event_id"] = f"TF{y}{i + 1:03d}"
    ctx.add("sudden_event_monitoring", Period(y), rows, name=f"{y}年突发气象灾害监测统计")


def _rivers(ctx: Ctx) -> None:
    rng = ctx.rng("rivers")
    flows = {r: rng.sample(ctx.town_codes(ctx.last_year), rng.randint(1, 4)) for r in RIVERS}
    order = rng.sample(RIVERS, len(RIVERS))  # rivers get warning capability in this order
    for y in ctx.years(complete=True):
        n = min(len(RIVERS), 8 + (y - 2016) * 5 // 9 if y < 2021 else 11 + (y - 2020) // 2)
        rows = [{"year": y, "river": r,
                 "townships": [ctx.towns.reporting_unit(c, y) for c in flows[r]],
                 "warning_covered": r in order[:n]} for r in RIVERS]
        for r in rows:
            r["townships"] = sorted(set(r["townships"]))
        ctx.add("river_warning_coverage", Period(y), rows, name=f"{y}年中小河流预警覆盖情况")
