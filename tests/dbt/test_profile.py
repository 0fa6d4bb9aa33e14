"""dbt's connection to the warehouse takes its DuckDB limits from the environment, set once:
a model that spills to temp_directory must not break the models after it."""

import os
import shutil
import subprocess

import duckdb

from pipelines import settings

DBT = settings.dbt_executable()


def _project(root):
    """A throwaway dbt project with emstats' own profiles.yml: one model that spills, then
    models that each open a new cursor."""
    (root / "models").mkdir(parents=True)
    shutil.copy(settings.PROJECT_DIR / "dbt_project" / "profiles.yml", root / "profiles.yml")
    (root / "dbt_project.yml").write_text(
        "name: profile_check\nversion: '1.0'\nprofile: emstats\nconfig-version: 2\n"
        "models:\n  profile_check:\n    +materialized: table\n"
    )
    (root / "models" / "big_sort.sql").write_text(
        "select i, md5(i::varchar) as h from range(3000000) as t(i) order by h"
    )
    for name in ("after_a", "after_b", "after_c"):
        (root / "models" / f"{name}.sql").write_text(
            "select count(*) as n, current_setting('memory_limit') as lim "
            "from {{ ref('big_sort') }}"
        )


def test_dbt_takes_the_dbt_memory_limit_and_goes_on_after_a_model_spilled(tmp_path):
    root = tmp_path / "project"
    _project(root)
    warehouse = tmp_path / "wh.duckdb"
    env = {
        **os.environ,
        "EMSTATS_WAREHOUSE": str(warehouse),
        "EMSTATS_DBT_MEMORY_LIMIT": "64MiB",
        "EMSTATS_DUCKDB_THREADS": "1",
        "EMSTATS_DUCKDB_TEMP_DIRECTORY": str(tmp_path / "spill"),
    }
    out = subprocess.run(
        [DBT, "run", "--profiles-dir", ".", "--threads", "2"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stdout[-4000:]
    con = duckdb.connect(str(warehouse), read_only=True)
    rows = con.sql("select n, lim from main.after_a union all select n, lim from main.after_c").fetchall()
    assert rows == [(3_000_000, "61.0 MiB")] * 2 or rows == [(3_000_000, "64.0 MiB")] * 2, rows
