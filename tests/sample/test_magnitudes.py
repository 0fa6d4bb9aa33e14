"""The sample's figures sit where the plan and reference_facts.csv put them."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

from pipelines.sample import accidents, disasters, facts
from pipelines.sample.forestry import forest_by_township

GOOD = lambda s: not s.bad_file and s.copy_of is None and s.raw_bytes is None  # noqa: E731


def rows(world, dataset):
    return [(s, [r for r in s.rows if "_bad" not in r]) for s in world.files if s.dataset == dataset and GOOD(s)]


def yearly_sum(world, dataset, field):
    out = defaultdict(float)
    for s, rs in rows(world, dataset):
        out[s.period.year] += sum(r.get(field) or 0 for r in rs)
    return out


def test_population_and_gdp(world):
    pop = yearly_sum(world, "population", "resident_population")
    assert 815_000 < pop[2019] < 830_000
    assert pop[2020] == 775_509
    assert 750_000 < pop[2025] < pop[2021] < pop[2020]
    counts = {s.period.year: len(rs) for s, rs in rows(world, "population")}
    assert counts[2019] == 20 and counts[2020] == 21  # 通惠街道 from 2020
    prelim = {s.period.year: rs[0]["gdp_current"] for s, rs in rows(world, "gdp") if rs[0]["vintage"] == "初步核算"}
    assert prelim[2019] == 414.6 and prelim[2021] == 506.91
    finals = [s for s, rs in rows(world, "gdp") if rs[0]["vintage"] == "最终核实"]
    assert finals and all("_核报" in s.name for s in finals)


def test_accidents(world):
    acc = accidents.world(world)
    deaths, major = defaultdict(int), defaultdict(int)
    for a in acc:
        y = a["occurred_at"].year
        deaths[y] += a["deaths"]
        major[y] += a["deaths"] >= 3 or a["serious_injuries"] >= 10 or a["direct_loss"] >= 1000
    assert all(26 <= deaths[y] <= 34 for y in range(2016, 2021))
    assert deaths[2025] <= 0.92 * deaths[2020]
    assert 3 <= sum(major[y] for y in range(2016, 2021)) <= 6
    assert 1 <= sum(major[y] for y in range(2021, 2026)) <= 2
    ids = defaultdict(set)
    for ds in ("production_accidents", "road_traffic_accidents", "construction_accidents"):
        for _, rs in rows(world, ds):
            for r in rs:
                ids[r["accident_id"]].add(ds)
    assert any(len(v) > 1 for v in ids.values())  # the same accident in the register and a sector
    summaries = " ".join(r.get("summary") or "" for _, rs in rows(world, "production_accidents") for r in rs)
    assert "身份证号" in summaries and "电话" in summaries


def test_natural_disasters(world):
    events = disasters.world(world)
    loss, aff, deaths = defaultdict(float), defaultdict(int), defaultdict(int)
    for e in events:
        for r in e["rows"]:
            y = e["start"].year
            loss[y] += r["direct_loss"]
            aff[y] += r["affected_person_times"]
            deaths[y] += r["deaths"]
    pct = {y: loss[y] / (facts.gdp(y) * 10000) * 100 for y in loss}
    assert 0.5 < mean(pct[y] for y in range(2016, 2021)) < 0.9
    assert pct[2020] == max(pct.values())
    assert mean(aff[y] / facts.resident(y) * 1e5 for y in range(2021, 2026)) < 15000
    per_million = mean(deaths[y] / facts.resident(y) * 1e6 for y in range(2016, 2021))
    assert 0.5 < per_million < 1.5
    first = [s for s in world.files if s.dataset == "flood_drought_events" and s.period.year == 2020
             and s.period.month == 6 and "续报" not in s.name and GOOD(s)][0]
    flood = [r for r in first.rows if r["started_on"] == disasters.FLAGSHIP]
    assert sum(r["affected_person_times"] for r in flood) == 43000
    assert round(sum(r["direct_loss"] for r in flood), 2) == 4220


def test_bureau_overrides_some_department_rows(world):
    dept = {(r["event_id"], r["township"]): r for ds in ("flood_drought_events", "weather_disasters", "geohazard_events")
            for _, rs in rows(world, ds) for r in rs}
    bureau = [r for _, rs in rows(world, "disaster_reports") for r in rs]
    shared = [r for r in bureau if (r["event_id"], r["township"]) in dept]
    assert shared and any(r["direct_loss"] != dept[(r["event_id"], r["township"])]["direct_loss"] for r in shared)
    events_shared = {r["event_id"] for r in shared}
    assert any(k[0] in events_shared and k not in {(r["event_id"], r["township"]) for r in bureau} for k in dept)


def test_forests_and_fires(world):
    assert abs(sum(f for _, f, _ in forest_by_township(world, 2023).values()) - facts.FOREST_HA_2023) < 1
    damaged = yearly_sum(world, "forest_fires", "damaged_forest_ha")
    assert all(d / facts.forest_total(y) * 1000 < 0.3 for y, d in damaged.items())
    cov = {}
    for s, rs in rows(world, "fire_monitoring"):
        cov[s.period.year] = sum(r["monitored_forest_ha"] for r in rs) / sum(r["forest_ha"] for r in rs) * 100
    assert min(cov.values()) > 85 and max(cov.values()) < 100


def test_plan_quotas(world):
    km = yearly_sum(world, "road_safety_works", "km_completed")
    bridges = yearly_sum(world, "road_safety_works", "bridges_upgraded")
    area = yearly_sum(world, "old_community_renovation", "area_completed")
    assert 1150 < sum(km[y] for y in range(2021, 2026)) < 1300
    assert 38 <= sum(bridges[y] for y in range(2021, 2026)) <= 45
    assert 350 < sum(area[y] for y in range(2021, 2026)) < 380


def test_rosters(world):
    teams = {s.period.year: rs for s, rs in rows(world, "rescue_teams")}
    stations = [r for r in teams[2020] if r["level"] == "社区" and r["established"]]
    assert 70 <= len(stations) <= 85
    assert sum(r["level"] == "街镇" and r["kind"] == "综合" for r in teams[2021]) == 21
    sites = {s.period.year: rs for s, rs in rows(world, "geohazard_sites")}
    assert all(150 < len(rs) < 400 for rs in sites.values())
    mines = {s.period.year: rs for s, rs in rows(world, "non_coal_mines")}
    assert all(8 <= len(rs) <= 20 for rs in mines.values())
    district = [r for s, rs in rows(world, "reserves") if s.period.year >= 2021 for r in rs
                if r["level"] == "区级" and not r.get("township")]
    assert all(r["capacity_people"] >= 3000 for r in district)


def test_nothing_dated_after_today(world):
    today = world.as_of
    for s in world.files:
        for r in s.rows:
            if r.get("_bad", ("",))[0] == "future_date":
                continue
            for v in r.values():
                if hasattr(v, "year") and hasattr(v, "month"):
                    assert (v.date() if hasattr(v, "hour") else v) <= today, (s.name, r)
