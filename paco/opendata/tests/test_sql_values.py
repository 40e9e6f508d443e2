"""The SQL type rules of the CSV fast path agree with the Python parsers, value by value."""

from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest

from paco.opendata.tabular import sqltypes
from paco.opendata.tabular import values as v
from paco.opendata.tabular.sqltext import literal

NUMBERS = [
    "1.234,56", "R$ 1.234,56", "-1.234,56", "(1.234,56)", "12,5%", "-3,0%", "100%", "R$ -10,00",
    "R$-10,00", "- R$ 10,00", "+5", "+5,5", "0", "0,5", "01,5", "0123", "00", "1.000.000,00",
    "1.23,4", "12,3,4", "1,234.56", "1234.5", "1,5", "(-5)", "(5", "5)", "(R$ 5,00)", "5 %",
    "( 5 )", "1.234", "1234", "abc", "", "R$", "-", "--5", "-R$ -5", "1 234", "١٢٣", "12e3",
    "999999999999999999999", "0,000001", "1.000,", ",5", "(5%)", "(5)%", "R$ 0,99",
]  # fmt: skip
INTEGERS = [
    "0", "1", "-1", "+7", "007", "00", "-0", "123456789012345678", "1234567890123456789",
    "1.5", "1,5", " 5", "١٢", "", "+", "-", "5a", "²",
]  # fmt: skip
BOOLEANS = ["Sim", "sim", "SIM", "S", "s", "Não", "não", "NÃO", "Nao", "N", "n", "true", "False",
            "V", "f", "Verdadeiro", "falso", "x", "1", "0", "", "yes"]  # fmt: skip
DATES = [
    "01/02/2025", "1/2/2025", "31/02/2025", "29/02/2024", "29/02/2023", "00/01/2025",
    "01/13/2025", "01/02/25", "31/12/99", "15/06/68", "15/06/69", "01/02/0000", "001/02/2025",
    "01-02-2025", "2025-02-01", "2025-2-1", "0000-01-01", "2025/02/01", "01/02/2025 10:00",
    "", "abc", "1/1/1", "01/02/20255",
]  # fmt: skip
DATETIMES = [
    "31/01/2025 10:20:30", "31/01/2025 10:20", "1/2/2025 3:04:05", "31/01/2025 24:00:00",
    "31/01/2025 23:60:00", "31/01/2025 23:59:60", "2025-01-31 10:20:30", "2025-01-31T10:20:30",
    "2025-01-31 10:20", "2025-01-31T10:20", "2024-02-30 10:00:00", "2025-01-31", "x",
    "2025-01-31  10:20:30", "0000-01-01 00:00:00",
]  # fmt: skip


def _sql(expression_of, texts):
    with duckdb.connect() as con:
        rows = ", ".join(f"({i}, {literal(t)})" for i, t in enumerate(texts))
        query = f"SELECT i, {expression_of('t')} FROM (VALUES {rows}) AS x(i, t) ORDER BY i"  # noqa: S608
        return [value for _, value in con.execute(query).fetchall()]


def _as_float(value):
    return float(value) if isinstance(value, Decimal) else value


@pytest.mark.parametrize("decimal_char", [",", "."])
def test_numbers(decimal_char):
    texts = [t.strip() for t in NUMBERS]
    got = _sql(lambda c: sqltypes.number_sql(c, decimal_char), texts)
    for text, value in zip(texts, got, strict=True):
        parsed = v.parse_number(text, decimal_char) if text else None
        expected = _as_float(parsed[0]) if parsed else None
        assert value == expected, (text, value, expected)


def test_integers():
    texts = [t.strip() for t in INTEGERS]
    got = _sql(lambda c: sqltypes.value_sql({"type": "integer"}, c), texts)
    for text, value in zip(texts, got, strict=True):
        assert value == (v.parse_integer(text) if text else None), text


def test_booleans():
    got = _sql(lambda c: sqltypes.value_sql({"type": "boolean"}, c), BOOLEANS)
    for text, value in zip(BOOLEANS, got, strict=True):
        assert value == v.parse_boolean(text), text


@pytest.mark.parametrize("fmt", v.DATE_FORMATS)
def test_dates(fmt):
    got = _sql(lambda c: sqltypes.value_sql({"type": "date", "format": fmt}, c), DATES)
    for text, value in zip(DATES, got, strict=True):
        assert value == v.parse_date(text, fmt), (fmt, text)


@pytest.mark.parametrize("fmt", v.DATETIME_FORMATS)
def test_datetimes(fmt):
    spec = {"type": "datetime", "format": fmt}

    def expression(c):
        return sqltypes.value_sql(spec, c, sqltypes.prepare_sql(spec, c))

    got = _sql(expression, DATETIMES)
    for text, value in zip(DATETIMES, got, strict=True):
        expected = v.parse_datetime(text, fmt)
        assert value == expected, (fmt, text, value, expected)


def test_sanity_of_the_examples():
    # The lists above exercise both outcomes of every rule.
    assert v.parse_number("(1.234,56)", ",") == (Decimal("-1234.56"), False)
    assert v.parse_date("29/02/2024", "%d/%m/%Y") == date(2024, 2, 29)
    assert v.parse_datetime("2025-01-31T10:20:30", "%Y-%m-%d %H:%M:%S") == datetime(
        2025, 1, 31, 10, 20, 30
    )


WHITESPACE_CELLS = ["  a  ", "\ta\t", "a\n", "\xa0a\xa0", "\u3000a", "a", "", "   ", " a b "]


def test_trim_and_missing_match_python():
    got = _sql(sqltypes.trimmed, WHITESPACE_CELLS)
    assert got == [t.strip() for t in WHITESPACE_CELLS]
    cells = [*v.MISSING_VALUES, "N/d", "Null", "nulo", "--", "x", "ND"]
    missing = _sql(sqltypes.is_missing, cells)
    assert missing == [v.is_missing(c) for c in cells]
