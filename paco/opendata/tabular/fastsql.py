"""SQL of the CSV fast path: the ``read_csv`` call and the typing/validation query."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import constraints
from .sqltext import ident, literal
from .sqltypes import is_missing, prepare_sql, trimmed, value_sql

SPARE_COLUMNS = 8
MAX_RECORD_BYTES = 131_072  # Python's csv field limit: longer records take the Python path
BAD_VALUE = "paco: valor fora do tipo"


def hidden(name: str) -> str:
    """SQL name of a hidden staging column; header names never hold \\x1f (it is whitespace)."""
    return ident("\x1f" + name)


def read_csv_sql(path: Path, width: int, *, padded: bool, delimiter: str, skip: int = 0) -> str:
    names = [f"c{i}" for i in range(width)]
    if padded:
        names += [f"x{i}" for i in range(SPARE_COLUMNS)]
    columns = ", ".join(f"{literal(n)}: 'VARCHAR'" for n in names)
    options = [
        "header = false",
        "auto_detect = false",
        f"delim = {literal(delimiter)}",
        "quote = '\"'",
        "escape = '\"'",
        "nullstr = '\x01'",  # empty fields stay '' so padded cells (NULL) are told apart
        "strict_mode = true",
        f"max_line_size = {MAX_RECORD_BYTES}",
        f"columns = {{{columns}}}",
        f"skip = {int(skip)}",
    ]
    if padded:
        options += ["null_padding = true", "parallel = false"]
    return f"read_csv({literal(str(path))}, {', '.join(options)})"


def typed_sql(source: str, fields: list[dict[str, Any]], *, padded: bool, staging: bool) -> str:
    """Read, trim and type every cell.

    ``staging=False``: only the typed columns, blank rows dropped, and the
    query fails with ``BAD_VALUE`` at the first cell that is not of its type
    (the clean file's one pass). ``staging=True``: every row in file order
    plus hidden columns (``hidden()``): ``e{i}`` raw text of bad cells,
    ``k{i}`` the violated constraint, ``w`` the cell count of ragged rows
    (padded reads only), ``blank``.
    """
    width = len(fields)
    spares = [f"x{i}" for i in range(SPARE_COLUMNS)] if padded else []
    all_cells = [f"c{i}" for i in range(width)] + spares
    layer1 = ", ".join(f"{trimmed(c)} AS {c}" for c in all_cells)
    layer2 = ["*"]
    for i, spec in enumerate(fields):
        layer2.append(f"(c{i} IS NULL OR {is_missing(f'c{i}')}) AS m{i}")
        prepared = prepare_sql(spec, f"c{i}")
        if prepared is not None:
            layer2.append(f"{prepared} AS p{i}")
    layer3 = ["*"]
    for i, spec in enumerate(fields):
        value = value_sql(spec, f"c{i}", f"p{i}")
        layer3.append(f"CASE WHEN m{i} THEN NULL ELSE {value} END AS v{i}")
    out = [f"v{i} AS {ident(spec['name'])}" for i, spec in enumerate(fields)]
    bad, broken = cell_errors(fields)
    blank = " AND ".join(f"coalesce({c}, '') = ''" for c in all_cells)
    inner = (
        f"(SELECT {', '.join(layer3)} FROM "  # noqa: S608
        f"(SELECT {', '.join(layer2)} FROM (SELECT {layer1} FROM {source})))"
    )
    if not staging:
        where = f"NOT ({blank})"
        if bad:
            any_bad = " OR ".join(bad.values())
            where += f" AND CASE WHEN {any_bad} THEN error({literal(BAD_VALUE)}) ELSE true END"
        return f"SELECT {', '.join(out)} FROM {inner} WHERE {where}"  # noqa: S608
    for i, condition in bad.items():
        out.append(f"CASE WHEN {condition} THEN coalesce(c{i}, '') END AS {hidden(f'e{i}')}")
    for i, key in broken.items():
        out.append(f"{key} AS {hidden(f'k{i}')}")
    out.append(f"CASE WHEN {blank} THEN true END AS {hidden('blank')}")
    if padded:
        found = " + ".join(f"CAST({c} IS NOT NULL AS INTEGER)" for c in all_cells)
        extra = " OR ".join(f"coalesce({c}, '') <> ''" for c in spares)
        out.append(f"CASE WHEN c{width - 1} IS NULL OR {extra} THEN {found} END AS {hidden('w')}")
    return f"SELECT {', '.join(out)} FROM {inner}"  # noqa: S608


def cell_errors(fields: list[dict[str, Any]]) -> tuple[dict[int, str], dict[int, str]]:
    """Per column index: SQL "this cell is an error", and SQL naming the violated constraint."""
    bad: dict[int, str] = {}
    broken: dict[int, str] = {}
    for i, spec in enumerate(fields):
        conditions = []
        if spec["type"] != "string":
            conditions.append(f"(v{i} IS NULL AND NOT m{i})")
        key = constraints.violation_sql(constraints.active(spec), spec["type"], f"v{i}", f"m{i}")
        if key is not None:
            broken[i] = key
            conditions.append(f"({key}) IS NOT NULL")
        if conditions:
            bad[i] = " OR ".join(conditions)
    return bad, broken
