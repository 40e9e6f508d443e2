"""SQL of the CSV fast path: the ``read_csv`` call and the typing/validation query."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import constraints
from . import values as v
from .infer import TOTALS_LABEL
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
    nans = nan_cells(fields)
    layer2 = ["*"]
    for i, spec in enumerate(fields):
        nan = f" OR {nans[i]}" if i in nans else ""
        layer2.append(f"(c{i} IS NULL OR {is_missing(f'c{i}')}{nan}) AS m{i}")
        prepared = prepare_sql(spec, f"c{i}")
        if prepared is not None:
            layer2.append(f"{prepared} AS p{i}")
    layer3 = ["*"]
    for i, spec in enumerate(fields):
        value = value_sql(spec, f"c{i}", f"p{i}")
        layer3.append(f"CASE WHEN m{i} THEN NULL ELSE {value} END AS r{i}")
    # Paço never stores a non-finite number (JSON cannot hold one): a number beyond a
    # double's range is a bad cell, like any other.
    layer4 = ["*"] + [
        f"CASE WHEN isfinite(r{i}) THEN r{i} END AS v{i}"
        if spec["type"] == "number"
        else f"r{i} AS v{i}"
        for i, spec in enumerate(fields)
    ]
    out = [f"v{i} AS {ident(spec['name'])}" for i, spec in enumerate(fields)]
    bad, broken = cell_errors(fields)
    blank = " AND ".join(f"coalesce({c}, '') = ''" for c in all_cells)
    label = totals_sql(all_cells)
    inner = (
        f"(SELECT {', '.join(layer4)} FROM (SELECT {', '.join(layer3)} FROM "  # noqa: S608
        f"(SELECT {', '.join(layer2)} FROM (SELECT {layer1} FROM {source}))))"
    )
    if not staging:
        # Rows the report must name by line (bad cells, NaN read as missing, blank and
        # totals rows) stop the clean pass: the staging pass finds their lines.
        events = [blank, f"({label}) IS NOT NULL", *bad.values(), *nans.values()]
        where = f"CASE WHEN {' OR '.join(events)} THEN error({literal(BAD_VALUE)}) ELSE true END"
        return f"SELECT {', '.join(out)} FROM {inner} WHERE {where}"  # noqa: S608
    for i, condition in bad.items():
        out.append(f"CASE WHEN {condition} THEN coalesce(c{i}, '') END AS {hidden(f'e{i}')}")
    for i, key in broken.items():
        out.append(f"{key} AS {hidden(f'k{i}')}")
    for i, condition in nans.items():
        out.append(f"CASE WHEN {condition} THEN c{i} END AS {hidden(f'n{i}')}")
    out.append(f"{label} AS {hidden('t')}")
    out.append(f"CASE WHEN {blank} THEN true END AS {hidden('blank')}")
    if padded:
        found = " + ".join(f"CAST({c} IS NOT NULL AS INTEGER)" for c in all_cells)
        extra = " OR ".join(f"coalesce({c}, '') <> ''" for c in spares)
        out.append(f"CASE WHEN c{width - 1} IS NULL OR {extra} THEN {found} END AS {hidden('w')}")
    return f"SELECT {', '.join(out)} FROM {inner}"  # noqa: S608


def nan_cells(fields: list[dict[str, Any]]) -> dict[int, str]:
    """Per numeric column index: SQL "this trimmed cell spells NaN" (read as missing)."""
    words = ", ".join(literal(w) for w in sorted(v.NAN_WORDS))
    return {
        i: f"(strlen(c{i}) = 3 AND lower(c{i}) IN ({words}))"
        for i, spec in enumerate(fields)
        if spec["type"] in {"integer", "number"}
    }


def totals_sql(cells: list[str]) -> str:
    """SQL: the row's first filled cell when it labels a totals row (``infer.totals_label``)."""
    first = "coalesce(" + ", ".join(f"nullif({c}, '')" for c in cells) + ")"
    if len(cells) == 1:
        first = f"nullif({cells[0]}, '')"
    return (
        f"CASE WHEN lower(left({first}, 1)) IN ('s', 't') "
        f"AND regexp_full_match(lower({first}), {literal(TOTALS_LABEL)}) THEN {first} END"
    )


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
