"""Write a first suite file for a dataset from its contract: `python -m pipelines.validation.scaffold`.

The suite files under expectations/ are the reviewed source of truth; this only writes the files
that do not exist yet (or, with --force, rewrites them: review the diff). It derives the contract's
row rules once more (a guard that no change to the reader lets a bad row through) and adds the
dataset-level checks of the dataset's kind. tests/validation/test_suites.py checks that every
suite still covers every rule of its contract.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from pipelines import settings
from pipelines.ingest.contracts import Contract, all_contracts
from pipelines.validation.queries import EVENT_DATASETS_DEFAULT

TOWNSHIP_YEAR = ("population", "forest_resources", "fire_monitoring", "fire_hydrants")
HISTORY = {
    # dataset: (value column, group by, min ratio, max ratio, what, unit)
    "population": ("resident_population", ["township"], 0.5, 2.0, "常住人口", "人"),
    "forest_resources": ("forest_ha", ["township"], 0.5, 2.0, "森林面积", "公顷"),
    "fire_monitoring": ("forest_ha", ["township"], 0.5, 2.0, "森林面积", "公顷"),
    "fire_hydrants": ("required", ["township"], 0.2, 5.0, "应建消火栓数", "个"),
    "gdp": ("gdp_current", [], 0.5, 2.0, "地区生产总值（现价）", "亿元"),
}
EVENT_YEAR_TARGETS = {"gdp": "地区生产总值", "population": "常住人口"}
DISASTER_EVENT_DATASETS = ("flood_drought_events", "weather_disasters", "geohazard_events", "disaster_reports")
NUMERIC_TYPES = ("int", "num", "year")


def _headers(c: Contract, names: list[str]) -> str:
    return "、".join(c.field(n).standard_header for n in names)


def _where(column: str, operator: str, parameter) -> dict:
    """A GX row condition in its serialised form (great_expectations.expectations.row_conditions)."""
    return {"type": "comparison", "column": {"name": column}, "operator": operator, "parameter": parameter}


def build_suite(c: Contract) -> dict:
    key = list(c.key)
    frames: dict[str, dict] = {
        "rows": {"query": "current_file_rows", "report_columns": [*key, "_file_path", "_row_number"]},
    }
    exps: list[dict] = []

    def add(name, kind, frame, type_, kwargs, severity, desc):
        exps.append(
            {"name": name, "kind": kind, "frame": frame, "type": type_, "kwargs": kwargs,
             "severity": severity, "description_zh": desc}
        )

    # --- row rules of the contract, once more (error) ---
    required = [f.name for f in c.fields if f.required]
    numeric = [f.name for f in c.fields if f.type in NUMERIC_TYPES]
    le = [r for r in c.rules if r.get("check") == "le"]
    frames["long"] = {"query": "long_values", "params": {"required": required, "numeric": numeric},
                      "report_columns": ["part", "field", "_file_path", "_row_number"]}
    if required:
        add("required_fields_present", "row_rule", "long", "expect_column_values_to_not_be_null",
            {"column": "text_value", "row_condition": _where("part", "==", "required")}, "error",
            f"必填字段不得为空：{_headers(c, required)}")
    if numeric:
        add("numbers_not_negative", "row_rule", "long", "expect_column_values_to_be_between",
            {"column": "num_value", "min_value": 0}, "error", f"数值不得为负：{_headers(c, numeric)}")
    if le:
        add("nesting_and_order_rules", "row_rule", "long", "expect_column_pair_values_a_to_be_greater_than_b",
            {"column_A": "right_value", "column_B": "left_value", "or_equal": True,
             "ignore_row_if": "either_value_is_missing"}, "error",
            "嵌套与先后规则：" + "；".join(r["message"].replace("大于", "不得大于").replace("早于", "不得早于")
                                     for r in le))
    for f in c.fields:
        if f.max is not None:
            add(f"{f.name}_at_most_{f.max:g}", "row_rule", "rows", "expect_column_values_to_be_between",
                {"column": f.name, "max_value": f.max}, "error", f"{f.standard_header}不得超过 {f.max:g}")
        if f.domain:
            add(f"{f.name}_in_domain", "row_rule", "rows", "expect_column_values_to_be_in_set",
                {"column": f.name, "value_set": list(f.domain)}, "error",
                f"{f.standard_header}须为：{'、'.join(f.domain)}")
        if f.hazards is not None:
            add(f"{f.name}_known_hazard", "row_rule", "rows", "expect_column_values_to_be_in_set",
                {"column": "_hazard_known", "value_set": [True]}, "error",
                f"{f.standard_header}须为本数据集接受的灾种（灾种种子表的名称或别名）")
        if f.type == "township":
            add(f"{f.name}_in_scope", "row_rule", "rows", "expect_column_values_to_be_in_set",
                {"column": f.name, "value_set": "$in_scope_townships"}, "error",
                f"{f.standard_header}须为本级街镇之一（街镇种子表）")
            add(f"{f.name}_valid_that_year", "row_rule", "rows",
                "expect_column_pair_values_a_to_be_greater_than_b",
                {"column_A": "_year", "column_B": "_township_valid_from", "or_equal": True,
                 "ignore_row_if": "either_value_is_missing"}, "error",
                f"{f.standard_header}在该年度须已设立（如通惠街道自 2020 年起）")
        if f.type == "township_list":
            add(f"{f.name}_all_in_scope", "row_rule", "rows", "expect_column_values_to_be_between",
                {"column": f"_{f.name}_unknown", "max_value": 0}, "error",
                f"{f.standard_header}中的每个街镇须为本级街镇")
    if c.event_date:
        hdr = c.field(c.event_date).standard_header
        add("event_date_within_period", "row_rule", "rows", "expect_column_values_to_be_between",
            {"column": "_days_outside_period", "max_value": 0}, "error", f"{hdr}须在文件所报期间内")
        add("event_date_not_future", "row_rule", "rows", "expect_column_values_to_be_between",
            {"column": "_days_in_future", "max_value": 0}, "error", f"{hdr}不得晚于今天")
    if c.has_year_column:
        add("year_matches_period", "row_rule", "rows", "expect_column_pair_values_to_be_equal",
            {"column_A": "year", "column_B": "_period_year", "ignore_row_if": "either_value_is_missing"},
            "error", "年度须与文件名中的期间年份一致")
    for i, r in enumerate(c.rules):
        check = r.get("check")
        if check in ("required_if", "required_unless"):
            condition = _where(r["when_field"], "IN" if check == "required_if" else "NOT_IN", list(r["values"]))
            add(f"{r['field']}_{check}_{i}", "row_rule", "rows", "expect_column_values_to_not_be_null",
                {"column": r["field"], "row_condition": condition}, "error", r["message"])
    add("key_unique_within_file", "row_rule", "rows", "expect_compound_columns_to_be_unique",
        {"column_list": [*key, "_file_path"]}, "error", f"同一文件内主键（{_headers(c, key)}）不得重复")

    # --- uniqueness across the current files (error) ---
    scope = [] if (c.has_year_column or c.event_date) else ["_period_year"]
    cols = [*key, *scope]
    not_nested = _where("_nested_overlap", "==", False)
    add("key_unique_across_files", "uniqueness", "rows",
        "expect_compound_columns_to_be_unique" if len(cols) > 1 else "expect_column_values_to_be_unique",
        {"column_list": cols, "row_condition": not_nested} if len(cols) > 1
        else {"column": cols[0], "row_condition": not_nested}, "error",
        f"主键（{_headers(c, key)}）在全部当前文件中不得重复使用（年度文件与其所含月/季文件的重叠除外）"
        + ("；按年度花名册分别判断" if scope else ""))

    # --- volume against earlier periods (warning) ---
    if c.dataset != "gdp":
        # Event × township rows come in bursts (one flood touches a dozen townships): by year.
        grain = "month" if c.event_date and c.dataset not in DISASTER_EVENT_DATASETS else "year"
        min_count = 20 if grain == "month" else 10
        frames["volume"] = {"query": "volume", "params": {"grain": grain, "min_history": 3, "min_count": min_count},
                            "report_columns": ["bucket", "row_count", "baseline", "_files"]}
        unit = "月" if grain == "month" else "年"
        add("volume_against_history", "volume", "volume", "expect_column_values_to_be_between",
            {"column": "ratio", "min_value": 0.1, "max_value": 5}, "warning",
            f"每{unit}记录数应在此前各年同{unit}中位数的 0.1–5 倍之间（历史不足 3 年或数量少于 {min_count} 条时不判断）"
            if grain == "month" else
            f"每年记录数应在此前各年中位数的 0.1–5 倍之间（历史不足 3 年或数量少于 {min_count} 条时不判断）")

    # --- completeness (error) ---
    if c.dataset in TOWNSHIP_YEAR:
        frames["township_grid"] = {"query": "township_grid",
                                   "report_columns": ["year", "township", "township_name", "_files"]}
        add("every_township_every_year", "completeness", "township_grid", "expect_column_values_to_not_be_null",
            {"column": "reported_township"}, "error", "每个年度须包含该年度全部本级街镇（按街镇种子表的设立年份）")
    if c.dataset in EVENT_YEAR_TARGETS:
        frames["event_years"] = {"query": "event_years",
                                 "params": {"event_datasets": list(EVENT_DATASETS_DEFAULT)},
                                 "report_columns": ["year", "event_datasets"]}
        add("present_for_every_event_year", "completeness", "event_years", "expect_column_values_to_not_be_null",
            {"column": "reported_year"}, "warning",
            f"有事故、灾情或森林火灾记录的每个已结束年度都应有{EVENT_YEAR_TARGETS[c.dataset]}数据（缺失时指标分母将沿用或为空）")

    # --- plausibility against history (warning) ---
    if c.dataset in HISTORY:
        col, group, lo, hi, what, unit = HISTORY[c.dataset]
        frames["history"] = {"query": "value_history", "params": {"value_column": col, "group_by": group},
                             "report_columns": [*group, "year", "value", "baseline", "_files"]}
        who = "各街镇" if group else "全区"
        add(f"{col}_plausible_against_history", "plausibility", "history", "expect_column_values_to_be_between",
            {"column": "ratio", "min_value": lo, "max_value": hi}, "warning",
            f"{who}{what}应在其此前各年度中位数的 {lo:g}–{hi:g} 倍之间")

    # --- consistency across datasets ---
    if c.dataset == "fire_monitoring":
        frames["forest_area_pair"] = {"query": "forest_area_pair",
                                      "params": {"other_dataset": "forest_resources", "column": "forest_ha"},
                                      "report_columns": ["year", "township", "value", "other_value",
                                                         "_file_path", "other_file_path"]}
        add("forest_area_agrees_with_forest_resources", "consistency", "forest_area_pair",
            "expect_column_values_to_be_between", {"column": "relative_difference", "max_value": 0.02},
            "error", "同一街镇同一年度的森林面积须与森林资源表一致（相差不超过 2%）")
    if c.dataset in DISASTER_EVENT_DATASETS:
        frames["affected_vs_population"] = {
            "query": "affected_vs_population", "params": {"value_column": "affected_person_times"},
            "report_columns": ["event_id", "township", "year", "value", "resident_population",
                               "_file_path", "_row_number", "population_file"]}
        # Two tiers: above the population is implausible (warning: a long multi-wave process or a
        # stale population may explain it); above twice the population is a slip of a digit (error).
        add("affected_within_population", "consistency", "affected_vs_population",
            "expect_column_values_to_be_between", {"column": "share_of_population", "max_value": 1.0}, "warning",
            "单次灾害在一个街镇的受灾人口（人次）一般不应超过该街镇当年（或最近年度）常住人口")
        add("affected_not_far_above_population", "consistency", "affected_vs_population",
            "expect_column_values_to_be_between", {"column": "share_of_population", "max_value": 2.0}, "error",
            "单次灾害在一个街镇的受灾人口（人次）不得超过该街镇当年（或最近年度）常住人口的 2 倍（疑为录入错误）")
    return {"dataset": c.dataset, "name_zh": c.name_zh, "frames": frames, "expectations": exps}


HEADER = (
    "# Great Expectations suite of {dataset} ({name_zh}), reviewed data: see pipelines/validation/suites.py.\n"
    "# Frames are named queries (pipelines/validation/queries.py) pulled from DuckDB as DataFrames.\n"
    "# severity: error blocks the dataset's downstream dbt models; warning only flags.\n"
)


def render(doc: dict) -> str:
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110, default_flow_style=None)
    return HEADER.format(**doc) + body


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("datasets", nargs="*")
    p.add_argument("--force", action="store_true", help="rewrite existing suite files")
    p.add_argument("--dir", type=Path, default=settings.EXPECTATIONS_DIR)
    args = p.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    for name, c in all_contracts().items():
        if args.datasets and name not in args.datasets:
            continue
        path = args.dir / f"{name}.yaml"
        if path.exists() and not args.force:
            continue
        path.write_text(render(build_suite(c)), "utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
