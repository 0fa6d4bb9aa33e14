"""Writers for small extract fixtures: xlsx (openpyxl), xls (xlwt) and CSV in any encoding."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import xlwt

from pipelines.ingest.contracts import all_contracts
from pipelines.ingest.periods import parse_period
from pipelines.ingest.reader import read_extract

TODAY = dt.date(2026, 11, 30)
TITLE = ["綦江区2023年森林火灾情况统计表"]
UNIT_ROW = ["单位：公顷、人、万元"]
XLS_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
FIRE_HEADER = [
    "序号",
    "火灾编号",
    "起火时间",
    "街镇",
    "过火面积",
    "受害森林面积",
    "死亡人数",
    "重伤人数",
]


def fire_row(
    n: int,
    fire_id: str,
    when: Any = "2023-03-01 14:30",
    town: Any = "古南街道",
    burned: Any = 2,
    damaged: Any = 1,
    deaths: Any = 0,
    injuries: Any = 0,
) -> list[Any]:
    return [n, fire_id, when, town, burned, damaged, deaths, injuries]


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def write_xls(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.datetime | dt.date):
                    ws.write(r, c, v, date_style)
                elif isinstance(v, str) and v in XLS_ERRORS:
                    ws.row(r).set_cell_error(c, v)  # a real error cell, as Excel stores #REF!
                elif isinstance(v, bool):
                    ws.row(r).set_cell_boolean(c, v)
                else:
                    ws.write(r, c, v)
    wb.save(str(path))
    return path


def write_csv(
    path: Path, rows: list[list[Any]], encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def read(path: Path, dataset: str = "forest_fires", today: dt.date = TODAY):
    period = parse_period(path.name)
    assert period is not None, path.name
    return read_extract(path, all_contracts()[dataset], period, today)


def reasons(result) -> dict[int, str]:
    """row number → reason code of the quarantined rows."""
    return {i.row_number: i.reason_code for i in result.issues}
