"""Turn streamed rows into frames of raw cell strings, a chunk at a time (bounded memory).

Each frame has `_row_number` (the number a person sees) and one Utf8 column per sheet column,
`c0`, `c1`, … Cells keep their text as written (CSV: exactly; Excel: strings as written, other
cells as values.clean_text spells them: 1001.0 → "1001", a datetime → ISO, True → "True"), so
every parser sees one type. A row shorter than the widest row of its chunk reads None beyond
its end, as the per-row code did.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice, zip_longest

import polars as pl

from pipelines.ingest.decode import Row
from pipelines.ingest.values import clean_text


def cell_column(i: int) -> str:
    return f"c{i}"


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
        series.append(s)
    return pl.DataFrame(series)
