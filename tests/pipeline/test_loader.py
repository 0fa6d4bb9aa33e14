"""The load ledger: loaded, duplicate, superseded, rejected; quarantine; reruns change nothing."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from pipelines.ingest.contracts import all_contracts
from pipelines.ingest.loader import load_dataset
from tests.pipeline.landing import fire_file

TODAY = dt.date(2026, 11, 30)
FIRES = all_contracts()["forest_fires"]


@pytest.fixture
def con():
    c = duckdb.connect()
    yield c
    c.close()


def load(con, raw):
    return load_dataset(con, raw, FIRES, today=TODAY)


def ledger(con):
    return con.execute(
        "SELECT file_path, status, period, revision, rows_loaded, rows_quarantined, reason_code "
        "FROM audit.load_ledger ORDER BY load_id"
    ).fetchall()


def current_fires(con):
    return con.execute(
        "SELECT f.fire_id, f.damaged_forest_ha FROM raw.forest_fires f "
        "JOIN audit.load_ledger l ON l.load_id = f._load_id WHERE l.status = 'loaded' ORDER BY 1"
    ).fetchall()


def test_loads_rows_converts_units_and_records_the_file(con, tmp_path):
    fire_file(tmp_path, "2023年森林火灾统计表.csv", [("F1", "2023-03-01 10:00", "古南街道", 30, 15, 0, 0)])
    result = load(con, tmp_path)
    assert [o.status for o in result.outcomes] == ["loaded"]
    assert ledger(con) == [("forestry/forest_fires/2023年森林火灾统计表.csv", "loaded", "2023", None, 1, 0, None)]
    row = con.execute("SELECT township, burned_area_ha, damaged_forest_ha, _row_number FROM raw.forest_fires").fetchone()
    assert row[0] == "500110001"
    assert row[1] == pytest.approx(2.0) and row[2] == pytest.approx(1.0)  # 亩 → 公顷
    assert row[3] == 4  # title, units, header, then the first data row


def test_rerun_changes_nothing(con, tmp_path):
    fire_file(tmp_path, "2023年.csv", [("F1", "2023-03-01", "古南", 3, 1.5, 0, 0)])
    load(con, tmp_path)
    before = (ledger(con), current_fires(con))
    second = load(con, tmp_path)
    assert second.outcomes == [] and second.skipped == 1
    assert (ledger(con), current_fires(con)) == before


def test_same_bytes_under_another_name_is_a_duplicate(con, tmp_path):
    a = fire_file(tmp_path, "2023年.csv", [("F1", "2023-03-01", "古南", 3, 1.5, 0, 0)])
    (a.parent / "2023年_重发.csv").write_bytes(a.read_bytes())
    load(con, tmp_path)
    statuses = {path: status for path, status, *_ in ledger(con)}
    assert sorted(statuses.values()) == ["duplicate", "loaded"]
    assert current_fires(con) == [("F1", pytest.approx(0.1))]


def test_newer_revision_replaces_older_whole_and_keeps_history(con, tmp_path):
    # The later revision's name sorts first: the order of names is not the order of revisions.
    fire_file(tmp_path, "2023年6月_核报.csv", [("F1", "2023-06-01", "古南", 30, 15, 0, 0)])
    fire_file(tmp_path, "2023年6月.csv", [("F1", "2023-06-01", "古南", 30, 12, 0, 0), ("F2", "2023-06-02", "东溪", 3, 3, 0, 0)])
    load(con, tmp_path)
    by_rev = {rev: status for _, status, _, rev, *_ in ledger(con)}
    assert by_rev == {"核报": "loaded", None: "superseded"}
    assert current_fires(con) == [("F1", pytest.approx(1.0))]  # F2 only in the older file: gone
    history = con.execute("SELECT count(*) FROM raw.forest_fires").fetchone()[0]
    assert history == 3


def test_later_delivery_of_an_older_revision_does_not_win(con, tmp_path):
    fire_file(tmp_path, "2023年6月_续报.csv", [("F1", "2023-06-01", "古南", 30, 15, 0, 0)])
    load(con, tmp_path)
    fire_file(tmp_path, "2023年6月_初报.csv", [("F1", "2023-06-01", "古南", 30, 3, 0, 0)])
    load(con, tmp_path)
    assert current_fires(con) == [("F1", pytest.approx(1.0))]
    assert [s for _, s, *_ in ledger(con)] == ["loaded", "superseded"]


def test_rejected_revision_keeps_the_loaded_period(con, tmp_path):
    fire_file(tmp_path, "2023年.csv", [("F1", "2023-03-01", "古南", 3, 1.5, 0, 0)])
    load(con, tmp_path)
    bad = tmp_path / "forestry" / "forest_fires" / "2023年_更正.csv"
    bad.write_text("綦江区森林火灾情况统计表\n火灾编号,起火时间,街镇,过火面积,死亡人数,重伤人数\nF1,2023-03-01,古南,3,0,0\n", "utf-8")
    load(con, tmp_path)
    rows = ledger(con)
    assert rows[-1][1] == "rejected" and rows[-1][6] == "missing_column"
    assert current_fires(con) == [("F1", pytest.approx(0.1))]
    msg = con.execute("SELECT message FROM audit.load_ledger WHERE status = 'rejected'").fetchone()[0]
    assert "2023年_更正.csv" in msg and "受害森林面积" in msg
    q = con.execute("SELECT row_number, reason_code FROM audit.quarantine").fetchall()
    assert q == [(None, "missing_column")]


def test_file_without_a_period_is_rejected(con, tmp_path):
    fire_file(tmp_path, "2024年1-7月.csv", [("F1", "2024-03-01", "古南", 3, 1.5, 0, 0)])
    fire_file(tmp_path, "森林火灾.csv", [("F2", "2024-03-01", "古南", 3, 1.5, 0, 0)])
    load(con, tmp_path)
    assert [(s, r) for _, s, _, _, _, _, r in ledger(con)] == [("rejected", "no_period")] * 2
    assert con.execute("SELECT count(*) FROM raw.forest_fires").fetchone()[0] == 0


def test_bad_rows_are_quarantined_with_row_numbers_and_good_rows_load(con, tmp_path):
    fire_file(
        tmp_path,
        "2023年.csv",
        [
            ("F1", "2023-03-01", "古南", 3, 1.5, 0, 0),  # line 4: good
            ("F2", "2023-03-02", "万盛街道", 3, 1.5, 0, 0),  # line 5: out of scope
            ("F3", "2023-03-03", "古南", 3, -1, 0, 0),  # line 6: negative
            ("F4", "2023-03-04", "古南", 3, 6, 0, 0),  # line 7: damaged > burned
            ("F1", "2023-03-05", "古南", 3, 1.5, 0, 0),  # line 8: duplicate key
        ],
    )
    load(con, tmp_path)
    q = con.execute("SELECT row_number, reason_code, message FROM audit.quarantine ORDER BY row_number").fetchall()
    assert [(r, c) for r, c, _ in q] == [(5, "out_of_scope"), (6, "negative"), (7, "rule_violation"), (8, "duplicate_key")]
    assert all(m for _, _, m in q)
    assert current_fires(con) == [("F1", pytest.approx(0.1))]
    assert ledger(con)[0][4:6] == (1, 4)


def test_ids_and_phone_numbers_never_reach_the_warehouse(con, tmp_path):
    path = tmp_path / "emergency" / "production_accidents" / "2023年.csv"
    path.parent.mkdir(parents=True)
    path.write_text(
        "事故编号,发生时间,街镇,行业类别,死亡人数,重伤人数,直接经济损失（万元）,事故简要情况\n"
        "A1,2023-05-01,古南,建筑施工,1,0,50,张三（身份证号500222198801011234，电话13912345678）坠落\n",
        "utf-8",
    )
    load_dataset(con, tmp_path, all_contracts()["production_accidents"], today=TODAY)
    summary = con.execute("SELECT summary FROM raw.production_accidents").fetchone()[0]
    assert "500222198801011234" not in summary and "13912345678" not in summary
    assert "坠落" in summary
    assert "13912345678" in path.read_text("utf-8")  # the delivered file is kept as delivered


def test_a_crash_inside_a_file_leaves_no_partial_rows(con, tmp_path, monkeypatch):
    fire_file(tmp_path, "2023年.csv", [("F1", "2023-03-01", "古南", 3, 1.5, 0, 0)])
    from pipelines.ingest import loader

    def boom(*a, **k):
        raise RuntimeError("power cut")

    monkeypatch.setattr(loader, "_settle_revisions", boom)
    with pytest.raises(RuntimeError):
        load(con, tmp_path)
    assert ledger(con) == []
    assert con.execute("SELECT count(*) FROM raw.forest_fires").fetchone()[0] == 0
    monkeypatch.undo()
    load(con, tmp_path)  # the rerun after the crash loads the file once
    assert [s for _, s, *_ in ledger(con)] == ["loaded"]
