"""Magnitudes of the world, anchored on reference_facts.csv and the plan (本级 scope).

Years outside the anchored range are extrapolated so other first/last years still work.
"""

from __future__ import annotations

# GDP at current prices, 亿元: (初步核算, 最终核实 or None when not yet verified).
GDP = {
    2016: (338.6, None), 2017: (364.1, 366.8), 2018: (390.2, None), 2019: (414.6, 418.9),
    2020: (441.7, 446.0), 2021: (506.91, 502.7), 2022: (528.4, 531.2), 2023: (563.0, 566.1),
    2024: (594.8, 597.3), 2025: (626.3, None),
}
GDP_INDEX = {2016: 108.9, 2017: 107.6, 2018: 105.1, 2019: 106.2, 2020: 103.9, 2021: 103.2,
             2022: 103.4, 2023: 106.5, 2024: 105.3, 2025: 105.6}
# Resident population, 人: 2016-2019 year-end estimates, 2020 the 7th census.
RESIDENT = {2016: 818400, 2017: 821300, 2018: 823900, 2019: 825800, 2020: 775509, 2021: 772640,
            2022: 769830, 2023: 766510, 2024: 763870, 2025: 761020}
REGISTERED = {2016: 934200, 2017: 931500, 2018: 927800, 2019: 923600, 2020: 918900,
              2021: 913493, 2022: 906722, 2023: 899397, 2024: 892701, 2025: 886300}
FOREST_HA_2023 = 112287.0
WOODLAND_HA_2023 = 114567.0
COVERAGE_2023 = 51.4  # %: the district's land area follows from forest / coverage


def _extrapolate(table: dict, year: int, rate: float):
    if year in table:
        return table[year]
    edge = max(table) if year > max(table) else min(table)
    v = table[edge]
    v = v[0] if isinstance(v, tuple) else v
    return v * (1 + rate) ** (year - edge)


def gdp(year: int, final: bool = True) -> float:
    """GDP of the latest vintage (亿元)."""
    v = GDP.get(year)
    if v:
        return v[1] if final and v[1] else v[0]
    return round(_extrapolate(GDP, year, 0.05), 2)


def resident(year: int) -> int:
    return int(round(_extrapolate(RESIDENT, year, -0.0035)))


def registered(year: int) -> int:
    return int(round(_extrapolate(REGISTERED, year, -0.007)))


def forest_total(year: int) -> float:
    """Forest grows slowly (afforestation): about +0.35% a year around 2023."""
    return FOREST_HA_2023 * (1 + 0.0035 * (year - 2023))
