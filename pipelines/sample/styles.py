"""Department habits: which headers, units, date and boolean spellings a file uses."""

from __future__ import annotations

import random

from pipelines.ingest.contracts import Contract

from .model import Period, Style
from .writers import base_header, with_unit

DEPARTMENTS = {
    "emergency": "綦江区应急管理局",
    "transport": "綦江区交通局",
    "housing": "綦江区住房和城乡建设委员会",
    "water": "綦江区水利局",
    "meteorology": "綦江区气象局",
    "natural_resources": "綦江区规划和自然资源局",
    "forestry": "綦江区林业局",
    "statistics": "綦江区统计局",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
CANONICAL_UNITS = {
    "money": "万元", "land_area": "公顷", "floor_area": "万平方米", "length": "公里",
    "population": "人", "gdp": "亿元", "mine_capacity": "万吨/年",
}


def make_style(
    contract: Contract,
    period: Period,
    rng: random.Random,
    *,
    units: dict[str, str] | None = None,
    drop_optional: float = 0.25,
    keep: tuple[str, ...] = (),
    messy: bool = True,
    filed_on: str | None = None,
) -> Style:
    """A plausible layout for one file. `units` forces delivered units per field (converted)."""
    units = dict(units or {})
    fields = [
        f.name for f in contract.fields
        if f.required or f.name in keep or f.name in units or rng.random() > drop_optional
    ]
    headers = {}
    for name in fields:
        f = contract.field(name)
        h = rng.choice(f.headers) if messy else f.headers[0]
        if name in units:
            h = with_unit(h, units[name], halfwidth=rng.random() < 0.3)
        elif messy and rng.random() < 0.2 and f.quantity in CANONICAL_UNITS and "（" not in h:
            h = with_unit(h, CANONICAL_UNITS[f.quantity])  # canonical unit spelled out
        headers[name] = h
    st = Style(fields=fields, headers=headers, units=units)
    dept = DEPARTMENTS[contract.department]
    plabel = period.label(1 if period.quarter else 0)  # titles spell quarters out: 2024年第三季度
    st.title = f"綦江区{plabel}{contract.name_zh}统计表" if rng.random() < 0.8 else None
    shown = sorted({units.get(n) or CANONICAL_UNITS.get(contract.field(n).quantity or "", "")
                    for n in fields} - {""})
    if shown and rng.random() < 0.6:
        st.units_row = "单位：" + "、".join(shown)
    if messy:
        st.date_fmt = rng.choice(["iso", "slash", "zh", "excel", "serial"])
        st.datetime_fmt = rng.choice(["iso", "slash", "zh", "excel"])
        st.bool_fmt = rng.choice(list(("是否", "YN", "10", "√×")))
        st.township_fmt = rng.choice(["name", "name", "short", "code", "mixed"])
        st.null_token = rng.choice(["", "", "-", "/", "无", "—"])
        st.fullwidth = rng.random() < 0.12
        st.thousands = rng.random() < 0.3
        st.seq_col = rng.random() < 0.5
        st.remark_col = rng.random() < 0.3
        st.totals = rng.choice([None, "合计", "合计", "总计", "小计"])
        st.blank_rows = rng.random() < 0.3
    if rng.random() < 0.75:
        who = f"填报人：{rng.choice(SURNAMES)}某某"
        chk = f"审核人：{rng.choice(SURNAMES)}某"
        day = filed_on or f"{period.year + (period.month is None and period.quarter is None)}年1月15日"
        parts = [f"填报单位：{dept}", who, chk, f"填报日期：{day}"]
        st.footer = "|".join(parts) if rng.random() < 0.5 else "　".join(parts)
    return st


def header_of(style: Style, field: str) -> str:
    return style.headers.get(field, base_header(field))
