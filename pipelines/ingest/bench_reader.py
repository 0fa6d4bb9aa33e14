"""Benchmark the generic reader on a synthetic messy CSV (not a test): prints rows/s.

    .venv/bin/python -m pipelines.ingest.bench_reader [--rows 1000000] [--keep PATH]

The file is a GB18030 production-accident ledger of the district's own shape: a title and a unit
row, then data with the mess departments deliver — blank/`-`/`无` cells, full-width digits,
thousands separators, 2023/6/1 and 2023年6月1日 dates, township aliases, totals rows, repeated
headers, phone numbers in the summary, a few bad values and duplicate numbers. For comparison it
also times DuckDB reading the same file (transcoded to UTF-8 first, as DuckDB cannot read GBK)
and a plain pandas script.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date
from pathlib import Path

from pipelines.ingest.contracts import all_contracts
from pipelines.ingest.periods import parse_period

HEADER = [
    "序号",
    "事故编号",
    "发生时间",
    "发生地点（街镇）",
    "行业类别",
    "事故类别",
    "死亡人数",
    "失踪人数",
    "重伤人数",
    "轻伤人数",
    "直接经济损失（万元）",
    "事故等级",
    "事故简要情况",
]
_TOWNS = ["古南街道", "文龙", "三江街道", "新盛镇", "500110001", "通惠街道", " 古南街道 "]
_INDUSTRIES = ["道路运输", "建筑施工", "工矿商贸", "其他", "消防火灾"]
_TYPES = ["车辆伤害", "高处坠落", "物体打击", "其他伤害", ""]
_GRADES = ["一般", "较大", "", "一般事故"]
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _when(rng: random.Random) -> str:
    m, d, h, mi = rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23), rng.randint(0, 59)
    form = rng.random()
    if form < 0.7:
        return f"2023-{m:02d}-{d:02d} {h:02d}:{mi:02d}"
    if form < 0.85:
        return f"2023/{m}/{d} {h}:{mi:02d}"
    if form < 0.95:
        return f"2023年{m}月{d}日"
    return f"2023-{m:02d}-{d:02d}"


def _count(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.8:
        return str(rng.randint(0, 3))
    if r < 0.81:
        return rng.choice(["", "-", "无"])  # not reported (quarantined where required)
    if r < 0.95:
        return str(rng.randint(0, 9)).translate(_FULL)
    return f" {rng.randint(0, 5)} "


def _loss(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.7:
        return f"{rng.uniform(0, 500):.2f}"
    if r < 0.85:
        return f"{rng.randint(1000, 99999):,}"
    if r < 0.99:
        return str(rng.randint(0, 100))
    return rng.choice(["-", "#REF!", "-3", "约5"])


def write_messy_csv(path: Path, rows: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with path.open("w", encoding="gb18030", newline="") as fh:
        fh.write("綦江区2023年生产安全事故台账\r\n单位：人、万元\r\n")
        fh.write(",".join(HEADER) + "\r\n")
        for i in range(rows):
            if i and i % 50_000 == 0:
                fh.write(",".join(HEADER) + "\r\n")  # a pasted block repeats the header
            if i and i % 10_000 == 0:
                fh.write(",合计,,,,,12,,3,,456.7,,\r\n")
            if i % 997 == 0:
                fh.write("\r\n")
            ident = f"SG2023{i:08d}" if rng.random() > 0.001 else f"SG2023{max(i - 5, 0):08d}"
            summary = rng.choice(
                ["驾驶员操作不当", "", "高处作业未系安全带，联系人13812345678", "施工中物体坠落"]
            )
            cells = [
                str(i + 1),
                ident,
                _when(rng),
                rng.choice(_TOWNS),
                rng.choice(_INDUSTRIES),
                rng.choice(_TYPES),
                _count(rng),
                _count(rng),
                _count(rng),
                _count(rng),
                _loss(rng),
                rng.choice(_GRADES),
                summary,
            ]
            fh.write(",".join(f'"{c}"' if "," in c else c for c in cells) + "\r\n")
        fh.write("填报单位：区应急管理局,,,,,,,,,,,,\r\n")
    return path


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="write the CSV here and keep it")
    ap.add_argument("--no-baselines", action="store_true", help="time the reader only")
    args = ap.parse_args()

    from pipelines.ingest.reader import read_extract

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "2023年生产安全事故台账.csv"
        t = _time(lambda: write_messy_csv(path, args.rows))
        print(
            f"wrote {args.rows:,} rows to {path} in {t:.1f} s ({path.stat().st_size / 2**20:.0f} MiB)"
        )
        contract = all_contracts()["production_accidents"]
        result = None

        def run():
            nonlocal result
            result = read_extract(path, contract, parse_period("2023年"), date(2026, 11, 30))

        t = _time(run)
        print(
            f"reader: {t:.2f} s, {args.rows / t:,.0f} rows/s "
            f"({result.rows.height:,} loaded, {result.rows_quarantined:,} quarantined, "
            f"{result.rows_skipped:,} skipped)"
        )
        if args.no_baselines:
            return
        import duckdb
        import pandas as pd

        utf8 = Path(tmp) / "utf8.csv"
        t_decode = _time(lambda: utf8.write_text(path.read_text("gb18030"), "utf-8"))
        t = _time(
            lambda: duckdb.sql(
                f"select count(*) from read_csv('{utf8}', all_varchar=true, header=false, "
                "skip=3, null_padding=true, strict_mode=false)"
            ).fetchall()
        )
        print(f"duckdb (utf-8 copy): {t:.2f} s (+{t_decode:.2f} s transcoding)")
        t = _time(lambda: pd.read_csv(path, encoding="gb18030", skiprows=2, dtype=str))
        print(f"pandas read_csv (strings only, no checks): {t:.2f} s")


if __name__ == "__main__":
    main()
