"""Dataset contracts: one YAML per dataset under pipelines/contracts drives the generic reader.

A contract names the dataset's folder (department/dataset), its key, the date that places a row
in time, and its fields (headers with aliases, type, quantity for unit conversion, required,
domain) plus row rules. Shared shapes (accident, disaster_event) are merged in by name.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONTRACTS_DIR = Path(__file__).resolve().parent.parent / "contracts"

# Warehouse type of each contract type.
DUCKDB_TYPES = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "year": "INTEGER",
    "num": "DOUBLE",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "bool": "BOOLEAN",
    "township": "VARCHAR",  # 9-digit statistical code
    "township_list": "VARCHAR[]",  # 9-digit codes
    "scope": "VARCHAR",
}

# Columns the loader adds to every raw.<dataset> row (provenance).
META_COLUMNS = {
    "_load_id": "BIGINT",  # audit.load_ledger.load_id of the file the row came from
    "_file_path": "VARCHAR",  # relative to the landing zone
    "_sheet": "VARCHAR",  # NULL for CSV
    "_row_number": "INTEGER",  # as a person sees it in the file
    "_flags": "VARCHAR",  # e.g. unrecognised reported grade; NULL when clean
}


@dataclass(frozen=True)
class Field:
    name: str
    headers: tuple[str, ...]
    type: str
    required: bool = False
    quantity: str | None = None
    domain: tuple[str, ...] | None = None
    soft_domain: tuple[str, ...] | None = None
    hazards: tuple[str, ...] | str | None = None  # hazard labels of hazards.csv, or "all"
    default: Any = None
    max: float | None = None
    private: bool = False

    @property
    def standard_header(self) -> str:
        return self.headers[0]

    @property
    def duckdb_type(self) -> str:
        return DUCKDB_TYPES[self.type]


@dataclass(frozen=True)
class Contract:
    dataset: str
    department: str
    name_zh: str
    grain: str
    key: tuple[str, ...]
    fields: tuple[Field, ...]
    rules: tuple[dict, ...] = ()
    event_date: str | None = None
    path: Path | None = field(default=None, compare=False)

    @property
    def folder(self) -> str:
        return f"{self.department}/{self.dataset}"

    @property
    def has_year_column(self) -> bool:
        return any(f.name == "year" for f in self.fields)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.dataset} has no field {name!r}")

    def raw_columns(self) -> dict[str, str]:
        """Column name to DuckDB type of raw.<dataset>, contract fields first."""
        cols = {f.name: f.duckdb_type for f in self.fields}
        cols.update(META_COLUMNS)
        return cols

    def raw_table_ddl(self, schema: str = "raw") -> str:
        cols = ",\n  ".join(f'"{n}" {t}' for n, t in self.raw_columns().items())
        return f"CREATE TABLE IF NOT EXISTS {schema}.{self.dataset} (\n  {cols}\n)"


def _field(spec: dict) -> Field:
    spec = dict(spec)
    for k in ("headers", "domain", "soft_domain"):
        if spec.get(k) is not None:
            spec[k] = tuple(str(v) for v in spec[k])
    if isinstance(spec.get("hazards"), list):
        spec["hazards"] = tuple(spec["hazards"])
    return Field(**spec)


def _read_yaml(path: Path):
    # libyaml's loader parses the 26 contracts about 10× faster than the pure-Python one, and
    # every build process reads them at start-up.
    return yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@functools.cache
def _shape(shape_name: str) -> dict:
    return _read_yaml(CONTRACTS_DIR / "shapes" / f"{shape_name}.yaml")


def _merge_shape(doc: dict) -> dict:
    shape_name = doc.pop("shape", None)
    if not shape_name:
        return doc
    shape = _shape(shape_name)
    overrides = doc.pop("field_overrides", {}) or {}
    fields = []
    for f in shape["fields"]:
        f = {**f, **overrides.get(f["name"], {})}
        fields.append(f)
    fields.extend(doc.pop("extra_fields", []) or [])
    merged = {k: v for k, v in shape.items() if k not in ("fields", "rules")}
    merged.update(doc)
    merged["fields"] = fields
    merged["rules"] = list(shape.get("rules", [])) + list(doc.get("rules", []) or [])
    return merged


def load_contract(path: Path) -> Contract:
    doc = _merge_shape(_read_yaml(path))
    unknown = set(doc) - {"dataset", "department", "name_zh", "grain", "key", "fields", "rules", "event_date"}
    if unknown:
        raise ValueError(f"{path.name}: unknown contract keys {sorted(unknown)}")
    contract = Contract(
        dataset=doc["dataset"],
        department=doc["department"],
        name_zh=doc["name_zh"],
        grain=doc["grain"],
        key=tuple(doc["key"]),
        fields=tuple(_field(f) for f in doc["fields"]),
        rules=tuple(doc.get("rules") or ()),
        event_date=doc.get("event_date"),
        path=path,
    )
    names = [f.name for f in contract.fields]
    missing = [k for k in contract.key if k not in names]
    if missing or len(set(names)) != len(names):
        raise ValueError(f"{path.name}: key {missing} not among fields, or duplicate field names")
    return contract


@functools.cache
def all_contracts() -> dict[str, Contract]:
    """Every dataset's contract keyed by dataset name, in folder order."""
    contracts = {}
    for path in sorted(CONTRACTS_DIR.glob("*.yaml")):
        if path.name == "units.yaml":
            continue
        c = load_contract(path)
        contracts[c.dataset] = c
    return dict(sorted(contracts.items(), key=lambda kv: kv[1].folder))


@functools.cache
def units() -> dict[str, dict]:
    return _read_yaml(CONTRACTS_DIR / "units.yaml")


def contract_for_folder(department: str, dataset: str) -> Contract | None:
    c = all_contracts().get(dataset)
    return c if c is not None and c.department == department else None
