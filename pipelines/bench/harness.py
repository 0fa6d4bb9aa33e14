"""`make bench`: every measurement in bounded subprocesses, one machine, one run.

For each scale (the district sample in raw/, and a synthetic national landing zone cached under
data/bench/), in a work directory of its own:

1. deployment: a copy of the dbt project with the scale's townships seed (EMSTATS_DBT_PROJECT_DIR),
   its dbt manifest prepared as `make prepare` does (not timed);
2. floor: bare DuckDB reading every extract's rows into tables (pipelines/bench/floor.py);
3. full build: `emstats build` into a fresh warehouse; wall time, time until the published copy
   appears, peak memory (sum of the RSS of the build's process tree, sampled every 0.1 s) and a
   profile from the build's progress log and dbt's run_results.json;
4. incremental: one revised extract (a death count corrected) dropped into the landing zone, then
   `emstats build` again on the same warehouse, timed until the published copy is replaced; the
   corrected figure is checked in the published marts;
5. (district) a full rebuild into a fresh warehouse from the same landing zone: its marts must
   equal the incremental warehouse's marts;
6. pandas: PS_DEATHS, ND_AFFECTED_PER_100K and FF_DAMAGE_RATE scripted in pandas
   (pipelines/bench/pandas_indicators.py), checked against the marts;
7. boards: every page's queries replayed on the published warehouse (board_queries.py).

Then docs/benchmarks.md is written (report.py). Every step has a timeout; a step that fails or
times out is reported as such and the run goes on.

    python -m pipelines.bench [--areas 40000] [--years 8] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipelines import settings
from pipelines.bench import report
from pipelines.bench.deployment import deployment_env, make_deployment

PY = sys.executable
EMSTATS = str(Path(sys.executable).with_name("emstats"))
DISTRICT_CODE_SEED = "deployment.csv"


@dataclass
class Step:
    name: str
    cmd: list[str]
    seconds: float | None = None
    rc: int | None = None
    timed_out: bool = False
    peak_rss_mb: float | None = None  # sum over the process tree, sampled
    peak_at_s: float | None = None
    published_at_s: float | None = None  # when the published copy was (re)placed, from start
    killed_for_memory: bool = False
    log: str | None = None
    result: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rc == 0 and not self.timed_out and not self.killed_for_memory


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read()
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    return kids


def _tree_rss(root: int) -> float:
    """Resident memory of a process and all its descendants, in MiB."""
    kids = _children_map()
    todo, total = [root], 0
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    return total / 2**20


def _file_id(path: Path | None):
    if path is None:
        return None
    try:
        s = path.stat()
        return (s.st_ino, s.st_mtime_ns, s.st_size)
    except FileNotFoundError:
        return None


MAX_TREE_RSS_MB = float(os.environ.get("EMSTATS_BENCH_MAX_RSS_GB", "12")) * 1024  # the machine is shared


def run_step(name: str, cmd: list[str], *, env: dict, timeout: float, log: Path, cwd: Path | None = None,
             watch: Path | None = None) -> Step:
    """Run cmd in its own process group, bounded by timeout; sample its tree's memory."""
    step = Step(name, cmd, log=str(log))
    log.parent.mkdir(parents=True, exist_ok=True)
    before = _file_id(watch)
    print(f"[bench] {name}: {' '.join(cmd[:3])} … (timeout {timeout:.0f} s)", flush=True)
    t0 = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        peak, peak_at = 0.0, 0.0
        while True:
            try:
                proc.wait(timeout=0.1)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.perf_counter() - t0
            rss = _tree_rss(proc.pid)
            if rss > peak:
                peak, peak_at = rss, now
            if watch is not None and step.published_at_s is None and _file_id(watch) not in (None, before):
                step.published_at_s = now
            if now > timeout:
                step.timed_out = True
                _kill_group(proc)
                break
            if rss > MAX_TREE_RSS_MB:  # stop before the shared machine runs out of memory
                step.killed_for_memory = True
                _kill_group(proc)
                break
    step.seconds = time.perf_counter() - t0
    step.rc = proc.returncode
    step.peak_rss_mb, step.peak_at_s = peak, peak_at
    if watch is not None and step.published_at_s is None and _file_id(watch) not in (None, before):
        step.published_at_s = step.seconds
    state = "timed out" if step.timed_out else "killed (memory)" if step.killed_for_memory else f"rc={step.rc}"
    print(f"[bench] {name}: {step.seconds:.1f} s, {state}, peak {peak:.0f} MiB", flush=True)
    return step


def _kill_group(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:  # another file system
        shutil.copy2(src, dst)


def _json(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}


# --- landing zones ---------------------------------------------------------------------------

def national_landing(cache: Path, areas: int, years: int, timeout: float, log_dir: Path) -> tuple[Path, Path, dict]:
    """(landing zone, townships seed, generation info) of a synthetic world, generated once into the cache."""
    from pipelines.sample.scale import GENERATOR_VERSION

    key = f"a{areas}-y{years}-v{GENERATOR_VERSION}"
    root = cache / key
    raw, seed, done = root / "raw", root / "raw.townships.csv", root / "generated.json"
    if done.exists() and raw.is_dir() and seed.exists():
        info = _json(done)
        info["cached"] = True
        return raw, seed, info
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    step = run_step(f"generate {key}", [EMSTATS, "sample", "--out", str(raw), "--areas", str(areas),
                                        "--years", str(years)],
                    env=dict(os.environ), timeout=timeout, log=log_dir / f"generate-{key}.log")
    if not step.ok:
        raise RuntimeError(f"generating the national landing zone failed ({step.log})")
    info = {"seconds": step.seconds, "summary": Path(step.log).read_text("utf-8")[-3000:]}
    done.write_text(json.dumps(info, ensure_ascii=False), "utf-8")
    info["cached"] = False
    return raw, seed, info


def landing_stats(raw: Path) -> dict:
    from pipelines.bench.floor import extract_files

    files = extract_files(raw)
    by_fmt: dict[str, int] = {}
    for p in files:
        by_fmt[p.suffix.lower()] = by_fmt.get(p.suffix.lower(), 0) + 1
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files), "by_format": by_fmt}


# --- the new extract -------------------------------------------------------------------------

def add_revised_extract(raw: Path, dataset: str = "production_accidents") -> dict:
    """Drop a corrected revision (更正) of the dataset's latest CSV file: one death added to its
    first accident. Returns what was written and the year whose PS_DEATHS should grow by one."""
    from pipelines.bench.pandas_indicators import BRACKET, _norm
    from pipelines.ingest.contracts import all_contracts
    from pipelines.ingest.periods import parse_file_name

    c = all_contracts()[dataset]
    folder = raw / c.department / dataset
    candidates = []
    for p in folder.glob("*.csv"):
        period, _, rank = parse_file_name(p.name)
        if period is not None:
            candidates.append((period.end, period.kind == "year", rank, p.name, p, period))
    if not candidates:
        raise RuntimeError(f"no CSV extract of {dataset} to revise")
    *_, path, period = max(candidates)
    data = path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        encoding, text = "gb18030", data.decode("gb18030")
    rows = list(csv.reader(io.StringIO(text)))
    aliases = {_norm(h): f.name for f in c.fields for h in f.headers}
    header_at, deaths_col = None, None
    for i, row in enumerate(rows[:15]):
        names = [aliases.get(_norm(x)) or aliases.get(BRACKET.sub("", _norm(x))) for x in row]
        if "deaths" in names and "accident_id" in names:
            header_at, deaths_col = i, names.index("deaths")
            break
    if header_at is None:
        raise RuntimeError(f"no header in {path}")
    changed = None
    for row in rows[header_at + 1:]:
        cell = unicodedata.normalize("NFKC", row[deaths_col] if deaths_col < len(row) else "").replace(",", "")
        if cell.strip().isdigit() and row[0] not in ("合计", "总计", "小计"):
            row[deaths_col] = str(int(cell) + 1)
            changed = row
            break
    if changed is None:
        raise RuntimeError(f"no accident row with a death count in {path}")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    new = path.with_name(f"{path.stem}_更正.csv")
    new.write_bytes(buf.getvalue().encode(encoding))
    return {"file": str(new.relative_to(raw)), "revises": str(path.relative_to(raw)), "period": period.period,
            "year": period.year, "rows": len(rows) - header_at - 1, "encoding": encoding}


# --- warehouse checks ------------------------------------------------------------------------

def district_code(deployment: Path) -> str:
    with (deployment / "seeds" / DISTRICT_CODE_SEED).open(encoding="utf-8") as fh:
        return next(csv.DictReader(fh))["district_code"]


def indicator(published: Path, code: str, area: str) -> dict[int, float | None]:
    import duckdb

    con = duckdb.connect(str(published), read_only=True)
    try:
        rows = con.execute("SELECT year, value FROM marts.indicator_values WHERE indicator_code = ? "
                           "AND area_code = ? ORDER BY year", [code, area]).fetchall()
    finally:
        con.close()
    return {int(y): v for y, v in rows}


PROVENANCE = {"load_id", "load_ids", "loaded_at", "run_id"}  # which load brought a row: differs by design


def marts_differences(a: Path, b: Path) -> dict[str, int]:
    """Rows in one warehouse's marts and not the other's, per table, provenance columns (load ids)
    aside (0 everywhere: identical)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{a}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{b}' AS b (READ_ONLY)")
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'a' AND schema_name = 'marts' "
            "ORDER BY 1").fetchall()]
        out = {}
        for t in tables:
            cols = [r for r in con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = 'a' AND "
                "schema_name = 'marts' AND table_name = ? ORDER BY column_index", [t]).fetchall()
                if r[0] not in PROVENANCE]
            # Sums of doubles depend on DuckDB's parallel order in the last bits: compare to 9 decimals.
            sel = ", ".join(f'round("{c}", 9)' if typ in ("DOUBLE", "FLOAT") else f'"{c}"' for c, typ in cols)
            n = con.execute(f"SELECT (SELECT count(*) FROM (SELECT {sel} FROM a.marts.{t} EXCEPT ALL "
                            f"SELECT {sel} FROM b.marts.{t})) + (SELECT count(*) FROM (SELECT {sel} FROM "
                            f"b.marts.{t} EXCEPT ALL SELECT {sel} FROM a.marts.{t}))").fetchone()[0]
            out[t] = int(n)
        return out
    finally:
        con.close()


def compare_pandas(result: dict, published: Path, area: str) -> dict:
    """Largest relative difference between the pandas figures and the marts, per indicator."""
    out = {}
    for code, levels in result.get("indicators", {}).items():
        marts = indicator(published, code, area)
        worst, years = 0.0, 0
        for y, v in levels["district"].items():
            m = marts.get(int(y))
            if m is None or v is None:
                continue
            years += 1
            worst = max(worst, abs(m - v) / max(abs(m), 1e-9) if (m or v) else 0.0)
        out[code] = {"years_compared": years, "max_rel_diff": worst}
    return out


def failures(log: Path) -> list[str]:
    """The build's failed steps and their errors, as the CLI and Dagster print them."""
    out = []
    for line in log.read_text("utf-8", errors="replace").splitlines():
        if line.startswith("失败步骤") or ("Exception: " in line and line.startswith("_duckdb.")):
            text = " ".join(line.split())[:300]
            if text not in out:
                out.append(text)
    return out[:8]


# --- profile ---------------------------------------------------------------------------------

def build_profile(log: Path, deployment: Path, since: float) -> dict:
    """Where a build's time went: start-up, each dataset's ingestion + validation, dbt, publish;
    the slowest dbt nodes from the newest run_results.json written after `since`."""
    import re

    stamps = []
    for line in Path(log).read_text("utf-8", errors="replace").splitlines():
        m = re.match(r"\[\s*([\d.]+)s\] (.*)", line)
        if m:
            stamps.append((float(m.group(1)), m.group(2)))
    phases: list[tuple[str, float]] = []
    starts = {}
    datasets: list[dict] = []  # per dataset: rows, seconds, reading vs validation (estimated)
    file_stamps: dict[str, list[float]] = {}
    first_load = next((t for t, msg in stamps if msg.startswith("装载 ")), None)
    if first_load is not None:
        phases.append(("start-up (imports, Dagster definitions)", first_load))
    for t, msg in stamps:
        if msg.startswith("装载 ") and msg.endswith("…"):
            starts[msg[3:-1].strip()] = t
        f = re.match(r"\[(\S+) (\d+)/(\d+)\] ", msg)
        if f:
            file_stamps.setdefault(f.group(1), []).append(t)
        m = re.match(r"(\S+/\S+): 新文件.*装载 (\d+) 行", msg)
        if m and m.group(1) in starts:
            start = starts.pop(m.group(1))
            phases.append((f"ingest + validate {m.group(1)}", t - start))
            stamps_ds = file_stamps.get(m.group(1).split("/")[1], [])
            read = None
            if len(stamps_ds) > 1:  # the files' pace, one more file after the last start
                read = (stamps_ds[-1] - start) * len(stamps_ds) / (len(stamps_ds) - 1)
            datasets.append({"dataset": m.group(1), "rows": int(m.group(2)), "seconds": t - start,
                             "read_s": min(read, t - start) if read is not None else None})
    dbt_start = next((t for t, msg in stamps if msg.startswith("dbt ") and "构建" in msg and "完成" not in msg), None)
    dbt_end = next((t for t, msg in stamps if msg.startswith("dbt 构建完成")), None)
    if dbt_start is not None and dbt_end is not None:
        phases.append(("dbt build (models and tests)", dbt_end - dbt_start))
    pub = next((t for t, msg in stamps if msg.startswith("已发布")), None)
    if pub is not None and dbt_end is not None:
        phases.append(("publish (checkpoint, copy, rename)", pub - dbt_end))
    ingest_total = sum(s for n, s in phases if n.startswith("ingest"))
    nodes = []
    results = [p for p in deployment.rglob("run_results.json") if p.stat().st_mtime >= since]
    if results:
        rr = _json(max(results, key=lambda p: p.stat().st_mtime))
        for r in rr.get("results", []):
            nodes.append((r.get("unique_id", "?"), float(r.get("execution_time") or 0)))
    nodes.sort(key=lambda x: -x[1])
    return {
        "phases": sorted(phases, key=lambda x: -x[1]),
        "ingest_total_s": ingest_total,
        "last_stamp_s": stamps[-1][0] if stamps else None,
        "last_message": stamps[-1][1] if stamps else None,
        "dbt_nodes": len(nodes),
        "dbt_node_total_s": sum(s for _, s in nodes),
        "dbt_tests_total_s": sum(s for n, s in nodes if n.startswith("test.") or n.startswith("unit_test.")),
        "dbt_slowest": nodes[:12],
        "datasets": datasets,
        "open_dataset": next(iter(starts), None),
        "marks": [(t, msg) for t, msg in stamps
                  if msg.startswith(("装载 ", "dbt", "已发布", "准备")) or "新文件" in msg][:200],
    }


def _adopt_earlier_build(run, reuse: Path, warehouse: Path, published: Path, deadline: float) -> Step:
    """Wait (until deadline) for the earlier build in `reuse` to publish, then copy its warehouse."""
    log = reuse / "logs" / "build-full.log"
    src_pub = reuse / "warehouse.published.duckdb"

    def finished() -> bool:
        return src_pub.exists() and log.exists() and "已发布只读副本" in log.read_text("utf-8", errors="replace")

    print(f"[bench] {run.name}: full build from the earlier invocation in {reuse}", flush=True)
    while not finished() and time.time() < deadline:
        time.sleep(5)
    prof = build_profile(log, reuse / "dbt_project", 0) if log.exists() else {}
    watch = _json(reuse.parent / "watch.json")
    step = Step("full build (earlier invocation)", ["emstats", "build"], log=str(log))
    step.seconds = prof.get("last_stamp_s")
    step.peak_rss_mb = watch.get("peak_mb")
    step.rc = 0 if finished() else None
    step.timed_out = not finished()
    step.published_at_s = step.seconds if finished() else None
    run.steps["full"] = step
    run.profiles["full"] = prof
    run.checks["reused"] = {"from": str(reuse), "log_started": time.strftime(
        "%H:%M UTC", time.gmtime(log.stat().st_mtime - (step.seconds or 0))) if log.exists() else "?",
        "peak_note": watch.get("note", "sampled every 0.2 s from 4 minutes into the build")}
    if finished():
        shutil.copyfile(reuse / "warehouse.duckdb", warehouse)
        shutil.copyfile(src_pub, published)
    return step


# --- one scale ---------------------------------------------------------------------------------

@dataclass
class ScaleRun:
    name: str
    raw: str
    landing: dict = field(default_factory=dict)
    generation: dict = field(default_factory=dict)
    steps: dict[str, Step] = field(default_factory=dict)
    profiles: dict[str, dict] = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    rows_floor: int | None = None
    errors: list[str] = field(default_factory=list)


def run_scale(name: str, raw_src: Path, seed: Path | None, work: Path, timeouts: dict, *, reps: int,
              copy_raw: bool, rebuild_check: bool, env_extra: dict, reuse: Path | None = None,
              reuse_deadline: float = 0.0) -> ScaleRun:
    run = ScaleRun(name, str(raw_src))
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    logs = work / "logs"
    raw = work / "raw"
    if copy_raw:
        shutil.copytree(raw_src, raw)
    else:  # the cached landing zone stays pristine: the new extract goes into a linked copy
        shutil.copytree(raw_src, raw, copy_function=_link_or_copy)
    run.landing = landing_stats(raw)
    deployment = make_deployment(work / "dbt_project", {"townships": seed} if seed else {})
    env = {**os.environ, **deployment_env(deployment), **env_extra, "DAGSTER_HOME": str(work / "dagster_home")}
    env.pop("EMSTATS_PUBLISHED", None)  # the published copy sits beside each warehouse
    (work / "dagster_home").mkdir()
    (work / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    warehouse = work / "warehouse.duckdb"
    published = work / "warehouse.published.duckdb"
    # Parsed with the builds' own profile (same warehouse path), so their dbt runs parse partially.
    prep = run_step(f"{name}: prepare dbt manifest", [settings.dbt_executable(), "parse", "--quiet", "--project-dir",
                    str(deployment), "--profiles-dir", str(deployment)],
                    env={**env, "EMSTATS_WAREHOUSE": str(warehouse)}, timeout=600, log=logs / "prepare.log")
    run.steps["prepare"] = prep

    floor_json = work / "floor.json"
    s = run_step(f"{name}: floor", [PY, "-m", "pipelines.bench.floor", str(raw), str(work / "floor.duckdb"),
                                    str(floor_json)], env=env, timeout=timeouts["floor"], log=logs / "floor.log")
    s.result = _json(floor_json)
    run.steps["floor"] = s
    (work / "floor.duckdb").unlink(missing_ok=True)
    shutil.rmtree(work / "floor.duckdb.tmp", ignore_errors=True)

    pandas_json = work / "pandas.json"
    s = run_step(f"{name}: pandas comparison", [PY, "-m", "pipelines.bench.pandas_indicators", str(raw),
                 str(deployment / "seeds"), str(pandas_json)], env=env, timeout=timeouts["pandas"],
                 log=logs / "pandas.log")
    s.result = _json(pandas_json)
    run.steps["pandas"] = s

    area = district_code(deployment)
    if reuse is not None:
        # The full build ran in an earlier invocation on the same landing zone (too long for this
        # run's window): take its warehouse, progress log and sampled peak, and go on from there.
        s = _adopt_earlier_build(run, reuse, warehouse, published, reuse_deadline)
    else:
        since = time.time()
        s = run_step(f"{name}: full build", [EMSTATS, "build", "--raw-dir", str(raw), "--warehouse",
                     str(warehouse)], env=env, timeout=timeouts["build"], log=logs / "build-full.log",
                     watch=published)
        run.steps["full"] = s
        run.profiles["full"] = build_profile(logs / "build-full.log", deployment, since)
    run.checks["full_failures"] = failures(Path(s.log)) if s.log and Path(s.log).exists() else []
    if not (s.ok and published.exists()):
        why = "timed out" if s.timed_out else "stopped at the memory ceiling" if s.killed_for_memory else "failed"
        run.errors.append(f"full build {why}: see {s.log}")
    else:
        try:
            new = add_revised_extract(raw)
            before = indicator(published, "PS_DEATHS", area).get(new["year"])
            since = time.time()
            s = run_step(f"{name}: incremental build", [EMSTATS, "build", "--raw-dir", str(raw), "--warehouse",
                         str(warehouse)], env=env, timeout=timeouts["incremental"],
                         log=logs / "build-incremental.log", watch=published)
            run.steps["incremental"] = s
            run.profiles["incremental"] = build_profile(logs / "build-incremental.log", deployment, since)
            after = indicator(published, "PS_DEATHS", area).get(new["year"]) if s.ok else None
            run.checks["new_extract"] = {**new, "ps_deaths_before": before, "ps_deaths_after": after}
        except Exception as e:
            run.errors.append(f"incremental: {type(e).__name__}: {e}")
        if rebuild_check and run.steps.get("incremental") and run.steps["incremental"].ok:
            fresh = work / "rebuild.duckdb"
            s = run_step(f"{name}: full rebuild (identical marts?)", [EMSTATS, "build", "--raw-dir", str(raw),
                         "--warehouse", str(fresh)], env={**env, "EMSTATS_PUBLISHED": str(work / "rebuild.published.duckdb")},
                         timeout=timeouts["build"], log=logs / "build-rebuild.log")
            run.steps["rebuild"] = s
            if s.ok:
                run.checks["rebuild_marts_diff"] = marts_differences(published, work / "rebuild.published.duckdb")
    if run.steps["pandas"].ok and published.exists():
        try:
            run.checks["pandas_vs_marts"] = compare_pandas(run.steps["pandas"].result, published, area)
        except Exception as e:
            run.errors.append(f"pandas check: {type(e).__name__}: {e}")

    if published.exists():
        boards_json = work / "boards.json"
        s = run_step(f"{name}: board queries", [PY, "-m", "pipelines.bench.board_queries", str(published),
                     str(boards_json), str(reps)], env=env, timeout=timeouts["boards"], log=logs / "boards.log")
        s.result = _json(boards_json)
        run.steps["boards"] = s
    return run


def machine_info() -> dict:
    import platform

    def first(path: str, key: str) -> str | None:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
        return None

    versions = {}
    for mod in ("duckdb", "polars", "pandas", "pyarrow", "dagster", "dbt.version", "streamlit"):
        try:
            m = __import__(mod, fromlist=["x"])
            versions[mod.split(".")[0]] = getattr(m, "__version__", None) or getattr(m, "__version__", "?")
        except Exception:
            versions[mod] = "?"
    try:
        from dbt.version import __version__ as dbt_version

        versions["dbt"] = dbt_version
    except Exception:
        pass
    mem_kb = first("/proc/meminfo", "MemTotal")
    return {
        "cpu": first("/proc/cpuinfo", "model name"),
        "nproc": os.cpu_count(),
        "ram_gib": round(int(mem_kb.split()[0]) / 2**20, 1) if mem_kb else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "versions": versions,
        "load_start": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines.bench", description="emstats benchmarks")
    ap.add_argument("--areas", type=int, default=40_000, help="national scale: synthetic areas")
    ap.add_argument("--years", type=int, default=8, help="synthetic scales: years (to 2026)")
    ap.add_argument("--city-areas", type=int, default=1000,
                    help="a city-scale synthetic world between the two (Chongqing's 38 districts have about "
                         "1,000 townships); 0 skips it")
    ap.add_argument("--out", default=str(settings.PROJECT_DIR / "docs" / "benchmarks.md"))
    ap.add_argument("--work", default=str(settings.PROJECT_DIR / "data" / "bench"))
    ap.add_argument("--district-raw", default=str(settings.PROJECT_DIR / "raw"))
    ap.add_argument("--reps", type=int, default=25, help="board query repetitions")
    ap.add_argument("--skip-district", action="store_true")
    ap.add_argument("--skip-national", action="store_true")
    ap.add_argument("--memory-limit", default=os.environ.get("EMSTATS_DUCKDB_MEMORY_LIMIT", "4GB"),
                    help="DuckDB memory_limit for every build (EMSTATS_DUCKDB_MEMORY_LIMIT)")
    ap.add_argument("--build-timeout", type=float, default=1500)
    ap.add_argument("--national-reuse", help="work dir of an earlier national run whose full build (still running "
                    "or finished) this run adopts instead of building again (its progress log and peak are "
                    "reported, labelled)")
    ap.add_argument("--reuse-wait", type=float, default=1800, help="seconds to wait for that build to publish")
    args = ap.parse_args(argv)

    work = Path(args.work).resolve()
    work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    machine = machine_info()
    # dbt's share of the budget and the threads, the same for the prepare step and every build
    env_extra = {"EMSTATS_DUCKDB_MEMORY_LIMIT": args.memory_limit, **settings.dbt_env(args.memory_limit)}
    runs: list[ScaleRun] = []
    if not args.skip_district:
        runs.append(run_scale("district", Path(args.district_raw).resolve(), None, work / "district",
                              {"floor": 300, "build": 600, "incremental": 300, "pandas": 300, "boards": 600},
                              reps=args.reps, copy_raw=True, rebuild_check=True, env_extra=env_extra))
    def synthetic(name: str, areas: int, generate_timeout: float, timeouts: dict, **kwargs) -> None:
        """One synthetic scale; a failure is recorded in the report instead of ending the run."""
        try:
            raw, seed, gen = national_landing(work / "cache", areas, args.years, generate_timeout, work / "logs")
            run = run_scale(name, raw, seed, work / name, timeouts, reps=args.reps, copy_raw=False,
                            rebuild_check=False, env_extra=env_extra, **kwargs)
            run.generation = gen
            runs.append(run)
        except Exception as e:
            bad = ScaleRun(name, "")
            bad.errors.append(f"{type(e).__name__}: {e}")
            runs.append(bad)

    if args.city_areas:
        synthetic("city", args.city_areas, 1800,
                  {"floor": 600, "build": 900, "incremental": 600, "pandas": 600, "boards": 600})
    if not args.skip_national:
        synthetic("national", args.areas, 3600,
                  {"floor": 900, "build": args.build_timeout, "incremental": 900, "pandas": 1200, "boards": 900},
                  reuse=Path(args.national_reuse).resolve() if args.national_reuse else None,
                  reuse_deadline=time.time() + args.reuse_wait)
    machine["load_end"] = os.getloadavg()
    meta = {"started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(started)),
            "seconds": time.time() - started, "areas": args.areas, "years": args.years,
            "city_areas": args.city_areas, "max_rss_gb": MAX_TREE_RSS_MB / 1024,
            "memory_limit": args.memory_limit, "threads": env_extra["EMSTATS_DUCKDB_THREADS"],
            "dbt_memory_limit": env_extra["EMSTATS_DBT_MEMORY_LIMIT"],
            "reps": args.reps, "git": _git_head()}
    (work / "results.json").write_text(json.dumps(
        {"meta": meta, "machine": machine, "runs": [asdict(r) for r in runs]}, ensure_ascii=False, indent=1,
        default=str), "utf-8")
    Path(args.out).write_text(report.render(meta, machine, runs), "utf-8")
    print(f"[bench] wrote {args.out} ({meta['seconds']:.0f} s)")
    return 0


def _git_head() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=settings.PROJECT_DIR,
                              capture_output=True, text=True, timeout=10).stdout.strip()
    except Exception:
        return "?"


def rerender(results: Path, out: Path) -> None:
    """Write the report again from a run's results.json (and recheck the district rebuild's marts)."""
    data = json.loads(results.read_text("utf-8"))
    runs = []
    for r in data["runs"]:
        steps = {k: Step(**v) for k, v in r.pop("steps").items()}
        run = ScaleRun(**{**r, "steps": steps})
        work = results.parent / run.name
        if "rebuild_marts_diff" in run.checks and (work / "rebuild.published.duckdb").exists():
            run.checks["rebuild_marts_diff"] = marts_differences(work / "warehouse.published.duckdb",
                                                                 work / "rebuild.published.duckdb")
        runs.append(run)
    out.write_text(report.render(data["meta"], data["machine"], runs), "utf-8")
