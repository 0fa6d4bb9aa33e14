import datetime as dt

import pytest

from pipelines.ingest.values import (
    CellError,
    is_null,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_float,
    parse_int,
    parse_year,
)


def reason(fn, *args):
    with pytest.raises(CellError) as exc:
        fn(*args)
    return exc.value.reason_code


@pytest.mark.parametrize("cell", [None, "", "  ", "-", "—", "－", "/", "无", " / "])
def test_null_markers_are_not_zero(cell):
    assert is_null(cell)


@pytest.mark.parametrize("cell", [0, "0", 0.0, "abc", "#REF!"])
def test_zero_and_text_are_not_null(cell):
    assert not is_null(cell)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        (3, 3.0),
        ("3", 3.0),
        (" 12.5 ", 12.5),
        ("1,234.5", 1234.5),
        ("１，２３４", 1234.0),
        ("１２．５", 12.5),
        ("1 234", 1234.0),
        ("0", 0.0),
        (7.25, 7.25),
        ("1e3", 1000.0),
    ],
)
def test_numbers(cell, value):
    assert parse_float(cell) == value


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("#REF!", "formula_error"),
        ("#DIV/0!", "formula_error"),
        ("#VALUE!", "formula_error"),
        ("#N/A", "formula_error"),
        ("#NAME?", "formula_error"),
        ("#NUM!", "formula_error"),
        ("abc", "not_a_number"),
        ("12吨", "not_a_number"),
        ("1,23", "not_a_number"),
        ("nan", "not_a_number"),
        ("inf", "not_a_number"),
        (True, "not_a_number"),
        (dt.datetime(2023, 1, 1), "not_a_number"),
        (-3, "negative"),
        ("-0.5", "negative"),
        ("－２", "negative"),
    ],
)
def test_number_errors(cell, code):
    assert reason(parse_float, cell) == code


def test_percent_sign_only_in_percent_columns():
    assert parse_float("65.3%", 1.0, True) == 65.3
    assert parse_float("６５％", 1.0, True) == 65.0
    assert reason(parse_float, "65.3%") == "not_a_number"


def test_unit_factor_converts_and_rounds():
    assert parse_float("12345", 0.0001) == 1.2345  # 元 → 万元, no float noise
    assert parse_float(15, 1 / 15) == 1.0  # 亩 → 公顷
    assert parse_int("12.3456", 10000) == 123456  # 万人 → 人


@pytest.mark.parametrize(
    ("cell", "value"), [(3, 3), ("3", 3), (3.0, 3), ("1,000", 1000), ("３", 3)]
)
def test_ints(cell, value):
    assert parse_int(cell) == value and isinstance(parse_int(cell), int)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        (2.5, "fraction_in_int"),
        ("0.1", "fraction_in_int"),
        ("-1", "negative"),
        ("两人", "not_a_number"),
    ],
)
def test_int_errors(cell, code):
    assert reason(parse_int, cell) == code


def test_years():
    assert parse_year("2023年") == 2023
    assert parse_year(2023.0) == 2023
    assert reason(parse_year, "二〇二三") == "not_a_number"


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("2023-06-01", dt.datetime(2023, 6, 1)),
        ("2023/6/1", dt.datetime(2023, 6, 1)),
        ("2023.6.1", dt.datetime(2023, 6, 1)),
        ("2023年6月1日", dt.datetime(2023, 6, 1)),
        ("20230601", dt.datetime(2023, 6, 1)),
        (20230601, dt.datetime(2023, 6, 1)),
        ("2023-06-01 14:30", dt.datetime(2023, 6, 1, 14, 30)),
        ("2023-06-01T14:30:05", dt.datetime(2023, 6, 1, 14, 30, 5)),
        ("2023/6/1 14:30:00", dt.datetime(2023, 6, 1, 14, 30)),
        ("2023年6月1日14时30分", dt.datetime(2023, 6, 1, 14, 30)),
        ("2023年6月1日 14点", dt.datetime(2023, 6, 1, 14)),
        ("２０２３－０６－０１", dt.datetime(2023, 6, 1)),
        (45078, dt.datetime(2023, 6, 1)),
        (45078.5, dt.datetime(2023, 6, 1, 12)),
        (45078.604166666664, dt.datetime(2023, 6, 1, 14, 30)),
        ("45078", dt.datetime(2023, 6, 1)),
        (dt.datetime(2023, 6, 1, 9, 5), dt.datetime(2023, 6, 1, 9, 5)),
        (dt.date(2023, 6, 1), dt.datetime(2023, 6, 1)),  # a date in a datetime column is midnight
    ],
)
def test_datetimes(cell, value):
    assert parse_datetime(cell) == value


def test_dates_drop_the_time():
    assert parse_date("2023-06-01 14:30") == dt.date(2023, 6, 1)
    assert parse_date(dt.datetime(2023, 6, 1, 14, 30)) == dt.date(2023, 6, 1)


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("2023-02-30", "bad_date"),
        ("2023年2月30日", "bad_date"),
        ("2023-13-01", "bad_date"),
        ("去年六月", "bad_date"),
        ("2023年6月", "bad_date"),
        ("2023-06-01 25:00", "bad_date"),
        ("2023-06-01 下午", "bad_date"),
        (0, "bad_date"),
        (True, "bad_date"),
        ("#REF!", "formula_error"),
    ],
)
def test_date_errors(cell, code):
    assert reason(parse_datetime, cell) == code


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0.0, False),
        ("√", True),
        ("×", False),
        ("TRUE", True),
        ("false", False),
        (True, True),
        (" 是 ", True),
    ],
)
def test_bools(cell, value):
    assert parse_bool(cell) is value


@pytest.mark.parametrize("cell", ["有", "可能", 2, "是的吧"])
def test_bool_errors(cell):
    assert reason(parse_bool, cell) == "bad_bool"


def test_an_integer_too_large_for_the_warehouse_is_not_a_number():
    from pipelines.ingest.values import CellError, parse_int

    with pytest.raises(CellError) as e:
        parse_int("100000000000000000000")
    assert e.value.reason_code == "not_a_number"
    assert parse_int("9223372036854775807".replace("7", "6", 1)) > 0
