"""frames.csv_frames (polars, in blocks) reads a CSV exactly as decode's Python csv rows do."""

import pytest

from pipelines.ingest import frames
from pipelines.ingest.decode import open_sheets

_TEXT = (
    "綦江区2023年台账\n单位：万元\n\n编号,时间,说明\n"
    'A1,2023-03-01,"两行\n说明"\n'
    "\n"
    'A2,2023-03-02,"逗号,在内"\n'
    "A3,2023-03-03\n"
    "A4,2023-03-04,多,出,的\n"
    '   ,"",\n'
    'A5,2023-03-05,"引号""在内"\n'
)


def _rows_by_python(path):
    with open_sheets(path) as sheets:
        return [(n, cells) for n, cells in sheets[0].rows]


def _rows_by_frames(path, after_line, width):
    with open_sheets(path) as sheets:
        source = sheets[0].csv
    out = []
    for frame in frames.csv_frames(source, after_line, width, size=3):
        for number, *cells in frame.iter_rows():
            out.append((number, cells))
    return out


@pytest.mark.parametrize("block", [16, 64, 1 << 20])
@pytest.mark.parametrize(
    ("variant", "encoding"),
    [
        ("plain", "utf-8"),
        ("crlf", "gb18030"),
        ("bom", "utf-8-sig"),
        ("stray_quote", "utf-8"),  # Python's csv takes over from that block
        ("bare_cr", "utf-8"),
    ],
)
def test_csv_frames_match_python_csv(tmp_path, monkeypatch, block, variant, encoding):
    monkeypatch.setattr(frames, "_BLOCK_BYTES", block)
    text = _TEXT
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    elif variant == "stray_quote":
        text += 'A6,2023-03-06,12"寸\nA7,2023-03-07,"x"y\nA8,2023-03-08,ok\n'
    elif variant == "bare_cr":
        text += "A6,2023-03-06,x\rA7,2023-03-07,y\n"
    path = tmp_path / "2023年.csv"
    path.write_text(text, encoding=encoding, newline="")
    expected = [(n, cells) for n, cells in _rows_by_python(path) if n > 4]
    width = max(len(c) for _, c in expected)
    got = _rows_by_frames(path, after_line=4, width=width)
    assert [n for n, _ in got] == [n for n, _ in expected]
    for (_, cells), (_, want) in zip(got, expected, strict=True):
        # Beyond a short row's end a frame holds None or "" where Python's row just ends.
        assert _trimmed(cells) == _trimmed(want)


def _trimmed(cells):
    cells = [c or None for c in cells]
    while cells and cells[-1] is None:
        cells.pop()
    return cells
