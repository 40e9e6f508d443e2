"""The ``unique`` constraint of the data dictionary, checked on the written Parquet file.

Both paths (DuckDB and Python) write the typed rows first; one ``GROUP BY``
per unique column then counts the repeated values (missing values never
repeat). Only when there are repeats is the source read again, in Python, to
name the line of each repeat and of the value's first occurrence, as the
other errors do. A repeat is an error like any other: staff may still publish
(art. 32), and the report goes with the data.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module

from . import values as v
from .infer import MAX_ERRORS, Report, parser, shown
from .source import Table
from .sqltext import ident, literal

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")


def is_unique(spec: dict[str, Any]) -> bool:
    found = spec.get("constraints") or {}
    return isinstance(found, dict) and found.get("unique") is True


def _key(value: Any) -> Any:
    """A typed value as DuckDB returns it from the Parquet file (numbers are DOUBLE)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def check_unique(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    parquet: str,
    fields: list[dict[str, Any]],
    report: Report,
) -> None:
    """Add an error per repeated value of each unique column (first ones with their lines)."""
    source = f"read_parquet({literal(parquet)})"
    repeated: dict[int, int] = {}  # field index -> number of repeats
    for index, spec in enumerate(fields):
        if not is_unique(spec):
            continue
        c = ident(spec["name"])
        row = con.execute(
            f"SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM {source} "  # noqa: S608
            f"WHERE {c} IS NOT NULL GROUP BY {c} HAVING count(*) > 1)"
        ).fetchone()
        if row and row[0]:
            repeated[index] = int(row[0])
    if not repeated:
        return
    before = report.error_count
    _name_lines(table, fields, repeated, report)
    report.error_count = before + sum(repeated.values())


def _name_lines(
    table: Table, fields: list[dict[str, Any]], repeated: dict[int, int], report: Report
) -> None:
    """Report the first repeats of each column with their line and the first occurrence's."""
    parsers = {i: parser(fields[i]) for i in repeated}
    seen: dict[int, dict[Any, int]] = {i: {} for i in repeated}
    left = {i: min(n, MAX_ERRORS) for i, n in repeated.items()}
    for line, cells in table.records():
        if not any(c.strip() for c in cells):
            continue
        for index in [i for i, n in left.items() if n]:
            text = cells[index].strip() if index < len(cells) else ""
            value = None if v.is_missing(text) else parsers[index](text)
            if value is None:
                continue
            first = seen[index].setdefault(_key(value), line)
            if first != line:
                name = fields[index]["name"]
                report.error(
                    line,
                    name,
                    f"“{shown(text)}” repete um valor que deve ser único "
                    f"(primeira ocorrência na linha {first}).",
                )
                left[index] -= 1
        if not any(left.values()):
            return
