"""A last row that holds the sums of the columns above it: a totals row without a label.

Rows labelled “TOTAL”, “Total geral”… are found while reading (``infer.totals_label``,
in SQL ``fastsql.totals_sql``). This check catches the unlabelled one at the end of the
table, on the written Parquet: every filled numeric cell of the last row equals the sum
of its column over the rows above (to the cent), and at least one column sums two or
more non-zero values (so two equal rows or a column of zeros are not a “total”).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module

from .sqltext import ident, literal

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

_NUMERIC = {"integer", "number"}
MIN_ROWS = 4  # three rows and their sum (with two, 1, 2, 3 would be a “total”)


def summed_columns(
    con: duckdb.DuckDBPyConnection, parquet: str, fields: list[dict[str, Any]], rows: int
) -> list[str]:
    """The numeric columns the last row sums; empty when the last row is not a totals row."""
    names = [f["name"] for f in fields if f["type"] in _NUMERIC]
    clash = any(f["name"].casefold() == "file_row_number" for f in fields)
    if rows < MIN_ROWS or not names or clash:  # (DuckDB's row number would clash: skip)
        return []
    last = rows - 1
    selects = []
    for name in names:
        c = ident(name)
        selects += [
            f"sum({c}) FILTER (WHERE file_row_number < {last})",
            f"count({c}) FILTER (WHERE file_row_number < {last} AND {c} <> 0)",
            f"max({c}) FILTER (WHERE file_row_number = {last})",
        ]
    source = f"read_parquet({literal(parquet)}, file_row_number = true)"
    found = con.execute(f"SELECT {', '.join(selects)} FROM {source}").fetchone()  # noqa: S608
    assert found is not None
    summed: list[str] = []
    telling = False
    for position, name in enumerate(names):
        total, nonzero, value = found[3 * position : 3 * position + 3]
        if value is None:
            continue
        if total is None or abs(float(value) - float(total)) > 0.005 + 1e-9 * abs(float(total)):
            return []
        summed.append(name)
        telling = telling or nonzero >= 2
    return summed if telling else []


def sums_message(columns: list[str]) -> str:
    shown = ", ".join(f"“{c}”" for c in columns[:5]) + (" …" if len(columns) > 5 else "")
    return (
        f"a última linha parece ser de totais: seus valores em {shown} são a soma das linhas "
        "acima. Quem somar as colunas contará tudo duas vezes; retire a linha do arquivo e "
        "envie de novo."
    )
