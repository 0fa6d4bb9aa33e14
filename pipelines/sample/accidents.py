"""Production-safety accidents: one world list, delivered by the bureau and three sectors.

Deaths run about 30 a year in 2016-2020 and fall ~10% by 2025; a handful of 较大 accidents
before 2021 and one after. Some accidents sit in both the bureau's register and a sector list
(same accident_id, sometimes slightly different figures); some reported grades are wrong.
"""

from __future__ import annotations

import random
from datetime import timedelta

from .context import Ctx
from .model import Period

# Yearly death budget (all industries, road traffic included).
DEATHS = {2016: 31, 2017: 30, 2018: 32, 2019: 29, 2020: 29, 2021: 28, 2022: 28, 2023: 27,
          2024: 27, 2025: 26}
MAJOR_YEARS = {2016: 1, 2017: 1, 2019: 1, 2020: 1, 2023: 1}  # 较大 accidents
INDUSTRY_MIX = [("道路运输", 55), ("建筑施工", 12), ("工矿商贸", 12), ("非煤矿山", 4),
                ("水上运输", 3), ("危险化学品", 2), ("消防火灾", 5), ("特种设备", 3),
                ("农业机械", 2), ("其他", 2)]
TYPES = {"道路运输": ["车辆伤害"], "水上运输": ["淹溺"], "建筑施工": ["高处坠落", "物体打击", "坍塌"],
         "工矿商贸": ["机械伤害", "物体打击", "起重伤害", "触电"], "非煤矿山": ["坍塌", "放炮", "物体打击"],
         "危险化学品": ["中毒和窒息", "其他爆炸"], "消防火灾": ["火灾"], "特种设备": ["起重伤害"],
         "农业机械": ["车辆伤害"], "其他": ["其他伤害", "淹溺"]}
ROADS = ["G75兰海高速", "G210国道", "S104省道", "綦万快速通道", "X203县道", "綦赶路", "东溪至赶水公路", "通惠大道"]
VEHICLES = ["小型轿车", "重型货车", "摩托车", "电动自行车", "中型客车", "三轮汽车", "轻型货车"]
SECTOR = {"道路运输": "road_traffic_accidents", "水上运输": "waterway_accidents",
          "建筑施工": "construction_accidents"}


def _grade(deaths: int, serious: int, loss: float) -> str:
    if deaths >= 30 or serious >= 100 or loss >= 10000:
        return "特别重大"
    if deaths >= 10 or serious >= 50 or loss >= 5000:
        return "重大"
    if deaths >= 3 or serious >= 10 or loss >= 1000:
        return "较大"
    return "一般"


def fake_id(rng: random.Random) -> str:
    """An 18-character 身份证号 shape (random, not a real person): masked at ingestion."""
    body = f"500222{rng.randint(1960, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    return body + rng.choice("0123456789X")


def fake_mobile(rng: random.Random) -> str:
    return f"1{rng.choice(['39', '58', '77', '86', '99'])}{rng.randint(10000000, 99999999)}"


def _summary(rng, a: dict, town: str) -> str:
    hurt = [f"{a['deaths']}人死亡" if a["deaths"] else "", f"{a['serious_injuries']}人重伤" if a["serious_injuries"] else ""]
    hurt = "、".join(h for h in hurt if h)
    s = f"{a['occurred_at']:%H}时许，{town}境内发生一起{a['accident_type']}事故，"
    s += f"造成{hurt}。" if hurt else "未造成人员伤亡。"
    if rng.random() < 0.15:
        s += f"当事人{rng.choice('王李张刘陈杨')}某某（身份证号{fake_id(rng)}，联系电话{fake_mobile(rng)}）已被控制。"
    elif rng.random() < 0.1:
        s += f"现场负责人电话{fake_mobile(rng)}。"
    return s


def _one(ctx: Ctx, rng: random.Random, year: int, seq: int, industry: str, deaths: int) -> dict:
    d = ctx.random_day(rng, year)
    at = ctx.random_time(rng, d)
    town = rng.choice(ctx.town_codes(year))
    serious = rng.choice([0, 0, 0, 1, 1, 2]) if deaths < 3 else rng.randint(0, 3)
    loss = round(rng.uniform(3, 60) if industry == "道路运输" else rng.uniform(20, 240), 2)
    if deaths >= 3:
        loss = round(rng.uniform(300, 900), 1)
    a = {
        "accident_id": f"QJSG{year}{seq:03d}", "occurred_at": at, "township": town,
        "industry": industry, "accident_type": rng.choice(TYPES[industry]), "deaths": deaths,
        "missing": 0 if rng.random() < 0.9 else None, "serious_injuries": serious,
        "minor_injuries": rng.randint(0, 4), "direct_loss": loss,
    }
    a["reported_grade"] = _grade(deaths, serious, loss) if rng.random() < 0.8 else None
    a["summary"] = _summary(rng, a, ctx.towns.by_code[town].name)
    if industry == "道路运输":
        a.update(road=rng.choice(ROADS), vehicle_type=rng.choice(VEHICLES), commercial=rng.random() < 0.35)
    elif industry == "水上运输":
        a["vessel"] = f"渝綦{rng.choice(['货', '客', '渡'])}{rng.randint(100, 999)}"
    elif industry == "建筑施工":
        a["project"] = f"綦江区{rng.choice(['古南', '文龙', '三江', '通惠'])}{rng.choice(['安置房', '学校', '道路改造', '商业综合体'])}项目"
    return a


def world(ctx: Ctx) -> list[dict]:
    out = []
    for y in ctx.years():
        rng = ctx.rng("accidents", y)
        budget = DEATHS.get(y, 26)
        if y == ctx.last_year and ctx.last_month < 12:
            budget = round(budget * ctx.last_month / 12)
        seq, left = 1, budget
        for _ in range(MAJOR_YEARS.get(y, 0)):
            out.append(_one(ctx, rng, y, seq, rng.choice(["建筑施工", "道路运输", "非煤矿山"]), 3))
            seq, left = seq + 1, left - 3
        inds, weights = zip(*INDUSTRY_MIX, strict=True)
        while left > 0:
            d = min(left, rng.choices([0, 1, 2], [25, 62, 13])[0])
            out.append(_one(ctx, rng, y, seq, rng.choices(inds, weights)[0], d))
            seq, left = seq + 1, left - d
    _mismatches(ctx, out)
    return sorted(out, key=lambda a: a["occurred_at"])


def _mismatches(ctx: Ctx, acc: list[dict]) -> None:
    """Reported grades that disagree with the computed one (the bureau must not trust them)."""
    rng = ctx.rng("accidents", "mismatch")
    by_year = {}
    for a in acc:
        by_year.setdefault(a["occurred_at"].year, []).append(a)
    if 2018 in by_year:  # loss over 1000万 with one death: 较大 computed, 一般 reported
        a = next(a for a in by_year[2018] if a["deaths"] == 1 and a["industry"] != "道路运输")
        a.update(direct_loss=1050.0, reported_grade="一般")
    if 2022 in by_year:  # two deaths reported as 较大
        a = next((a for a in by_year[2022] if a["deaths"] == 2), by_year[2022][0])
        a["reported_grade"] = "较大"
    if 2024 in by_year:  # a wording the soft domain does not know: flagged, not quarantined
        rng.choice([a for a in by_year[2024] if a["industry"] not in SECTOR])["reported_grade"] = "一般事故"


def _in_register(rng: random.Random, a: dict) -> bool:
    if a["industry"] not in SECTOR:
        return True
    share = {"道路运输": 0.35, "建筑施工": 0.6, "水上运输": 1.0}[a["industry"]]
    return a["deaths"] > 0 and rng.random() < share


def _sector_copy(rng: random.Random, a: dict, in_register: bool) -> dict:
    """The sector's version: sometimes slightly different figures from the bureau's."""
    b = dict(a)
    if in_register and rng.random() < 0.4:
        b["direct_loss"] = round(a["direct_loss"] * rng.uniform(0.85, 1.1), 2)
        if rng.random() < 0.3:
            b["serious_injuries"] = a["serious_injuries"] + 1
    if rng.random() < 0.5:  # sectors often leave 行业类别 out (the contract defaults it)
        b.pop("industry")
    return b


def deliver(ctx: Ctx) -> None:
    acc = world(ctx)
    rng = ctx.rng("accidents", "split")
    register, sector = [], {k: [] for k in SECTOR.values()}
    for a in acc:
        reg = _in_register(rng, a)
        if reg:
            register.append(a)
        if a["industry"] in SECTOR:
            sector[SECTOR[a["industry"]]].append(_sector_copy(rng, a, reg))
    _register_files(ctx, register)
    _road_files(ctx, sector["road_traffic_accidents"])
    for y in ctx.years():
        rows = [a for a in sector["waterway_accidents"] if a["occurred_at"].year == y]
        ctx.add("waterway_accidents", Period(y), rows, name=f"{y}年水上交通事故统计", keep=("vessel",))
        rows = [a for a in sector["construction_accidents"] if a["occurred_at"].year == y]
        ctx.add("construction_accidents", Period(y), rows, name=f"{Period(y).label(y)}建设施工安全事故",
                fmt="xls" if y in (2016, 2017) else "xlsx", units={"direct_loss": "元"} if y % 3 == 0 else None)


def in_period(rows: list[dict], p: Period, key: str) -> list[dict]:
    lo, hi = p.months
    return [r for r in rows if r[key].year == p.year and lo <= r[key].month <= hi]


def _register_files(ctx: Ctx, register: list[dict]) -> None:
    for y in ctx.years():
        for p in ctx.periods_recent(y):
            rows = in_period(register, p, "occurred_at")
            fmt = "xlsx" if p.month is None else "csv"
            spec = ctx.add("production_accidents", p, rows, name=f"{p.label(0)}生产安全事故台账", fmt=fmt,
                           keep=("summary", "reported_grade"))
            if y == 2019 and rows:
                _correction(ctx, spec, rows)


def _correction(ctx: Ctx, later, rows: list[dict]) -> None:
    """2019: a first file with one more accident and an older death toll, then a 更正 file."""
    rng = ctx.rng("accidents", "correction")
    old = [dict(r) for r in rows]
    extra = dict(old[-1], accident_id=f"QJSG2019{900}", deaths=1, serious_injuries=0,
                 summary="经调查，该起事件不属于生产安全事故。", reported_grade="一般")
    extra["occurred_at"] = old[-1]["occurred_at"] - timedelta(days=3)
    old.insert(len(old) // 2, extra)  # the row the correction removes
    died_later = next((r for r in old if r["deaths"] >= 1 and r is not extra), None)
    if died_later:  # one seriously injured person died later: the first file has one death fewer
        died_later.update(deaths=died_later["deaths"] - 1, serious_injuries=died_later["serious_injuries"] + 1)
    later.name = later.name.replace(".xlsx", "_更正.xlsx")
    ctx.files.remove(later)
    ctx.add("production_accidents", Period(2019), old, name="2019年生产安全事故台账", fmt="xlsx",
            keep=("summary", "reported_grade"), style_key=str(rng.random()))
    ctx.files.append(later)


def _road_files(ctx: Ctx, rows: list[dict]) -> None:
    for y in ctx.years():
        if y <= 2018:
            ctx.add("road_traffic_accidents", Period(y), in_period(rows, Period(y), "occurred_at"),
                    name=f"{y}年道路交通事故统计", fmt="xls", keep=("road", "vehicle_type", "commercial"))
            continue
        periods = [Period(y, quarter=q) for q in range(1, 5)] if y < ctx.last_year else ctx.periods_recent(y)
        for i, p in enumerate(periods):
            ctx.add("road_traffic_accidents", p, in_period(rows, p, "occurred_at"),
                    name=p.label(i + y), keep=("road", "vehicle_type", "commercial"))
