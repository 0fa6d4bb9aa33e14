"""Chinese names of departments, datasets, ledger statuses and quarantine reasons."""

from __future__ import annotations

import functools
import re

from pipelines.ingest.contracts import all_contracts

DEPARTMENT_ZH = {
    "emergency": "区应急管理局",
    "forestry": "区林业局",
    "housing": "区住房城乡建委",
    "meteorology": "区气象局",
    "natural_resources": "区规划自然资源局",
    "statistics": "区统计局",
    "transport": "区交通局",
    "water": "区水利局",
}
LEDGER_STATUS_ZH = {"loaded": "已入库", "superseded": "已被新版本替代", "duplicate": "重复文件",
                    "rejected": "已拒收"}
REASON_ZH = {
    "missing_required": "必填项为空", "unknown_township": "未知街镇", "out_of_scope": "不属本级口径",
    "township_not_valid": "街镇当年未设立", "negative": "负数", "not_a_number": "非数字",
    "formula_error": "公式错误", "fraction_in_int": "整数列出现小数", "bad_date": "日期无法识别",
    "date_out_of_period": "日期超出报送期", "future_date": "未来日期", "bad_bool": "是/否无法识别",
    "not_in_domain": "取值不在允许范围", "rule_violation": "违反校验规则", "duplicate_key": "重复记录",
    "no_header": "找不到表头", "missing_column": "缺少必填列", "bad_unit": "单位错误",
    "unreadable": "文件无法读取", "empty_file": "空文件", "no_period": "文件名无报送期",
}
FINDING_ZH = {
    "event_overridden": "同一灾害过程多源报送（按优先来源计）",
    "accident_duplicate": "事故多部门重复报送、数字不一致",
    "fire_duplicate": "森林火灾重复报送、数字不一致",
    "grade_mismatch": "报送的事故等级与核定等级不一致",
    "forest_fire_as_disaster": "森林火灾亦作为自然灾害报送",
    "out_of_scope": "不在本级统计范围的记录",
}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
DISASTER_DATASETS = ["disaster_reports", "geohazard_events", "flood_drought_events", "weather_disasters"]
ACCIDENT_DATASETS = ["production_accidents", "road_traffic_accidents", "waterway_accidents",
                     "construction_accidents"]


@functools.cache
def datasets() -> dict[str, tuple[str, str]]:
    """dataset -> (department, Chinese name), from the project's contracts."""
    return {c.dataset: (c.department, c.name_zh) for c in all_contracts().values()}


def dataset_zh(dataset) -> str:
    return datasets().get(str(dataset), (None, str(dataset)))[1]


def department_zh(department) -> str:
    return DEPARTMENT_ZH.get(str(department), str(department))


def source_datasets(text: str, catalog_sources: dict[str, str], depth: int = 0) -> list[str]:
    """Datasets named in a catalog's source text ('same as PS_DEATHS' and groups resolved)."""
    text = str(text or "")
    found: list[str] = []
    m = re.search(r"same as ([A-Z0-9_]+)", text)
    if m and depth < 3:
        found += source_datasets(catalog_sources.get(m.group(1), ""), catalog_sources, depth + 1)
    if "disaster event" in text:
        found += DISASTER_DATASETS
    if re.search(r"\baccidents\b", text):
        found += ACCIDENT_DATASETS
    found += [d for d in datasets() if re.search(rf"\b{d}\b", text)]
    return list(dict.fromkeys(found))

# Fallback descriptions of common columns (used where the warehouse carries no comment).
COLUMN_ZH = {
    "indicator_code": "指标代码（见指标目录）", "year": "年度", "as_of_year": "截至年度",
    "area_code": "区域代码：全区代码（见部署种子表）或9位街镇代码", "value": "数值（指标目录单位，未取整）",
    "numerator": "分子", "denominator": "分母", "flags": "标记（如人口沿用上年）",
    "target_value": "目标值", "comparison": "比较方式", "status": "状态：met 已达标 / on_track 进度正常 / "
    "at_risk 有风险 / not_met 未达标 / no_data 无数据", "accident_id": "事故编号",
    "occurred_at": "发生时间", "township_code": "街镇代码", "industry": "行业类别", "deaths": "死亡人数",
    "serious_injuries": "重伤人数", "direct_loss": "直接经济损失（万元）", "grade": "计算等级",
    "reported_grade": "上报等级", "source_dataset": "来源数据集", "fire_id": "火灾编号",
    "ignited_at": "起火时间", "burned_area_ha": "过火面积（公顷）", "damaged_forest_ha": "受害森林面积（公顷）",
    "event_id": "灾害编号", "hazard": "灾种", "hazard_code": "灾种代码（GB/T 28921）",
    "started_on": "开始日期", "affected_person_times": "受灾人次", "missing": "失踪人数",
    "kind": "类型", "dataset": "数据集", "record_key": "记录编号", "field": "字段",
    "kept_value": "采用值", "other_value": "另一来源值", "file_path": "文件路径（相对落地区）",
    "sha256": "文件哈希", "department": "报送部门", "period": "报送期（YYYY、YYYY-Qn 或 YYYY-MM）",
    "revision": "版本（初报、续报、核报、v2、更正…）", "rows_loaded": "入库行数",
    "rows_quarantined": "隔离行数", "message": "说明", "loaded_at": "入库时间", "sheet": "工作表",
    "row_number": "行号（文件中所见）", "column_name": "列名", "reason_code": "原因代码",
    "code": "代码", "name_zh": "中文名称", "unit": "单位", "target": "目标", "judged_on": "判定口径",
    "code9": "街镇统计代码（9位）", "name": "名称", "scope": "口径（本级/万盛经开区）",
    "valid_from": "起始有效年度",
}
