"""Turn streamed rows into frames of raw cell strings, a chunk at a time (bounded memory).

Each frame has `_row_number` (the number a person sees) and one Utf8 column per sheet column,
`c0`, `c1`, … (and `n<i>` marking Excel number cells, see number_column). Cells keep their text as written (CSV: exactly; Excel: strings as written, other
cells as values.clean_text spells them: 1001.0 → "1001", a datetime → ISO, True → "True"), so
every parser sees one type. A row shorter than the widest row of its chunk reads None beyond
its end, as the per-row code did.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from itertools import islice, zip_longest

import polars as pl

from pipelines.ingest.decode import CsvSource, Row
from pipelines.ingest.issues import FileRejected
from pipelines.ingest.values import clean_text


def cell_column(i: int) -> str:
    return f"c{i}"


def number_column(i: int) -> str:
    """Present for an Excel column with number cells: True where the cell was a number."""
    return f"n{i}"


def chunks(rows: Iterable[Row], size: int) -> Iterator[pl.DataFrame]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield string_frame(batch)


def string_frame(batch: list[Row]) -> pl.DataFrame:
    numbers, cells = zip(*batch, strict=True)
    series = [pl.Series("_row_number", numbers, dtype=pl.Int32)]
    for i, column in enumerate(zip_longest(*cells)):
        try:
            s = pl.Series(cell_column(i), column, dtype=pl.Utf8)
        except (TypeError, ValueError):  # Excel numbers, dates, booleans among the strings
            s = pl.Series(
                cell_column(i),
                [c if c is None or c.__class__ is str else clean_text(c) for c in column],
                dtype=pl.Utf8,
            )
            # A date column reads a number as an Excel serial, text digits as a spelled date.
            numeric = [c.__class__ in (int, float) for c in column]
            if any(numeric):
                series.append(pl.Series(number_column(i), numeric, dtype=pl.Boolean))
        series.append(s)
    return pl.DataFrame(series)


# --- CSV, read column-wise by polars ------------------------------------------------------------

_BLOCK_BYTES = 32 << 20
# A quote inside an unquoted field (12"寸, "abc"def): Python's csv and polars read it differently.
_STRAY_QUOTE = '"(?<=[^{d}"\\r\\n]")(?=[^{d}"\\r\\n])'


def csv_frames(source: CsvSource, after_line: int, width: int, size: int) -> Iterator[pl.DataFrame]:
    """The records that start below line `after_line`, as string frames of at most `size` rows,
    numbered like decode's csv reader (a record by its first line, blank lines counted).

    The bytes are cut into blocks at a newline outside quotes (0x0A and 0x22 never occur inside
    a GB18030 or UTF-8 character), each block transcoded to UTF-8 in Python where it is not
    UTF-8 already, and split by polars. A block
    that polars and Python's csv could read differently (a quote inside an unquoted field, a
    bare carriage return) ends the fast path: from there on the rows come from Python's csv."""
    names = [cell_column(i) for i in range(width)]
    schema = {f"column_{i + 1}": pl.Utf8 for i in range(width)}
    # On the bytes: 0x22, 0x0D, 0x0A and the delimiters never occur inside a character.
    stray = re.compile(_STRAY_QUOTE.format(d=re.escape(source.delimiter)).encode())
    utf8 = source.encoding == "utf-8-sig"
    line = 1  # the line the next block starts on
    offset = 0  # its byte offset
    with source.path.open("rb") as fh:
        for block in _blocks(fh):
            quoted = b'"' in block
            if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):
                break
            if quoted and stray.search(block):
                break
            if utf8:  # checked strict UTF-8 already: polars takes the bytes as they are
                data = block[3:] if offset == 0 and block.startswith(codecs.BOM_UTF8) else block
            else:
                data = block.decode(_encoding(source, offset)).encode("utf-8")
            try:
                frame = pl.read_csv(
                    data,
                    has_header=False,
                    separator=source.delimiter,
                    infer_schema=False,
                    schema=schema,
                    missing_columns="insert",
                    truncate_ragged_lines=True,
                    empty_string_is_null=False,
                    raise_if_empty=False,
                )
            except pl.exceptions.PolarsError:
                break
            frame.columns = names
            numbers = pl.int_range(pl.len()) + line
            if quoted:  # a record spanning lines (a quoted newline) moves the next one down
                inner = pl.sum_horizontal(
                    pl.col(c).str.count_matches("\n", literal=True) for c in names
                )
                numbers = numbers + inner.cum_sum().shift(1, fill_value=0)
            frame = frame.select(numbers.cast(pl.Int32).alias("_row_number"), *names)
            line += block.count(b"\n")
            offset += len(block)
            frame = frame.filter(pl.col("_row_number") > after_line)
            for start in range(0, frame.height, size):
                yield frame.slice(start, size)
        else:
            return
    # The rest of the file through Python's csv, from the start of the block that stopped us.
    rows = _csv_rows(source, _encoding(source, offset), offset, line)
    yield from chunks((r for r in rows if r[0] > after_line), size)


def _encoding(source: CsvSource, offset: int) -> str:
    """A BOM only at the start of the file."""
    return "utf-8" if source.encoding == "utf-8-sig" and offset else source.encoding


def _blocks(fh) -> Iterator[bytes]:
    carry = b""
    while True:
        data = fh.read(_BLOCK_BYTES)
        if not data:
            if carry:
                yield carry
            return
        data = carry + data
        cut = _last_boundary(data)
        if cut < 0:
            carry = data
            continue
        carry = data[cut + 1 :]
        yield data[: cut + 1]


def _last_boundary(data: bytes) -> int:
    """The position of the last newline with an even number of quotes before it (-1: none)."""
    quotes = data.count(b'"')
    pos = len(data)
    while True:
        nl = data.rfind(b"\n", 0, pos)
        if nl < 0:
            return -1
        quotes -= data.count(b'"', nl, pos)
        if quotes % 2 == 0:
            return nl
        pos = nl


def _csv_rows(source: CsvSource, encoding: str, offset: int, line: int) -> Iterator[Row]:
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
    with source.path.open("rb") as raw:
        raw.seek(offset)
        fh = io.TextIOWrapper(raw, encoding=encoding, newline="")
        reader = csv.reader(fh, delimiter=source.delimiter)
        next_line = line
        try:
            for cells in reader:
                yield next_line, cells
                next_line = line + reader.line_num
        except csv.Error as exc:
            raise FileRejected("unreadable", f"CSV 格式错误（第{next_line}行）：{exc}") from exc
