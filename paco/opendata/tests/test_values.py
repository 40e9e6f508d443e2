"""Brazilian value parsing: numbers, dates, booleans, missing markers and codes."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from paco.opendata.tabular import values as v


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", (Decimal("1234.56"), False)),
        ("R$ 1.234,56", (Decimal("1234.56"), False)),
        ("R$1.234,56", (Decimal("1234.56"), False)),
        ("-1.234,56", (Decimal("-1234.56"), False)),
        ("R$ -10,00", (Decimal("-10.00"), False)),
        ("(1.234,56)", (Decimal("-1234.56"), False)),
        ("12,5%", (Decimal("12.5"), True)),
        ("42", (Decimal("42"), False)),
        ("1.000.000", (Decimal("1000000"), False)),
    ],
)
def test_brazilian_numbers(text, expected):
    assert v.parse_number(text) == expected


@pytest.mark.parametrize(
    "text", ["12,3,4", "1.23,4", "abc", "1,2.3", "0123", "012.345.678-90", "01001-000", ""]
)
def test_not_numbers(text):
    assert v.parse_number(text) is None


def test_dot_decimal_numbers():
    assert v.parse_number("1,234.5", ".") == (Decimal("1234.5"), False)
    assert v.parse_number("1.234,5", ".") is None


def test_integers_keep_codes_out():
    assert v.parse_integer("-17") == -17
    assert v.parse_integer("0") == 0
    assert v.parse_integer("007") is None
    assert v.parse_integer("1" * 19) is None
    assert v.parse_integer("١٢") is None  # non-ASCII digits


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("05/01/2025", "%d/%m/%Y", date(2025, 1, 5)),
        ("5/1/2025", "%d/%m/%Y", date(2025, 1, 5)),
        ("05/01/25", "%d/%m/%y", date(2025, 1, 5)),
        ("05/01/68", "%d/%m/%y", date(2068, 1, 5)),
        ("05/01/69", "%d/%m/%y", date(1969, 1, 5)),
        ("05-01-2025", "%d-%m-%Y", date(2025, 1, 5)),
        ("2025-01-05", "%Y-%m-%d", date(2025, 1, 5)),
        ("31/02/2025", "%d/%m/%Y", None),
        ("05/01/2025", "%d/%m/%y", None),
        ("2025-01-05", "%d/%m/%Y", None),
    ],
)
def test_dates(text, fmt, expected):
    assert v.parse_date(text, fmt) == expected


def test_datetimes():
    assert v.parse_datetime("05/01/2025 13:45", "%d/%m/%Y %H:%M") == datetime(2025, 1, 5, 13, 45)
    assert v.parse_datetime("2025-01-05T13:45:10", "%Y-%m-%d %H:%M:%S") == datetime(
        2025, 1, 5, 13, 45, 10
    )
    assert v.parse_datetime("ontem", "%Y-%m-%d %H:%M:%S") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sim", True),
        ("NÃO", False),
        ("s", True),
        ("N", False),
        ("true", True),
        ("false", False),
        ("talvez", None),
    ],
)
def test_booleans(text, expected):
    assert v.parse_boolean(text) is expected


@pytest.mark.parametrize("text", ["", " ", "-", "N/D", "n/d", "NULL", "null", "—"])
def test_missing_markers(text):
    assert v.is_missing(text)


@pytest.mark.parametrize("text", ["0", "N", "--", "nd?"])
def test_not_missing(text):
    assert not v.is_missing(text)


@pytest.mark.parametrize(
    "text",
    [
        "012.345.678-90",
        "00.394.460/0001-41",
        "01001-000",
        "(11) 3333-4444",
        "61 99999-0000",
        "00123",
    ],
)
def test_codes_stay_strings(text):
    assert v.looks_like_code(text)
    assert v.parse_number(text) is None
    assert v.parse_integer(text) is None
