"""Preparedness rosters: geohazard sites, drills, rescue teams, reserves, enforcement, mines.

Rosters are delivered for every year including the current one (they describe the present);
coverage rates sit near their targets and occasionally below.
"""

from __future__ import annotations

from datetime import date

from .context import Ctx
from .model import Period

SITE_HAZARDS = ["滑坡"] * 12 + ["崩塌"] * 4 + ["不稳定斜坡"] * 3 + ["泥石流", "地面塌陷"]
VILLAGES = "新华红星长岭石板青龙白云柏林双河金桥大坪"
DRILL_KINDS = ["防汛抢险", "地质灾害避险", "森林防火", "危化品泄漏处置", "消防疏散", "地震应急"]
PRO_TEAMS = ["矿山", "危险化学品", "水上", "桥梁隧道", "油气管线", "地质灾害", "防汛抗旱", "森林消防",
             "电力抢修", "通信保障", "医疗救护", "交通抢通", "市政抢险", "燃气抢险", "供水抢修",
             "建筑工程", "特种设备", "气象保障", "环境监测", "卫生防疫", "道路运输", "工程机械", "山地搜救"]
MINERALS = ["石灰岩"] * 5 + ["砂岩"] * 2 + ["页岩"] * 2 + ["其他"]


def deliver(ctx: Ctx) -> None:
    sites = _sites(ctx)
    _teams(ctx)
    _mines(ctx)
    for y in ctx.years():
        rng = ctx.rng("readiness", y)
        _drills(ctx, rng, y, [s for s in sites.get(y, []) if s["status"] == "在册"])
        _reserves(ctx, rng, y)
        if y >= 2019:
            _enforcement(ctx, rng, y)


def _sites(ctx: Ctx) -> dict[int, list[dict]]:
    rng = ctx.rng("geohazard_sites")
    live, seq, out = [], 1, {}
    for y in ctx.years():
        new = 330 if not live else rng.randint(4, 12)
        for _ in range(new):
            c = rng.choice(ctx.town_codes(ctx.last_year))
            hz = rng.choice(SITE_HAZARDS)
            live.append({"site_id": f"QJDZ{seq:04d}", "name": f"{rng.choice(VILLAGES)}{rng.choice(VILLAGES)}村{hz}",
                         "home": c, "hazard": hz, "scale": rng.choices(["小型", "中型", "大型"], [80, 18, 2])[0],
                         "threatened_people": rng.randint(5, 320), "threatened_property": round(rng.uniform(20, 2500), 1),
                         "professionally_monitored": rng.random() < 0.2})
            seq += 1
        rows = []
        for s in live:
            closed = rng.random() < 0.05
            drills = rng.choices([1, 2, 0, None], [88, 6, 3, 3])[0]
            rows.append({"year": y, "site_id": s["site_id"], "name": s["name"],
                         "township": ctx.towns.reporting_unit(s["home"], y), "hazard": s["hazard"],
                         "scale": s["scale"], "threatened_people": s["threatened_people"],
                         "threatened_property": s["threatened_property"],
                         "mass_monitored": rng.random() > (0.02 if y < 2021 else 0.003),
                         "professionally_monitored": s["professionally_monitored"],
                         "drills": drills, "status": "核销" if closed else "在册"})
        out[y] = rows
        live = [s for s, r in zip(live, rows, strict=True) if r["status"] == "在册"]
        ctx.add("geohazard_sites", Period(y), rows, name=f"{y}年地质灾害隐患点台账",
                fmt="xlsx" if y >= 2018 else "xls", keep=("drills", "name"))
    return out


def _drills(ctx: Ctx, rng, y: int, sites: list[dict]) -> None:
    rows = []
    for _ in range(0 if y == 2016 else rng.choice([1, 1, 2])):
        rows.append({"level": "区级综合", "kind": rng.choice(DRILL_KINDS), "participants": rng.randint(200, 800)})
    for _ in range(rng.randint(3, 6)):
        rows.append({"level": "专项", "kind": rng.choice(DRILL_KINDS), "participants": rng.randint(40, 200)})
    for c in ctx.town_codes(y):
        rows.append({"level": "街镇", "kind": rng.choice(DRILL_KINDS), "township": c, "participants": rng.randint(30, 150)})
    for s in rng.sample(sites, min(len(sites), rng.randint(15, 30))):
        rows.append({"level": "地灾点", "kind": "地质灾害避险", "township": s["township"],
                     "site_id": s["site_id"], "participants": rng.randint(8, 60)})
    for r in rows:
        r["held_on"] = ctx.random_day(rng, y, (3, 11))
    rows.sort(key=lambda r: (r["held_on"], r["level"]))
    for i, r in enumerate(rows):
        r["drill_id"] = f"YL{y}{i + 1:03d}"
    ctx.add("drills", Period(y), rows, name=f"{y}年应急演练开展情况", fmt="xlsx", keep=("kind", "site_id", "township"))


def _teams(ctx: Ctx) -> None:
    rng = ctx.rng("rescue_teams")
    codes = ctx.town_codes(ctx.last_year)
    built = {c: rng.randint(2017, 2020) for c in codes}  # township teams are set up 2017-2020
    # 79 community stations by 2020 (the plan), a few more since.
    stations = [(rng.choice(codes), rng.randint(2014, 2020)) for _ in range(79)]
    stations += [(rng.choice(codes), rng.randint(2021, 2025)) for _ in range(7)]
    social = [(f"綦江区{n}救援队", rng.randint(2016, 2022)) for n in ["蓝天", "红岩", "山地", "綦河水上", "志愿者"]]
    for y in ctx.years():
        rows = [{"team_id": "DW0001", "name": "綦江区综合应急救援大队", "level": "区级", "kind": "综合",
                 "established": y >= 2019, "established_on": date(2019, 3, 1) if y >= 2019 else None,
                 "members": 60 if y >= 2019 else None}]
        for i, p in enumerate(PRO_TEAMS):
            rows.append({"team_id": f"DW{100 + i:04d}", "name": f"綦江区{p}专业救援队", "level": "区级",
                         "kind": "专业", "established": True, "members": 20 + 3 * i % 40})
        for i, c in enumerate(codes):
            if not ctx.towns.by_code[c].valid_in(y):
                continue
            ok = y >= built[c]
            rows.append({"team_id": f"DW{200 + i:04d}", "name": f"{ctx.towns.by_code[c].name}综合应急救援队",
                         "level": "街镇", "kind": "综合", "township": c, "established": ok,
                         "established_on": date(built[c], 6, 30) if ok else None, "members": 30 if ok else None})
        for i, (c, since) in enumerate(stations):
            if since <= y + 1 and ctx.towns.by_code[c].valid_in(y):  # listed a year before it is built
                rows.append({"team_id": f"DW{300 + i:04d}", "name": f"{ctx.towns.by_code[c].short}社区应急救援站{i + 1}",
                             "level": "社区", "kind": "综合", "township": c, "established": since <= y,
                             "members": 8 if since <= y else None})
        for i, (n, since) in enumerate(social):
            if since <= y:
                rows.append({"team_id": f"DW{500 + i:04d}", "name": n, "level": "区级", "kind": "社会",
                             "established": True, "members": 25 + 5 * i})
        ctx.add("rescue_teams", Period(y), rows, name=f"{y}年应急救援队伍花名册", fmt="xlsx" if y % 3 else "csv",
                keep=("township", "established_on"))


def _reserves(ctx: Ctx, rng, y: int) -> None:
    rows = [{"year": y, "store": "綦江区应急物资储备库", "level": "区级", "capacity_people": 2600 + 300 * max(0, y - 2018)}]
    hub = ctx.town_codes(y)[rng.randrange(6, 10)]
    rows.append({"year": y, "store": f"綦江区救灾物资储备库（{ctx.towns.by_code[hub].short}分库）", "level": "区级",
                 "township": hub, "capacity_people": 800})
    for c in ctx.town_codes(y):
        cap = int(rng.uniform(150, 260) + 15 * (y - 2016))
        rows.append({"year": y, "store": f"{ctx.towns.by_code[c].name}应急物资储备点", "level": "街镇",
                     "township": c, "capacity_people": cap})
        if rng.random() < 0.3:
            rows.append({"year": y, "store": f"{ctx.towns.by_code[c].short}{rng.choice(VILLAGES)}村储备点",
                         "level": "村社区", "township": c, "capacity_people": rng.randint(20, 80)})
    ctx.add("reserves", Period(y), rows, name=f"{y}年应急物资储备情况", fmt="csv" if y % 2 else "xlsx",
            keep=("township",))


def _enforcement(ctx: Ctx, rng, y: int) -> None:
    share = min(0.86, 0.6 + 0.04 * (y - 2019))
    units = [("綦江区应急管理综合行政执法支队", "区级", rng.randint(30, 40))]
    units += [(f"{ctx.towns.by_code[c].name}综合行政执法办公室", "街镇", rng.randint(4, 12)) for c in ctx.town_codes(y)]
    rows = [{"year": y, "unit": u, "level": lv, "officers": n,
             "qualified_officers": min(n, round(n * rng.uniform(share - 0.08, share + 0.08))),
             "equipment_compliant": rng.random() < min(1.0, 0.5 + 0.15 * (y - 2019))} for u, lv, n in units]
    ctx.add("law_enforcement", Period(y), rows, name=f"{y}年综合行政执法队伍情况")


def _mines(ctx: Ctx) -> None:
    rng = ctx.rng("non_coal_mines")
    mines = [{"mine_id": f"FM{i + 1:03d}", "name": f"綦江区{rng.choice(VILLAGES)}{rng.choice(['采石场', '石料厂', '页岩矿'])}",
              "township": rng.choice(ctx.town_codes(2016)), "mineral": rng.choice(MINERALS),
              "capacity": round(rng.uniform(5, 40), 1), "key_posts": rng.randint(6, 14), "closes": rng.choice([None, None, 2017, 2018, 2019, 2020, 2022])}
             for i in range(18)]
    new = {2021: 60.0, 2023: 50.0, 2024: 45.0}  # limestone mines approved new/expanded; 2024 below 50万吨/年
    for y in ctx.years():
        rows = []
        for m in mines:
            if m["closes"] and y > m["closes"]:
                continue
            status = "关闭" if m["closes"] == y else rng.choices(["生产", "停产"], [85, 15])[0]
            lv = "二级" if rng.random() < min(0.45, 0.1 + 0.05 * (y - 2016)) else ("三级" if rng.random() < 0.5 + 0.1 * (y - 2016) else "未达标")
            mech = m["key_posts"] if y >= 2024 else int(m["key_posts"] * min(1.0, 0.5 + 0.07 * (y - 2016)))
            rows.append({"year": y, "mine_id": m["mine_id"], "name": m["name"], "township": m["township"],
                         "mineral": m["mineral"], "status": status, "standard_level": lv, "capacity": m["capacity"],
                         "key_posts": m["key_posts"], "mechanized_key_posts": mech, "approved_year": None})
        for ay, cap in new.items():
            if y >= ay:
                rows.append({"year": y, "mine_id": f"FM9{ay % 100}", "name": f"綦江区{ay}年新建石灰岩矿",
                             "township": ctx.town_codes(y)[ay % 7 + 10], "mineral": "石灰岩",
                             "status": "新建" if y == ay else "生产", "standard_level": "三级" if y == ay else "二级",
                             "capacity": cap, "key_posts": 10, "mechanized_key_posts": 10, "approved_year": ay})
        ctx.add("non_coal_mines", Period(y), rows, name=f"{y}年非煤矿山基本情况", fmt="xlsx",
                units={"capacity": "吨/年"} if y in (2019, 2024) else None, keep=("approved_year",))
