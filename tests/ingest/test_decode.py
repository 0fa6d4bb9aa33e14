import datetime as dt

import openpyxl
import pytest

from pipelines.ingest.decode import open_sheets, read_sheets, sniff_delimiter
from pipelines.ingest.issues import FileRejected

from .helpers import write_csv, write_xls, write_xlsx

ROWS = [
    ["綦江区2023年森林火灾情况统计表"],
    [],
    ["火灾编号", "街镇", "过火面积"],
    ["F001", "古南街道", "1,234.5"],
]


def cells(sheet):
    return {n: [c for c in row] for n, row in sheet.rows}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    path = write_csv(tmp_path / "2023.csv", ROWS, encoding=encoding)
    (sheet,) = read_sheets(path)
    assert sheet.name is None
    got = cells(sheet)
    assert got[1] == ["綦江区2023年森林火灾情况统计表"]
    assert got[2] == []  # the blank line keeps its number
    assert got[3] == ["火灾编号", "街镇", "过火面积"]  # no BOM glued to the first header
    assert got[4] == ["F001", "古南街道", "1,234.5"]


def test_gb18030_only_characters(tmp_path):
    rows = [["名称"], ["㐀䶵𠀀"]]  # outside GBK, inside GB18030
    (sheet,) = read_sheets(write_csv(tmp_path / "a.csv", rows, encoding="gb18030"))
    assert cells(sheet)[2] == ["㐀䶵𠀀"]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiters(tmp_path, delimiter):
    path = write_csv(tmp_path / "a.csv", ROWS, delimiter=delimiter)
    assert cells(read_sheets(path)[0])[4] == ["F001", "古南街道", "1,234.5"]


def test_sniffing_ignores_commas_inside_quoted_cells():
    text = '标题\n编号;街镇;损失\nA;古南;"1,234"\nB;文龙;"2,000"\n'
    assert sniff_delimiter(text) == ";"


def test_csv_row_numbers_count_lines_of_multiline_cells(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('编号,简要经过\nA,"第一行\n第二行"\nB,x\n', encoding="utf-8")
    assert list(cells(read_sheets(path)[0])) == [1, 2, 4]


def test_xlsx_values_not_formulas_and_error_text(tmp_path):
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "1月"
    ws.append(["标题"])
    ws.append([])
    ws.append(["编号", "时间", "损失", "错误"])
    ws.append(["A", dt.datetime(2023, 6, 1, 14, 30), 3, "#REF!"])
    ws["E4"] = "=C4*2"
    wb.create_sheet("空表")
    wb.save(path)
    first, empty = read_sheets(path)
    assert first.name == "1月" and empty.name == "空表" and empty.rows == []
    row = cells(first)[4]
    assert row[:4] == ["A", dt.datetime(2023, 6, 1, 14, 30), 3, "#REF!"]
    assert row[4] is None  # never the formula text: no cached value was saved
    assert cells(first)[2] == [None, None, None, None, None]


def test_xls_cells(tmp_path):
    path = write_xls(
        tmp_path / "a.xls",
        {
            "Sheet1": [
                ["标题"],
                [],
                ["编号", "时间", "损失", "错误", "除零", "布尔"],
                ["A", dt.datetime(2023, 6, 1, 14, 30), 3, "#REF!", "#DIV/0!", True],
            ],
            "Sheet2": [],
        },
    )
    first, second = read_sheets(path)
    assert (first.name, second.name) == ("Sheet1", "Sheet2")
    got = cells(first)
    assert got[4] == ["A", dt.datetime(2023, 6, 1, 14, 30), 3.0, "#REF!", "#DIV/0!", True]
    assert 2 not in got or all(c is None for c in got[2])


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.csv", b"", "empty_file"),
        ("a.csv", b"\r\n , ,\r\n\r\n", "empty_file"),
        ("a.csv", b"\x81 abc,\xff\xfe\x00\x01", "unreadable"),
        ("a.csv", "编号,名称\n".encode() + b"\xff\xff\xff", "unreadable"),
        ("a.xlsx", b"PK\x03\x04 not really a zip", "unreadable"),
        ("a.xlsx", "编号,名称\n".encode(), "unreadable"),
        ("a.xls", b"\xd0\xcf\x11\xe0 broken", "unreadable"),
        ("a.pdf", b"%PDF-1.4", "unreadable"),
    ],
)
def test_unreadable_and_empty(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRejected) as exc:
        read_sheets(path)
    assert exc.value.reason_code == reason


def test_empty_workbook(tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", {"Sheet1": [], "Sheet2": [[None, None]]})
    with pytest.raises(FileRejected) as exc:
        read_sheets(path)
    assert exc.value.reason_code == "empty_file"


def test_workbook_format_is_taken_from_the_bytes(tmp_path):
    xlsx = write_xlsx(tmp_path / "a.xlsx", {"表": [["编号"], ["A"]]})
    misnamed = tmp_path / "a.xls"
    misnamed.write_bytes(xlsx.read_bytes())
    (sheet,) = read_sheets(misnamed)
    assert cells(sheet) == {1: ["编号"], 2: ["A"]}


def test_long_free_text_cells(tmp_path):
    long_text = "经过" * 100_000  # beyond csv's default field limit
    path = write_csv(tmp_path / "a.csv", [["编号", "简要经过"], ["A", long_text]])
    assert cells(read_sheets(path)[0])[2] == ["A", long_text]


def test_rows_are_streamed_and_the_file_released(tmp_path):
    path = write_csv(tmp_path / "a.csv", [["编号"], *[[str(i)] for i in range(1000)]])
    with open_sheets(path) as (sheet,):
        rows = iter(sheet.rows)
        assert next(rows) == (1, ["编号"])  # read lazily: one row at a time
    path.unlink()  # nothing holds the file open any more


def _openpyxl_rows(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return {
            ws.title: {
                i: list(v) for i, v in enumerate(ws.iter_rows(values_only=True), start=1)
            }
            for ws in wb.worksheets
        }
    finally:
        wb.close()


def _same_cells(ours, theirs):
    """Equal up to trailing blanks (openpyxl pads rows to the sheet's width)."""
    def trim(row):
        row = list(row)
        while row and row[-1] in (None, ""):
            row.pop()
        return [None if c == "" else c for c in row]

    numbers = set(ours) | set(theirs)
    return all(trim(ours.get(n, [])) == trim(theirs.get(n, [])) for n in numbers)


def test_xlsx_cells_match_openpyxl_on_an_offset_typed_sheet(tmp_path):
    path = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C3"] = "编号"
    ws["D3"] = "时间"
    ws["C5"] = 3
    ws["D5"] = dt.datetime(2023, 6, 1, 14, 30)
    ws["E5"] = dt.date(2020, 1, 1)
    ws["F5"] = 2.5
    ws["G5"] = True
    ws["H5"] = dt.time(10, 5)
    ws["I5"] = 12345678901
    wb.save(path)
    (sheet,) = read_sheets(path)
    ours = cells(sheet)
    assert ours[5][2:9] == [
        3, dt.datetime(2023, 6, 1, 14, 30), dt.datetime(2020, 1, 1), 2.5, True, dt.time(10, 5),
        12345678901,
    ]
    assert type(ours[5][2]) is int
    assert _same_cells(ours, _openpyxl_rows(path)[sheet.name])


def test_xlsx_cells_match_openpyxl_on_every_bundled_workbook():
    from pipelines import settings

    books = sorted(p for p in (settings.PROJECT_DIR / "raw").rglob("*.xlsx"))
    assert len(books) > 100
    compared = 0
    for path in books:
        try:
            expected = _openpyxl_rows(path)
        except Exception:
            continue  # a corrupt sample workbook: rejected by both
        got = {s.name: cells(s) for s in read_sheets(path)}
        assert set(got) == set(expected), path
        for name, rows in expected.items():
            assert _same_cells(got[name], rows), (path, name)
        compared += 1
    assert compared > 100
