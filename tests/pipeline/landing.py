"""Write small landing zones the way departments deliver them (title row, units row, footer)."""

from __future__ import annotations

from pathlib import Path

FIRE_HEADER = ["序号", "火灾编号", "起火时间", "街镇", "过火面积（亩）", "受害森林面积（亩）", "死亡人数", "重伤人数"]


def write_csv(path: Path, rows: list[list], *, title: str, header: list[str], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [title, "单位：亩、人", ",".join(header)]
    lines += [",".join("" if v is None else str(v) for v in r) for r in rows]
    lines += ["填报单位：区林业局,,填报人：张三"]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def fire_file(raw: Path, name: str, fires: list[tuple], encoding: str = "utf-8") -> Path:
    """fires: (fire_id, ignited_at, township, burned_mu, damaged_mu, deaths, injuries)."""
    rows = [[i + 1, *f] for i, f in enumerate(fires)]
    return write_csv(
        raw / "forestry" / "forest_fires" / name,
        rows,
        title="綦江区森林火灾情况统计表",
        header=FIRE_HEADER,
        encoding=encoding,
    )
