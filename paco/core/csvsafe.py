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
"""

from __future__ import annotations

import csv
import decimal
from collections.abc import Iterable
from typing import Any

#: first characters a spreadsheet reads as the start of a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SQL_STARTS = "('=', '+', '-', '@', chr(9), chr(13))"


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


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`safe_cell`."""

    def __init__(self, target: Any, **options: Any) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(target: Any, **options: Any) -> SafeWriter:
    """The only way Paço writes CSV/TSV for people: ``csvsafe.writer(out, delimiter=…)``."""
    return SafeWriter(target, **options)


def sql_neutralized(expression: str, alias: str) -> str:
    """A DuckDB SELECT item: the text ``expression`` with formula-like values quoted."""
    return (
        f"CASE WHEN left({expression}, 1) IN {_SQL_STARTS} "
        f"THEN '''' || {expression} ELSE {expression} END AS {alias}"
    )
