import datetime as dt

import pytest

from pipelines.ingest.periods import parse_file_name, parse_period, parse_revision


@pytest.mark.parametrize(
    ("name", "period", "kind", "start", "end"),
    [
        ("2023.csv", "2023", "year", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("2023年森林火灾统计表.xlsx", "2023", "year", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        ("2023-06.csv", "2023-06", "month", dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
        ("2023年6月.xlsx", "2023-06", "month", dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
        ("2023年06月事故台账.xlsx", "2023-06", "month", dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
        ("2024年2月.csv", "2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2023Q2.csv", "2023-Q2", "quarter", dt.date(2023, 4, 1), dt.date(2023, 6, 30)),
        ("2023-Q4.csv", "2023-Q4", "quarter", dt.date(2023, 10, 1), dt.date(2023, 12, 31)),
        ("2023年第二季度_v3.xls", "2023-Q2", "quarter", dt.date(2023, 4, 1), dt.date(2023, 6, 30)),
        ("2023年二季度.xls", "2023-Q2", "quarter", dt.date(2023, 4, 1), dt.date(2023, 6, 30)),
        ("2023年第1季度.xls", "2023-Q1", "quarter", dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
        ("２０２３年６月.csv", "2023-06", "month", dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
        ("事故台账202306.csv", "2023-06", "month", dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
        ("2023年度统计表.xlsx", "2023", "year", dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        (
            "raw/water/flood_drought_events/2024年7月_续报.csv",
            "2024-07",
            "month",
            dt.date(2024, 7, 1),
            dt.date(2024, 7, 31),
        ),
        # A delivery date in the name is not the period.
        (
            "2023年森林火灾_20240105.xlsx",
            "2023",
            "year",
            dt.date(2023, 1, 1),
            dt.date(2023, 12, 31),
        ),
        (
            "2023年6月_报送于2023-07-02.csv",
            "2023-06",
            "month",
            dt.date(2023, 6, 1),
            dt.date(2023, 6, 30),
        ),
    ],
)
def test_periods(name, period, kind, start, end):
    p = parse_period(name)
    assert p is not None
    assert (p.period, p.kind, p.start, p.end, p.year) == (period, kind, start, end, start.year)


@pytest.mark.parametrize(
    "name",
    [
        "2024年1-7月.csv",
        "2024年1月-2024年7月.csv",
        "2024.01-2024.07.csv",
        "2024-01至2024-07.csv",
        "统计表500110.csv",
        "2023-2024.xlsx",
        "2023年至2024年.csv",
        "2024年1月-7月.csv",
        "2023年上半年.csv",
        "2023年1-2季度.csv",
        "森林火灾统计表.xlsx",
        "v2.csv",
        "123.csv",
    ],
)
def test_not_a_period(name):
    assert parse_period(name) is None


@pytest.mark.parametrize(
    ("name", "revision", "rank"),
    [
        ("2023年6月.csv", None, 1),
        ("2023年6月_初报.csv", "初报", 1),
        ("2023年6月_v1.csv", "v1", 1),
        ("2023年6月_续报.csv", "续报", 2),
        ("2023年6月_核报.csv", "核报", 3),
        ("2023年6月_v2.csv", "v2", 3),
        ("2023年6月_V3.csv", "V3", 4),
        ("2023年6月_v4.csv", "v4", 5),
        ("2023年6月_更正.csv", "更正", 1000),
        ("2023年6月_修订.csv", "修订", 1000),
        ("2023年6月_v3_更正.csv", "更正", 1000),
    ],
)
def test_revisions(name, revision, rank):
    assert parse_revision(name) == (revision, rank)


def test_revision_order_is_total():
    names = ["a_更正", "a_v3", "a_核报", "a_续报", "a", "a_v12"]
    ranks = [parse_revision(n)[1] for n in names]
    assert ranks == [1000, 4, 3, 2, 1, 13]
    assert parse_revision("a_更正")[1] > parse_revision("a_v99")[1]


def test_parse_file_name_keeps_version_digits_out_of_the_period():
    period, revision, rank = parse_file_name("2023年第二季度_v3.xls")
    assert period.period == "2023-Q2" and revision == "v3" and rank == 4
    period, revision, rank = parse_file_name("2024年7月_续报.csv")
    assert period.period == "2024-07" and revision == "续报" and rank == 2
    assert parse_file_name("2024年1-7月_核报.csv") == (None, "核报", 3)
