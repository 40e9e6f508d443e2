"""Spreadsheets (XLSX, XLSM, XLS, XLSB, ODS) read with python-calamine.

Formulas are read as the values the spreadsheet program last computed
(missing when the file was never opened by one); dates and datetimes come
as dates; text cells keep their leading zeros. Cells are rendered to the
text the CSV path would see (decimal comma, ISO dates), so one inference
and one validator serve every format. Row numbers are the spreadsheet's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import TabularError

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == time()
            else value.isoformat(sep=" ", timespec="seconds")
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e18:
            return str(int(value))
        return format(Decimal(repr(value)), "f").replace(".", ",")
    return str(value)


def _kind(path: Path) -> str:
    return "ODS" if path.suffix.lower() == ".ods" else path.suffix.lower().lstrip(".").upper()


def _fatal(exc: BaseException) -> bool:
    """Interrupts pass through; anything else from calamine (even a Rust panic) is a bad file."""
    return isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit)


def _workbook(path: Path) -> Any:
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except BaseException as exc:  # calamine raises many kinds (and panics) for damaged files
        if _fatal(exc):
            raise
        raise TabularError(
            f"A planilha não pôde ser aberta: o arquivo {_kind(path)} está danificado."
        ) from exc


def sheet_name(path: Path, sheet: str | None) -> str:
    """The sheet to read: ``sheet`` if it exists, else the first one."""
    book = _workbook(path)
    try:
        names: list[str] = list(book.sheet_names)
    finally:
        book.close()
    if not names:
        raise TabularError("A planilha não tem nenhuma aba.")
    if sheet is None:
        return names[0]
    if sheet not in names:
        listed = ", ".join(f"“{n}”" for n in names)
        raise TabularError(f"A planilha “{sheet}” não existe; as planilhas são: {listed}.")
    return sheet


def sheet_rows(path: Path, sheet: str) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells as text)`` for every row of the used area."""
    book = _workbook(path)
    damaged = f"A aba “{sheet}” não pôde ser lida: o arquivo {_kind(path)} está danificado."
    try:
        try:
            data = book.get_sheet_by_name(sheet)
            rows = data.iter_rows()
            first_row = data.start[0] if data.start else 0
        except BaseException as exc:
            if _fatal(exc):
                raise
            raise TabularError(damaged) from exc
        number = first_row
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except BaseException as exc:
                if _fatal(exc):
                    raise
                raise TabularError(damaged) from exc
            number += 1
            yield number, [cell_text(v) for v in row]
    finally:
        book.close()
