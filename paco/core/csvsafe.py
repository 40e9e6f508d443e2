"""Every CSV (and TSV) Paço writes is safe to open in a spreadsheet (CSV injection).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, TAB or CR is read by
Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(…)``,
``=cmd|…``). Following OWASP's advice such a cell gets a leading ``'``, which
spreadsheets show as text and do not keep.

The rule for numbers: a value that *is* a number — a Python ``int``, ``float``
or ``Decimal``, or a column typed as a number in the datastore — is written as
is, so ``-5`` in a numeric column stays the number -5. A *text* value is always
neutralized, even when it looks like a number (``"-5"`` in a text column is
written ``'-5``): text columns are where formulas come from, and a spreadsheet
cannot tell the two apart.

Python writers use :func:`writer` (or :func:`safe_cell` per value); DuckDB's
``COPY … TO`` exports wrap each text column in :func:`sql_neutralized`. A test
checks that no other module builds a ``csv.writer``, and another fetches every
CSV Paço serves with a formula in a fixture cell.

**CSV para Excel.** Excel in pt-BR opens a plain CSV (UTF-8, ``,``, decimal point)
with garbled accents and everything in one column. Every CSV download therefore
also comes in the Excel dialect, asked with ``?excel=1`` and linked as "CSV para
Excel" next to the CSV: UTF-8 with a BOM, ``;`` between cells, decimal comma
(``1234,5``; no thousands separator). One definition here: :func:`writer` with
``excel=True`` for Python writers, :func:`sql_decimal_comma` and
:data:`EXCEL_COPY_OPTIONS` for DuckDB's exports, :func:`wants_excel` for views.
"""

from __future__ import annotations

import csv
import decimal
from collections.abc import Iterable
from typing import Any

#: first characters a spreadsheet reads as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SQL_STARTS = "('=', '+', '-', '@', chr(9), chr(13))"


#: the query parameter of the Excel variant of a CSV download, and the link's label
EXCEL_PARAM = "excel"
EXCEL_LABEL = "CSV para Excel"
BOM = "\ufeff"
EXCEL_DELIMITER = ";"
#: DuckDB ``COPY`` options of the Excel dialect (the BOM is written before the rows)
EXCEL_COPY_OPTIONS = f"FORMAT csv, HEADER true, DELIMITER '{EXCEL_DELIMITER}'"


def wants_excel(request: Any) -> bool:
    """Whether a CSV download was asked in the Excel dialect (``?excel=1``)."""
    return request.GET.get(EXCEL_PARAM, "").strip().lower() in {"1", "true", "sim", "yes"}


def excel_query(url: str) -> str:
    """The Excel variant's address of a CSV download address."""
    return f"{url}{'&' if '?' in url else '?'}{EXCEL_PARAM}=1"


def decimal_comma(value: float | decimal.Decimal) -> str:
    """``1234.5`` → ``"1234,5"`` (Excel pt-BR's number; no thousands separator)."""
    return str(value).replace(".", ",")


def sql_decimal_comma(expression: str, alias: str) -> str:
    """A DuckDB SELECT item: a non-integer number written with a decimal comma."""
    return f"replace(CAST({expression} AS VARCHAR), '.', ',') AS {alias}"


def safe_cell(value: Any) -> Any:
    """``value`` ready for a CSV cell: numbers unchanged, formula-like text quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def excel_cell(value: Any) -> Any:
    """:func:`safe_cell` in the Excel dialect: non-integer numbers with a decimal comma."""
    cell = safe_cell(value)
    if isinstance(cell, float | decimal.Decimal):
        return decimal_comma(cell)
    return cell


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`safe_cell` (or :func:`excel_cell`)."""

    def __init__(self, target: Any, *, excel: bool = False, **options: Any) -> None:
        if excel:
            options["delimiter"] = EXCEL_DELIMITER
            target.write(BOM)
        self._cell = excel_cell if excel else safe_cell
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([self._cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target: Any, *, excel: bool = False, **options: Any) -> SafeWriter:
    """The only way Paço writes CSV/TSV for people: ``csvsafe.writer(out, delimiter=…)``.

    ``excel=True``: the Excel dialect (BOM written first, ``;``, decimal comma).
    """
    return SafeWriter(target, excel=excel, **options)


def sql_neutralized(expression: str, alias: str) -> str:
    """A DuckDB SELECT item: the text ``expression`` with formula-like values quoted."""
    return (
        f"CASE WHEN left({expression}, 1) IN {_SQL_STARTS} "
        f"THEN '''' || {expression} ELSE {expression} END AS {alias}"
    )
