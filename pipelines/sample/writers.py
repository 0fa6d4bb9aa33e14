"""Render a FileSpec as a department would deliver it: CSV, .xlsx or .xls, with the mess.

The grid is built once (title, units row, header, data, blank, totals, footer rows) and the
row number a person sees is recorded for every data row, so bad rows can be located exactly.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import xlsxwriter
import xlwt

from pipelines.ingest.contracts import Contract, units

from .model import FileSpec, Style
from .towns import Towns

# Fixed document timestamp: the same seed must give byte-identical workbooks.
FIXED_CREATED = datetime(2026, 1, 1, 8, 0, 0)
EXCEL_EPOCH = datetime(1899, 12, 30)
FULLWIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")
BRACKET = re.compile(r"\s*[（(][^（()）]*[）)]\s*$")
BOOLS = {"是否": ("是", "否"), "YN": ("Y", "N"), "10": ("1", "0"), "√×": ("√", "×")}


def base_header(h: str) -> str:
    return BRACKET.sub("", h)


def with_unit(header: str, unit: str, halfwidth: bool = False) -> str:
    return f"{base_header(header)}({unit})" if halfwidth else f"{base_header(header)}（{unit}）"


def unit_factor(contract: Contract, fname: str, unit: str | None) -> float:
    q = contract.field(fname).quantity
    if not unit or not q or q in ("count", "percent"):
        return 1.0
    return float(units()[q]["factors"][unit])


def _num_text(v: float | int, style: Style, is_int: bool) -> str:
    if is_int or (isinstance(v, float) and v.is_integer() and abs(v) >= 1):
        s = f"{int(round(v)):,}" if style.thousands else str(int(round(v)))
    else:
        s = f"{v:,.4f}" if style.thousands else f"{v:.4f}"
        s = s.rstrip("0").rstrip(".")
    return s.translate(FULLWIDTH) if style.fullwidth else s


def _date_text(v: date | datetime, fmt: str, with_time: bool) -> str:
    d = v.date() if isinstance(v, datetime) else v
    if fmt == "slash":
        s = f"{d.year}/{d.month}/{d.day}"
    elif fmt == "zh":
        s = f"{d.year}年{d.month}月{d.day}日"
    else:
        s = d.isoformat()
    if with_time and isinstance(v, datetime):
        s += f" {v.hour:02d}:{v.minute:02d}" + (":00" if fmt == "slash" else "")
    return s


def excel_serial(v: date | datetime) -> float:
    dt = v if isinstance(v, datetime) else datetime(v.year, v.month, v.day)
    delta = dt - EXCEL_EPOCH
    return round(delta.days + delta.seconds / 86400, 6)


class Renderer:
    """Turns canonical row values into cells for one file."""

    def __init__(self, spec: FileSpec, contract: Contract, towns: Towns, rng):
        self.spec, self.c, self.towns, self.rng = spec, contract, towns, rng
        self.excel = spec.fmt in ("xlsx", "xls")

    def cell(self, fname: str, value, year: int):
        st, f = self.spec.style, self.c.field(fname)
        t = f.type
        if value is None:  # the not-reported tokens are for numbers only; other cells stay blank
            return st.null_token if t in ("int", "num") and not f.required else ""
        if t in ("int", "year", "num"):
            converted = unit_factor(self.c, fname, st.units.get(fname)) != 1.0
            v = value / unit_factor(self.c, fname, st.units.get(fname))
            whole = t != "num" and not converted  # 万人 figures carry 4 decimals: exact in 人
            v = round(v, 4) if not whole else v
            if self.excel:
                return int(round(v)) if whole else v
            return _num_text(v, st, whole)
        if t in ("date", "datetime"):
            fmt = st.datetime_fmt if t == "datetime" else st.date_fmt
            if self.excel and fmt in ("excel", "serial"):
                return value if fmt == "excel" else excel_serial(value)
            return _date_text(value, "iso" if fmt in ("excel", "serial") else fmt, t == "datetime")
        if t == "bool":
            yes, no = BOOLS[st.bool_fmt]
            return yes if value else no
        if t == "township":
            return self.towns.render(value, year, st.township_fmt, self.rng)
        if t == "township_list":
            sep = self.rng.choice(["、", "，", "、"])
            return sep.join(self.towns.render(c, year, st.township_fmt, self.rng) for c in value)
        return str(value)


def build_grid(spec: FileSpec, contract: Contract, towns: Towns, rng) -> list[tuple[str | None, list, dict]]:
    """Per sheet: (sheet name, grid rows, {id(row dict): row number as seen})."""
    st, r = spec.style, Renderer(spec, contract, towns, rng)
    header = (["序号"] if st.seq_col else []) + [st.headers[f] for f in st.fields]
    header += ["备注"] if st.remark_col else []
    out = []
    for sheet in spec.sheets:
        grid: list[list] = []
        seen: dict[int, int] = {}
        if sheet.note is not None:
            out.append((sheet.name, [[sheet.note]] if sheet.note else [], seen))
            continue
        if st.title:
            grid.append([st.title] + [""] * (len(header) - 1))
        if st.units_row:
            grid.append([st.units_row] + [""] * (len(header) - 1))
        grid.append(list(header))
        totals = {f: 0.0 for f in st.fields if contract.field(f).type in ("int", "num")}
        for i, row in enumerate(sheet.rows):
            if st.blank_rows and i and i % 17 == 0:
                grid.append([""] * len(header))
            raw = row.get("_raw", {})
            cells = [str(i + 1) if not r.excel else i + 1] if st.seq_col else []
            for f in st.fields:
                cells.append(raw[f] if f in raw else r.cell(f, row.get(f), spec.period.year))
                if f in totals and "_bad" not in row and isinstance(row.get(f), int | float):
                    totals[f] += row[f] / unit_factor(contract, f, st.units.get(f))
            if st.remark_col:
                cells.append(row.get("_remark", ""))
            seen[id(row)] = len(grid) + 1
            grid.append(cells)
        if st.totals and sheet.rows:
            tot = [st.totals] + [""] * (len(header) - 1)
            for j, f in enumerate(st.fields):
                if f in totals and contract.field(f).type != "year":
                    v = round(totals[f], 4)
                    whole = contract.field(f).type == "int" and f not in st.units
                    tot[j + int(st.seq_col)] = v if r.excel else _num_text(v, st, whole)
            grid.append(tot)
        if st.footer:
            grid.append([""] * len(header))
            parts = st.footer.split("|")
            grid.append(parts + [""] * max(0, len(header) - len(parts)))
        out.append((sheet.name, grid, seen))
    return out


def write_csv(grid: list[list], encoding: str) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in grid:
        w.writerow(["" if v is None else v for v in row])
    return buf.getvalue().encode(encoding)


def write_xlsx(sheets: list[tuple[str | None, list, dict]], style: Style) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"created": FIXED_CREATED, "author": "綦江区", "title": ""})
    date_f = wb.add_format({"num_format": "yyyy-mm-dd"})
    dt_f = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    thou_f = wb.add_format({"num_format": "#,##0"})
    title_f = wb.add_format({"bold": True, "font_size": 14})
    for name, grid, _ in sheets:
        ws = wb.add_worksheet(name)
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v == "" or v is None:
                    continue
                if isinstance(v, datetime):
                    fmt = dt_f if (v.hour or v.minute) else date_f
                    ws.write_datetime(i, j, v, fmt)
                elif isinstance(v, date):
                    ws.write_datetime(i, j, datetime(v.year, v.month, v.day), date_f)
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    ws.write_number(i, j, v, thou_f if style.thousands and abs(v) >= 1000 else None)
                else:
                    ws.write_string(i, j, str(v), title_f if i == 0 and style.title else None)
    wb.close()
    return buf.getvalue()


def write_xls(sheets: list[tuple[str | None, list, dict]]) -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    date_f = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    dt_f = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for k, (name, grid, _) in enumerate(sheets):
        ws = wb.add_sheet(name or f"Sheet{k + 1}")
        for i, row in enumerate(grid):
            for j, v in enumerate(row):
                if v == "" or v is None:
                    continue
                if isinstance(v, datetime):
                    ws.write(i, j, v, dt_f if (v.hour or v.minute) else date_f)
                elif isinstance(v, date):
                    ws.write(i, j, datetime(v.year, v.month, v.day), date_f)
                else:
                    ws.write(i, j, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
