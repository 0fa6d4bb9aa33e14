"""Deliberately bad deliveries: whole files the reader must reject and rows it must quarantine.

Every bad row is a copy of a good row with a fresh key and exactly one defect, so quarantining
it changes no figure. Expectations (file, sheet, row number, column, reason_code) are derived
from what was actually written, see `expectations`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from pipelines.ingest.contracts import all_contracts

from .context import Ctx
from .model import FileSpec, Period, Sheet
from .writers import base_header

UNKNOWN_TOWNSHIP = "綦南镇"  # deliberately not a township of the seed
KEY_TEXT = {"accident_id", "event_id", "fire_id", "inspection_id", "drill_id", "warning_id", "site_id",
            "project", "community", "team_id", "store", "unit", "mine_id"}


def _find(ctx: Ctx, dataset: str, pred=lambda s: True, need_rows: bool = True) -> FileSpec:
    for s in ctx.files:
        if s.dataset == dataset and s.raw_bytes is None and s.copy_of is None and pred(s) and (s.rows or not need_rows):
            return s
    raise LookupError(f"no file of {dataset} fits")


def _ensure_field(spec: FileSpec, field: str) -> None:
    if field not in spec.style.fields:
        spec.style.fields.append(field)
        spec.style.headers[field] = all_contracts()[spec.dataset].field(field).headers[0]


def _bad_row(spec: FileSpec, reason: str, field: str, n: int, *, raw=None, set_=None, key_change=True,
             note: str = "") -> dict:
    """Insert a copy of a good row carrying one defect; returns it."""
    rows = spec.sheets[0].rows
    good = [r for r in rows if "_bad" not in r]
    src = good[len(good) // 2]
    row = {k: v for k, v in src.items() if not k.startswith("_")}
    if key_change:
        for k in all_contracts()[spec.dataset].key:
            if k in KEY_TEXT:
                row[k] = f"{row[k]}B{n}"
    row.update(set_ or {})
    if raw is not None:
        row["_raw"] = {field: raw}
    row["_bad"] = (reason, field, note)
    _ensure_field(spec, field)
    rows.insert(len(rows) // 2 + 1, row)
    return row


def _year(y: int):
    return lambda s: s.period.year == y and s.period.month is None and s.period.quarter is None


def inject(ctx: Ctx) -> None:
    _bad_rows(ctx)
    _bad_files(ctx)


class _Skip:
    """Context manager: a case whose target year is outside a small sample is left out."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return exc_type is LookupError


def _case():
    return _Skip()


def _bad_rows(ctx: Ctx) -> None:
    xl = lambda s: s.fmt != "csv"  # noqa: E731 - a cell typed as a number only exists in Excel
    late = ctx.towns.late_units()[0]
    outside = ctx.towns.out_of_scope()[0]
    with _case():
        s = _find(ctx, "production_accidents", _year(2023))
        _bad_row(s, "negative", "deaths", 1, raw="-1")
        _bad_row(s, "not_in_domain", "industry", 2, raw="交通运输", note="行业类别不在取值范围")
    with _case():
        s = _find(ctx, "road_traffic_accidents", lambda s: s.period == Period(2021, quarter=2))
        _bad_row(s, "not_a_number", "direct_loss", 1, raw="约5万")
    with _case():
        s = _find(ctx, "construction_accidents", _year(2022))
        _bad_row(s, "formula_error", "direct_loss", 1, raw="#DIV/0!")
    with _case():
        s = _find(ctx, "disaster_reports", lambda s: _year(2021)(s) and xl(s))
        _bad_row(s, "fraction_in_int", "affected_person_times", 1, raw=1520.5)
    with _case():
        s = _find(ctx, "fire_hazard_inspections", _year(2023))
        _bad_row(s, "bad_date", "inspected_on", 1, raw="2023-02-30")
    with _case():
        s = _find(ctx, "flood_drought_events", lambda s: s.period.year == 2021 and s.period.month)
        first = date(2021, s.period.month, 1)
        _bad_row(s, "date_out_of_period", "started_on", 1, set_={"started_on": first - timedelta(days=9)})
    with _case():
        s = _find(ctx, "drills", _year(2022))
        _bad_row(s, "unknown_township", "township", 1, raw=UNKNOWN_TOWNSHIP, set_={"level": "街镇"})
    with _case():
        s = _find(ctx, "geohazard_events", _year(2021))
        _bad_row(s, "out_of_scope", "township", 1, raw=outside.name, note="万盛经开区街镇")
    with _case():
        s = _find(ctx, "population", _year(2021))
        _bad_row(s, "out_of_scope", "township", 1, raw=outside.code, key_change=False)
    with _case():
        s = _find(ctx, "fire_hazard_inspections", _year(2019))
        _bad_row(s, "township_not_valid", "township", 1, raw=late.name, note=f"{late.name}{late.valid_from}年设立")
    with _case():
        s = _find(ctx, "road_safety_works", _year(2022))
        _bad_row(s, "missing_required", "km_completed", 1, raw="")
    with _case():
        s = _find(ctx, "geohazard_sites", _year(2022))
        _bad_row(s, "bad_bool", "mass_monitored", 1, raw="不详")
    with _case():
        s = _find(ctx, "weather_warnings", lambda s: s.period == Period(2022, quarter=3))
        _bad_row(s, "not_in_domain", "level", 1, raw="紫色")
    with _case():
        s = _find(ctx, "weather_disasters", lambda s: s.period.year == 2021 and s.fmt != "csv")
        sheet = next(sh for sh in s.sheets if sh.rows)
        s2 = replace(s, sheets=[sheet])  # inject into the first non-empty monthly sheet
        _bad_row(s2, "rule_violation", "crop_damaged_ha", 1,
                 set_={"crop_affected_ha": 10.0, "crop_damaged_ha": 15.0, "crop_lost_ha": 2.0},
                 note="农作物成灾面积大于受灾面积")
    with _case():
        s = _find(ctx, "forest_fires", lambda s: s.period.year >= 2019)
        _bad_row(s, "rule_violation", "damaged_forest_ha", 1,
                 set_={"burned_area_ha": 2.0, "damaged_forest_ha": 3.0, "other_forest_land": False},
                 note="受害森林面积大于过火面积")
    with _case():
        s = _find(ctx, "law_enforcement", _year(2023))
        _bad_row(s, "rule_violation", "qualified_officers", 1, set_={"officers": 6, "qualified_officers": 9})
    with _case():
        s = _find(ctx, "reserves", _year(2024))
        _bad_row(s, "not_a_number", "capacity_people", 1, raw="约300人")
    with _case():
        s = _find(ctx, "rescue_teams", _year(2021))
        _bad_row(s, "bad_date", "established_on", 1, raw="2021-13-01")
    with _case():
        s = _find(ctx, "weather_warnings", lambda s: s.period == Period(2024, quarter=3))
        dup = _bad_row(s, "duplicate_key", "warning_id", 1, key_change=False)
        dup.pop("_raw", None)
    with _case():
        if ctx.last_month < 12:
            s = _find(ctx, "sudden_event_monitoring", _year(ctx.last_year))
            _bad_row(s, "future_date", "occurred_on", 1, set_={"occurred_on": ctx.as_of + timedelta(days=10)})


def _bad_files(ctx: Ctx) -> None:
    def clone(dataset: str, pred, name: str, reason: str, note: str) -> FileSpec:
        src = _find(ctx, dataset, pred, need_rows=False)
        st = replace(src.style, fields=list(src.style.fields), headers=dict(src.style.headers))
        fmt = name.rsplit(".", 1)[1]
        sheets = [Sheet(sh.name if fmt != "csv" else None, [dict(r) for r in sh.rows if "_bad" not in r])
                  for sh in src.sheets if sh.note is None]
        if fmt != "csv" and sheets and sheets[0].name is None:
            sheets[0].name = "Sheet1"
        spec = FileSpec(dataset, name, src.period, sheets,
                        st, fmt=fmt, encoding=src.encoding or "utf-8", bad_file=reason, note=note)
        ctx.files.append(spec)
        return spec

    with _case():
        s = clone("forest_fires", lambda s: s.period.year == 2023, "2023年森林火灾统计表_更正.xlsx",
                  "missing_column", "受害森林面积")
        s.style.fields.remove("damaged_forest_ha")
    with _case():
        s = clone("construction_accidents", _year(2021), "2021年建设施工安全事故_v2.xlsx", "bad_unit",
                  "直接经济损失（美元）")
        s.style.headers["direct_loss"] = "直接经济损失（美元）"
        s.style.units.pop("direct_loss", None)
    with _case():
        # A year-to-date summary (January to July): the rows of the current files of those months.
        s = clone("flood_drought_events", lambda s: s.period.year == 2024 and s.period.month == 7,
                  "2024年1-7月洪旱灾情汇总.csv", "no_period", "2024年1-7月")
        s.period = Period(2024)
        s.sheets[0].rows = [dict(r) for f in ctx.files if f.dataset == "flood_drought_events" and f.raw_bytes is None
                            and not f.bad_file and f.period.year == 2024 and (f.period.month or 13) <= 7
                            and "初报" not in f.name for r in f.rows if "_bad" not in r]
    with _case():
        s = clone("road_safety_works", _year(2023), "2023年公路安全生命防护工程实施情况_更正.xlsx",
                  "missing_column", "完成里程（#REF!）")
        s.style.headers["km_completed"] = "#REF!"
    for name, reason, data, note in (
        ("2025年第四季度预警信号发布情况_更正.csv", "empty_file", b"", "0 bytes"),
        ("2024年地质灾害灾情统计_v2.xlsx", "unreadable", b"PK\x03\x04" + bytes(range(7, 250)) * 3, "truncated zip"),
        ("2022年突发气象灾害监测统计_更正.csv", "unreadable",
         "事件编号,发生日期,灾种,街镇,是否监测到\r\n".encode("gb18030") + b"\xff\xfe\x80\x80\xff,\x81\x30\xff\r\n" * 6,
         "bytes invalid in UTF-8 and GB18030"),
        ("2021年综合行政执法队伍情况_v2.csv", "no_header",
         "綦江区2021年综合行政执法队伍情况\r\n本年度队伍情况无变化，详见上年报表。\r\n".encode("gb18030"), "no header row"),
    ):
        ds = {"预警": "weather_warnings", "地质": "geohazard_events", "突发": "sudden_event_monitoring",
              "综合": "law_enforcement"}[next(k for k in ("预警", "地质", "突发", "综合") if k in name)]
        y = int(name[:4])
        if y not in ctx.years():
            continue
        ctx.files.append(FileSpec(ds, name, Period(y), [], None, fmt=name.rsplit(".", 1)[1],
                                  raw_bytes=data, bad_file=reason, note=note))


def add_duplicate(ctx: Ctx) -> None:
    """One delivery sent twice under another spelling of the same period (same bytes)."""
    try:
        src = _find(ctx, "road_traffic_accidents", lambda s: s.period == Period(2022, quarter=3))
    except LookupError:
        return
    other = Period(2022, quarter=3).label(1 if "Q" in src.name else 0)
    ctx.files.append(FileSpec(src.dataset, f"{other}.csv", src.period, [], src.style, copy_of=src,
                              note=f"same bytes as {src.name}"))


def expectations(spec: FileSpec, rel: str, rownums: dict) -> list[dict]:
    """What the ingestion must report for this written file (empty for a clean file)."""
    if spec.bad_file:
        return [{"file": rel, "level": "file", "reason_code": spec.bad_file, "note": spec.note}]
    out = []
    for r in spec.rows:
        if "_bad" in r:
            reason, field, note = r["_bad"]
            sheet, n = rownums[id(r)]
            header = spec.style.headers.get(field, field)
            out.append({"file": rel, "level": "row", "sheet": sheet, "row_number": n, "column": field,
                        "header": base_header(header) if header != "#REF!" else header,
                        "reason_code": reason, "note": note})
    return out
