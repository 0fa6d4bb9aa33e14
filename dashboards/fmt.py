"""Chinese labels and number formatting for the boards (presentation only, no indicator logic)."""

from __future__ import annotations

import math

STATUS_ZH = {
    "met": "已达标",
    "on_track": "进度正常",
    "at_risk": "有风险",
    "not_met": "未达标",
    "no_data": "无数据",
}
STATUS_COLOR = {
    "met": "#1a7f37",
    "on_track": "#0969da",
    "at_risk": "#bf8700",
    "not_met": "#cf222e",
    "no_data": "#6e7781",
}
STATUS_ORDER = ["met", "on_track", "at_risk", "not_met", "no_data"]

JUDGED_ZH = {
    "annual": "年度值",
    "plan_mean": "规划期年均值",
    "plan_sum": "规划期累计值",
    "change_vs_baseline": "较基期变化",
}
COMPARISON_ZH = {"<=": "≤", ">=": "≥", "<": "<", ">": ">", "=": "="}

NO_VALUE = "—"


def is_missing(x) -> bool:
    if x is None:
        return True
    try:
        return bool(math.isnan(float(x)))
    except (TypeError, ValueError):
        return False


def _plain(x: float, decimals: int) -> str:
    text = f"{x:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_num(x, *, wan: bool = True) -> str:
    """1234.5 -> '1,234.5'; 123456 -> '12.35万'; 3.2e8 -> '3.2亿'; None -> '—'."""
    if is_missing(x):
        return NO_VALUE
    x = float(x)
    ax = abs(x)
    if wan and ax >= 1e8:
        return _plain(x / 1e8, 2) + "亿"
    if wan and ax >= 1e5:
        return _plain(x / 1e4, 2) + "万"
    if ax >= 100 or x == int(x):
        return _plain(x, 1)
    if ax >= 1:
        return _plain(x, 2)
    if ax >= 0.01:
        return _plain(x, 3)
    return _plain(x, 4)


def fmt_value(x, unit: str | None) -> str:
    """A figure with its unit: '95.2%', '0.12‰', '1,234 人'."""
    text = fmt_num(x)
    if text == NO_VALUE or not unit:
        return text
    return f"{text}{unit}" if unit in ("%", "‰") else f"{text} {unit}"


def fmt_change(x, unit: str | None = None) -> str:
    """A signed change: '+12', '−3.5%'."""
    if is_missing(x):
        return NO_VALUE
    sign = "+" if float(x) > 0 else ("−" if float(x) < 0 else "±")
    return sign + fmt_value(abs(float(x)), unit)


def fmt_target(comparison, target, unit, judged_on=None, baseline_year=None) -> str:
    if is_missing(target) or not comparison:
        return "无目标"
    cmp = COMPARISON_ZH.get(str(comparison), str(comparison))
    if judged_on == "change_vs_baseline":
        base = f"较{int(baseline_year)}年" if not is_missing(baseline_year) else "较基期"
        return f"{base}变化 {cmp} {fmt_num(target)}%"
    prefix = {"plan_mean": "年均", "plan_sum": "累计"}.get(str(judged_on), "")
    return f"{prefix}{cmp} {fmt_value(target, unit)}"


def judged_unit(judged_on, unit):
    """The unit of the judged figure: a change against the baseline is in %."""
    return "%" if judged_on == "change_vs_baseline" else unit


def status_chip(status) -> str:
    key = str(status) if status in STATUS_ZH else "no_data"
    return (
        f'<span style="background:{STATUS_COLOR[key]};color:#fff;padding:2px 10px;'
        f'border-radius:10px;font-weight:600;white-space:nowrap">{STATUS_ZH[key]}</span>'
    )
