"""Conversion to Parquet: a streamed, normalized UTF-8 CSV, loaded by DuckDB with explicit types.

The Parquet file is written beside the target under a temporary name and
renamed at the end, so a failure never leaves a partial output.
"""

from __future__ import annotations

import csv
import os
import tempfile
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import TabularError
from .infer import Report, infer_schema, validate
from .source import open_table

DUCKDB_TYPES = {
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "string": "VARCHAR",
}


@dataclass
class ConvertResult:
    schema: dict[str, Any]
    report: Report
    encoding: str | None
    delimiter: str | None
    header_line: int


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_sql(csv_path: Path, parquet_path: Path, schema: dict[str, Any]) -> str:
    columns = ", ".join(
        f"{_sql_text(f['name'])}: {_sql_text(DUCKDB_TYPES[f['type']])}" for f in schema["fields"]
    )
    source = (
        f"read_csv({_sql_text(str(csv_path))}, header = true, auto_detect = false, "
        f"all_varchar = false, delim = ',', quote = '\"', escape = '\"', nullstr = '', "
        "max_line_size = 8388608, "
        f"columns = {{{columns}}})"
    )
    target = _sql_text(str(parquet_path))
    # Every interpolated piece is a quoted literal built by _sql_text or a fixed type name.
    return f"COPY (SELECT * FROM {source}) TO {target} (FORMAT parquet)"  # noqa: S608


def to_parquet(source: Path, target: Path, *, sheet: str | None = None) -> ConvertResult:
    """Sniff, infer, validate and write ``target`` (Parquet); raise TabularError if unreadable."""
    import duckdb

    table = open_table(source, sheet=sheet)
    schema = infer_schema(table)
    report = Report()
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    with tempfile.TemporaryDirectory(prefix="paco-tabular-") as workdir:
        normalized = Path(workdir) / "normalized.csv"
        with normalized.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow([f["name"] for f in schema["fields"]])
            for row in validate(table, schema, report):
                writer.writerow([_cell(value) for value in row])
        if report.rows == 0:
            raise TabularError("O arquivo não tem linhas de dados abaixo do cabeçalho.")
        try:
            with duckdb.connect(":memory:") as con:
                con.execute("SET threads = 1")
                con.execute("SET memory_limit = '256MB'")
                con.execute(_copy_sql(normalized, partial, schema))
            os.replace(partial, target)
        except duckdb.Error as exc:
            raise TabularError(f"Falha ao gravar os dados normalizados ({exc}).") from exc
        finally:
            partial.unlink(missing_ok=True)
    dialect = table.dialect
    return ConvertResult(
        schema=schema,
        report=report,
        encoding=dialect.encoding if dialect else None,
        delimiter=dialect.delimiter if dialect else None,
        header_line=table.header_line,
    )
