"""Column statistics of a normalized Parquet file, in one SQL pass (plus one for small sets).

Per column: ``count`` (non-missing), ``missing``, ``distinct`` (exact up to
``DISTINCT_CAP``, else ``None``) and, for numbers, dates and datetimes,
``min``/``max`` (JSON-ready: int, float or ISO text).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module

from .sqltext import ident, literal

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

DISTINCT_CAP = 1000
_ORDERED = {"integer", "number", "date", "datetime"}


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def column_stats(
    con: duckdb.DuckDBPyConnection, parquet: str, fields: list[dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    source = f"read_parquet({literal(parquet)})"
    selects = ["count(*)"]
    for spec in fields:
        c = ident(spec["name"])
        selects += [f"count({c})", f"approx_count_distinct({c})"]
        if spec["type"] in _ORDERED:
            selects += [f"min({c})", f"max({c})"]
    row = con.execute(f"SELECT {', '.join(selects)} FROM {source}").fetchone()  # noqa: S608
    assert row is not None
    total, position = row[0], 1
    stats: dict[str, dict[str, Any]] = {}
    exact: list[str] = []
    for spec in fields:
        count, approx = row[position], row[position + 1]
        position += 2
        entry: dict[str, Any] = {"count": count, "missing": total - count, "distinct": None}
        if approx <= DISTINCT_CAP * 1.2:  # the estimate errs by a few per cent
            exact.append(spec["name"])
        if spec["type"] in _ORDERED:
            low, high = row[position], row[position + 1]
            position += 2
            if low is not None:
                entry["min"], entry["max"] = _plain(low), _plain(high)
        stats[spec["name"]] = entry
    if exact:
        counts = ", ".join(f"count(DISTINCT {ident(name)})" for name in exact)
        found = con.execute(f"SELECT {counts} FROM {source}").fetchone()  # noqa: S608
        assert found is not None
        for name, distinct in zip(exact, found, strict=True):
            stats[name]["distinct"] = distinct if distinct <= DISTINCT_CAP else None
    return stats
