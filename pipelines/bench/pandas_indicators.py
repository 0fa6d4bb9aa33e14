"""The comparison: three core indicators as a bureau would script them in pandas.

PS_DEATHS (accident deaths), ND_AFFECTED_PER_100K (disaster-affected person-times per 100,000
residents) and FF_DAMAGE_RATE (damaged forest ÷ forest area, ‰), per year for the district and
for every township, from the same landing zone the pipeline reads. A fair script, not a strawman:
it reads only the nine datasets these indicators need, with pandas' C CSV parser and openpyxl
(xlrd for .xls), decodes GB18030, finds the header row by the contract's header names, drops
title, units, totals and footer rows, normalises full-width digits, thousands separators and
not-reported tokens, converts units named in headers, resolves townships through the seed,
keeps the current revision of each period and the longest period for a key, and de-duplicates
accidents by accident_id and disaster events by (event_id, township) with the pipeline's source
priority. It does not validate, quarantine, keep history or build anything else.

    python -m pipelines.bench.pandas_indicators RAW_DIR SEEDS_DIR OUT.json
"""

from __future__ import annotations

import io
import json
import re
import sys
import time
import unicodedata
import warnings
from pathlib import Path

import pandas as pd

from pipelines.ingest.contracts import all_contracts, units
from pipelines.ingest.periods import parse_file_name

ACCIDENTS = ["production_accidents", "road_traffic_accidents", "waterway_accidents", "construction_accidents"]
EVENTS = ["disaster_reports", "geohazard_events", "flood_drought_events", "weather_disasters"]
NEEDED = {
    **{d: ["accident_id", "occurred_at", "township", "deaths"] for d in ACCIDENTS},
    **{d: ["event_id", "started_on", "township", "affected_person_times"] for d in EVENTS},
    "forest_fires": ["fire_id", "ignited_at", "township", "damaged_forest_ha"],
    "forest_resources": ["year", "township", "forest_ha"],
    "population": ["year", "township", "resident_population"],
}
KEYS = {**{d: ["accident_id"] for d in ACCIDENTS}, **{d: ["event_id", "township"] for d in EVENTS},
        "forest_fires": ["fire_id"], "forest_resources": ["year", "township"], "population": ["year", "township"]}
NULL_TOKENS = {"", "-", "/", "无", "—", "－", "--", "nan", "None"}
BRACKET = re.compile(r"\s*[（(]([^（()）]*)[）)]\s*$")
PERIOD_DAYS = {"year": 365, "quarter": 90, "month": 30}


def _norm(text) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lstrip("*※")


def township_map(seeds_dir: Path) -> dict[str, str]:
    seed = pd.read_csv(seeds_dir / "townships.csv", dtype=str, keep_default_na=False)
    seed = seed[seed["scope"] == "本级"]
    out: dict[str, str] = {}
    for r in seed.itertuples():
        for name in [r.code9, r.code12, r.name, *r.aliases.split("|")]:
            n = _norm(name)
            if n:
                out.setdefault(n, r.code9)
                for suffix in ("街道", "镇"):
                    if n.endswith(suffix) and len(n) > len(suffix):
                        out.setdefault(n[: -len(suffix)], r.code9)
    return out


def read_table(path: Path) -> pd.DataFrame:
    """Every cell as text (first sheet of a workbook)."""
    raw = path.read_bytes()
    if raw[:2] == b"PK" or raw[:4] == b"\xd0\xcf\x11\xe0":  # a workbook, whatever the name says
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            df = pd.read_excel(io.BytesIO(raw), header=None, dtype=object,
                               engine="openpyxl" if raw[:2] == b"PK" else "xlrd")
        return df.astype(object).where(df.notna(), "")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    return pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False, engine="c",
                       names=range(_max_fields(text)))


def _max_fields(text: str) -> int:
    return max(line.count(",") for line in text[:200_000].splitlines()[:40]) + 1


def frame_of(path: Path, dataset: str) -> pd.DataFrame:
    """The needed columns of one file, as text, data rows only; units converted later."""
    contract = all_contracts()[dataset]
    want = NEEDED[dataset]
    aliases = {_norm(h): f for f in want for h in contract.field(f).headers}
    df = read_table(path)
    header_row, columns = None, {}
    for i in range(min(15, len(df))):
        found: dict[str, tuple[int, str | None]] = {}
        for j, cell in enumerate(df.iloc[i].tolist()):
            text = _norm(cell) if cell is not None else ""
            m = BRACKET.search(text)
            unit = m.group(1) if m else None
            base = BRACKET.sub("", text)
            f = aliases.get(text) or aliases.get(base)
            if f and f not in found:
                found[f] = (j, unit)
        if len(found) >= 2:
            header_row, columns = i, found
            break
    if header_row is None or set(columns) != set(want):
        return pd.DataFrame(columns=want)
    body = df.iloc[header_row + 1:, [columns[f][0] for f in want]]
    body.columns = want
    key = want[0]
    first = _text(df.iloc[header_row + 1:, 0]).str.replace(r"\s+", "", regex=True)
    keep = (body[key].astype(str).str.strip() != "") & ~first.isin({"合计", "总计", "小计"})
    keep &= ~first.str.startswith(("填报", "审核", "制表"))
    body = body[keep].copy()
    for f in want:
        unit = columns[f][1]
        q = contract.field(f).quantity
        if unit and q and q in units() and unit in units()[q]["factors"]:
            body.attrs[f"factor_{f}"] = float(units()[q]["factors"][unit])
    return body


def _text(s: pd.Series) -> pd.Series:
    return s.astype(str).str.normalize("NFKC").str.strip()


def to_number(s: pd.Series, factor: float = 1.0) -> pd.Series:
    text = _text(s).str.replace(",", "", regex=False)
    text = text.where(~text.isin(NULL_TOKENS))
    return pd.to_numeric(text, errors="coerce") * factor


def to_year(s: pd.Series) -> pd.Series:
    """The year of a date cell: a datetime (workbooks), text starting with the year, or an Excel serial."""
    stamps = s.map(lambda v: v.year if hasattr(v, "year") else None) if s.dtype == object else None
    text = _text(s)
    year = pd.to_numeric(text.str.extract(r"^(\d{4})", expand=False), errors="coerce")
    serial = pd.to_numeric(text.where(text.str.fullmatch(r"\d{5}(\.\d+)?")), errors="coerce")
    from_serial = (pd.Timestamp("1899-12-30") + pd.to_timedelta(serial, unit="D")).dt.year
    year = from_serial.where(serial.between(20000, 80000), year)
    if stamps is not None:
        year = pd.to_numeric(stamps, errors="coerce").fillna(year)
    return year


def load(raw_dir: Path, dataset: str, towns: dict[str, str]) -> pd.DataFrame:
    contract = all_contracts()[dataset]
    folder = raw_dir / contract.department / dataset
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))
                   and p.suffix.lower() in (".csv", ".xlsx", ".xls", ".txt")) if folder.is_dir() else []
    current: dict[str, tuple[int, Path, str]] = {}
    for p in files:  # the highest revision of each period (later file on a tie)
        period, _, rank = parse_file_name(p.name)
        if period is None:
            continue
        if period.period not in current or rank >= current[period.period][0]:
            current[period.period] = (rank, p, period.kind)
    parts = []
    for rank, p, kind in current.values():
        try:
            body = frame_of(p, dataset)
        except Exception:  # an unreadable file: a script skips it and carries on
            continue
        if body.empty:
            continue
        out = pd.DataFrame({"_days": PERIOD_DAYS[kind], "_rank": rank, "_file": p.name}, index=body.index)
        for f in NEEDED[dataset]:
            ftype = contract.field(f).type
            if ftype in ("int", "num", "year"):
                out[f] = to_number(body[f], body.attrs.get(f"factor_{f}", 1.0))
            elif ftype == "township":
                out[f] = _text(body[f]).str.replace(r"\s+", "", regex=True).map(towns)
            elif ftype in ("date", "datetime"):
                out["year"] = to_year(body[f])
            else:
                out[f] = body[f].astype(str).str.strip()
        parts.append(out)
    if not parts:
        return pd.DataFrame(columns=[*NEEDED[dataset], "year", "_days", "_rank", "_file"])
    df = pd.concat(parts, ignore_index=True)
    df = df[df["township"].notna() & df["year"].notna()]
    # A key in several current files (a year file beside month files): the longest period, then
    # the highest revision, then the later file.
    df = df.sort_values(["_days", "_rank", "_file"], ascending=False)
    return df.drop_duplicates(KEYS[dataset], keep="first")


def carried_forward(df: pd.DataFrame, value: str, years: list[int]) -> pd.DataFrame:
    """township × year with the latest earlier year's value where a year is missing."""
    wide = df.pivot_table(index="year", columns="township", values=value, aggfunc="sum")
    wide = wide.reindex(sorted(set(years) | set(wide.index))).ffill()
    return wide.loc[years].stack().rename(value).reset_index()


def compute(raw_dir: Path, seeds_dir: Path) -> dict:
    towns = township_map(seeds_dir)
    data = {d: load(raw_dir, d, towns) for d in NEEDED}
    acc = pd.concat([data[d].assign(_prio=i) for i, d in enumerate(ACCIDENTS)], ignore_index=True)
    acc = acc.sort_values(["_prio", "_rank"], ascending=[True, False]).drop_duplicates("accident_id")
    ev = pd.concat([data[d].assign(_prio=i) for i, d in enumerate(EVENTS)], ignore_index=True)
    ev = ev.sort_values(["_prio", "_rank"], ascending=[True, False]).drop_duplicates(["event_id", "township"])
    fires = data["forest_fires"]
    years = sorted({int(y) for y in pd.concat([acc["year"], ev["year"], fires["year"]]).dropna()})
    pop = carried_forward(data["population"], "resident_population", years)
    forest = carried_forward(data["forest_resources"], "forest_ha", years)

    out: dict[str, dict] = {}
    deaths = acc.groupby(["year", "township"])["deaths"].sum()
    out["PS_DEATHS"] = _levels(deaths, None, 1)
    affected = ev.groupby(["year", "township"])["affected_person_times"].sum()
    out["ND_AFFECTED_PER_100K"] = _levels(affected, pop.set_index(["year", "township"])["resident_population"], 100_000)
    damaged = fires.groupby(["year", "township"])["damaged_forest_ha"].sum()
    out["FF_DAMAGE_RATE"] = _levels(damaged, forest.set_index(["year", "township"])["forest_ha"], 1000)
    rows = {d: int(len(v)) for d, v in data.items()}
    return {"indicators": out, "rows_used": rows}


def _levels(num: pd.Series, den: pd.Series | None, scale: float) -> dict:
    """{'district': {year: value}, 'townships': number of township-year values}."""
    num.index = num.index.set_levels([num.index.levels[0].astype(int), num.index.levels[1]])
    if den is None:
        district = num.groupby(level="year").sum()
        town = num
    else:
        den.index = den.index.set_levels([den.index.levels[0].astype(int), den.index.levels[1]])
        n = num.reindex(den.index, fill_value=0.0)
        district = n.groupby(level="year").sum() / den.groupby(level="year").sum() * scale
        town = (n / den.where(den > 0)) * scale
    return {"district": {int(y): float(v) for y, v in district.items()}, "township_values": int(town.notna().sum())}


def main(argv: list[str]) -> int:
    raw_dir, seeds_dir, out = Path(argv[0]), Path(argv[1]), Path(argv[2])
    t0 = time.perf_counter()
    result = compute(raw_dir, seeds_dir)
    result["seconds_in_process"] = time.perf_counter() - t0
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
