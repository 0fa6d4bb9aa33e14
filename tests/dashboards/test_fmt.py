from __future__ import annotations

import math

import pytest

from dashboards import fmt


@pytest.mark.parametrize("x, text", [
    (1234.5, "1,234.5"), (17, "17"), (17.0, "17"), (123456, "12.35万"), (800000, "80万"),
    (3.2e8, "3.2亿"), (0.015, "0.015"), (0.49, "0.49"), (-22.7, "-22.7"), (None, "—"),
    (math.nan, "—"), (99999, "99,999"), (0.00012, "0.0001"),
])
def test_fmt_num(x, text):
    assert fmt.fmt_num(x) == text


def test_units_and_targets():
    assert fmt.fmt_value(95.24, "%") == "95.24%"
    assert fmt.fmt_value(0.3, "‰") == "0.3‰"
    assert fmt.fmt_value(1200, "公里") == "1,200 公里"
    assert fmt.fmt_change(-1, "人") == "−1 人" and fmt.fmt_change(2.5, "%") == "+2.5%"
    assert fmt.fmt_target("<=", -9, "人", "change_vs_baseline", 2020) == "较2020年变化 ≤ -9%"
    assert fmt.fmt_target(">=", 1200, "公里", "plan_sum") == "累计≥ 1,200 公里"
    assert fmt.fmt_target(None, None, "起") == "无目标"


def test_status_names():
    assert fmt.STATUS_ZH == {"met": "已达标", "on_track": "进度正常", "at_risk": "有风险",
                             "not_met": "未达标", "no_data": "无数据"}
    assert "无数据" in fmt.status_chip("something else")
