"""The DuckDB "limit" of the open-data benchmark, run in its own process.

    python bench/opendata/duck.py import SRC_UTF8.csv OUT.parquet
    python bench/opendata/duck.py export IN.parquet OUT.csv
    python bench/opendata/duck.py count IN.parquet

``import`` reads the (already UTF-8) CSV with ``read_csv`` and writes Parquet with
the same column types Paço should infer: integers, ``dd/mm/aaaa`` dates, Brazilian
numbers (``12.345,67``) as DOUBLE, the rest text. ``export`` is ``COPY … TO`` csv,
json (one array) or parquet, by OUT's extension.
DuckDB runs with its defaults (every core). Prints one JSON line with the
seconds spent inside DuckDB.
"""

from __future__ import annotations

import json
import sys
import time

import duckdb
from gen_expenses import HEADER  # this script's folder is on sys.path when it runs

NUMBERS = ["valor_empenhado", "valor_liquidado", "valor_pago"]
INTEGERS = ["exercicio", "fonte_recurso"]
DATES = ["data_empenho"]
# every other column stays text


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def typed(column: str) -> str:
    if column in NUMBERS:
        return f"CAST(replace(replace({column}, '.', ''), ',', '.') AS DOUBLE) AS {column}"
    if column in INTEGERS:
        return f"CAST({column} AS BIGINT) AS {column}"
    if column in DATES:
        return f"CAST(strptime({column}, '%d/%m/%Y') AS DATE) AS {column}"
    return column


def import_sql(source: str, target: str) -> str:
    select = ", ".join(typed(c) for c in HEADER)
    reader = (
        f"read_csv({literal(source)}, delim = ';', header = true, quote = '\"', "
        "escape = '\"', all_varchar = true)"
    )
    return f"COPY (SELECT {select} FROM {reader}) TO {literal(target)} (FORMAT parquet)"  # noqa: S608


#: COPY options by the target's extension (JSON: one array, as Paço's download)
EXPORT_OPTIONS = {
    "csv": "FORMAT csv, HEADER",
    "json": "FORMAT json, ARRAY true",
    "parquet": "FORMAT parquet",
}


def export_sql(source: str, target: str) -> str:
    options = EXPORT_OPTIONS[target.rsplit(".", 1)[-1]]
    return (
        f"COPY (SELECT * FROM read_parquet({literal(source)})) TO {literal(target)} "  # noqa: S608
        f"({options})"
    )


def main() -> None:
    action, *paths = sys.argv[1:]
    con = duckdb.connect(":memory:")
    started = time.monotonic()
    if action == "import":
        con.execute(import_sql(paths[0], paths[1]))
        result: dict[str, object] = {}
    elif action == "export":
        con.execute(export_sql(paths[0], paths[1]))
        result = {}
    elif action == "count":
        row = con.execute(f"SELECT count(*) FROM read_parquet({literal(paths[0])})").fetchone()  # noqa: S608
        result = {"rows": row[0] if row else 0}
    else:
        sys.exit(f"ação desconhecida: {action}")
    result["seconds"] = round(time.monotonic() - started, 3)
    result["duckdb"] = duckdb.__version__
    print(json.dumps(result))


if __name__ == "__main__":
    main()
