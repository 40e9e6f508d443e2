"""Conversion to Parquet: sniff, infer, validate, screen and write atomically.

``to_parquet`` is the one entry point of the pipeline. CSV files take the
DuckDB path (``fastcsv.py``): Python only sniffs, transcodes and infers on a
sample; DuckDB parses, types, counts errors and writes Parquet. XLSX, ODS and
JSON (and CSV files DuckDB cannot parse the way Python does: the hostile
ones) take the Python path: ``validate`` streams normalized rows into a UTF-8
CSV that DuckDB loads with explicit types. Both paths share the type rules
and messages, then the same SQL computes column statistics (``stats.py``)
the ``unique`` constraint (``unique.py``) and the LGPD screening
(``screen.py``) on the Parquet.

The Parquet file is written beside the target under a temporary name and
renamed at the end, so a failure never leaves a partial or replaced output.
"""

from __future__ import annotations

import csv
import os
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module

from .errors import NO_ROWS, TabularError
from .infer import Issue, Report, infer_schema, validate
from .progress import Progress, ProgressCallback
from .screen import screen_parquet
from .source import Table, open_table
from .sqltext import copy_to_parquet, literal
from .stats import column_stats
from .totals import summed_columns, sums_message
from .unique import check_unique

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

DUCKDB_TYPES = {
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
    "string": "VARCHAR",
}
# DuckDB's own memory (it spills beyond it). With the row groups of ``sqltext.ROW_GROUP_ROWS``
# the typed COPY of the 1M-row bench file no longer depends on it (1.52 s at 256 MB, 1.58 s at
# 320 MB, 1.59 s at 384 MB; the text-only copy: 0.94, 0.82, 0.80 s). 320 MB leaves headroom;
# the whole import, Python and Django included, peaks at 330-350 MB, for 1 GB files too.
MEMORY_LIMIT = "320MB"
THREADS = 2


@dataclass
class ConvertResult:
    schema: dict[str, Any]
    report: Report
    encoding: str | None
    delimiter: str | None
    header_line: int
    rows: int = 0
    personal_data: list[dict[str, Any]] = field(default_factory=list)
    sheet: str | None = None
    engine: str = "python"  # "duckdb" when the fast CSV path did the work


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


def _copy_sql(csv_path: Path, parquet_path: Path, schema: dict[str, Any]) -> str:
    columns = ", ".join(
        f"{literal(f['name'])}: {literal(DUCKDB_TYPES[f['type']])}" for f in schema["fields"]
    )
    source = (
        f"read_csv({literal(str(csv_path))}, header = true, auto_detect = false, "
        f"all_varchar = false, delim = ',', quote = '\"', escape = '\"', nullstr = '', "
        "max_line_size = 8388608, "
        f"columns = {{{columns}}})"
    )
    # Every interpolated piece is a quoted literal or a fixed type name.
    return copy_to_parquet(f"SELECT * FROM {source}", parquet_path)  # noqa: S608


def connect(workdir: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory, spilling to ``workdir``."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {THREADS}")
    con.execute(f"SET memory_limit = {literal(MEMORY_LIMIT)}")
    con.execute(f"SET temp_directory = {literal(os.path.join(workdir, 'spill'))}")
    # query_progress() only works with the progress bar on; never print it.
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


def _python_path(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    schema: dict[str, Any],
    partial: Path,
    workdir: str,
    tracker: Progress,
) -> Report:
    report = Report()
    normalized = Path(workdir) / "normalized.csv"
    with normalized.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([f["name"] for f in schema["fields"]])
        for row in validate(table, schema, report):
            writer.writerow([_cell(value) for value in row])
            if report.rows % 2000 == 0:
                tracker.update(int(table.bytes_read * 0.8))
    con.execute(_copy_sql(normalized, partial, schema))
    normalized.unlink()
    return report


def _check_last_row(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    parquet: str,
    fields: list[dict[str, Any]],
    report: Report,
) -> None:
    """Report an unlabelled totals row at the end (labelled ones are found while reading)."""
    if report.totals_rows:
        return
    columns = summed_columns(con, parquet, fields, report.rows)
    if not columns:
        return
    line = report.last_line
    if line is None:  # the DuckDB path does not know it: one reading pass, only now
        for number, cells in table.records():
            if any(c.strip() for c in cells):
                line = number
    report.error(line, None, sums_message(columns))


def to_parquet(
    source: Path,
    target: Path,
    *,
    sheet: str | None = None,
    schema_override: dict[str, dict[str, Any]] | None = None,
    progress: ProgressCallback | None = None,
    screen: bool = True,
) -> ConvertResult:
    """Sniff, infer, validate, screen and write ``target`` (Parquet).

    Raise TabularError (pt-BR, with line/column when known) if the file cannot
    be imported; ``target`` is then untouched.
    """
    tracker = Progress(progress, source.stat().st_size if source.exists() else 0)
    tracker.update(0, force=True)
    table = open_table(source, sheet=sheet)
    notes: list[Issue] = []
    schema = infer_schema(table, overrides=schema_override, notes=notes)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    engine = "python"
    # Beside the target, not in /tmp (often a RAM-backed tmpfs): the UTF-8 copy and the
    # spill files of a 1 GB CSV must not live in memory.
    with tempfile.TemporaryDirectory(prefix=".paco-tabular-", dir=target.parent) as workdir:
        try:
            with connect(workdir) as con:
                report = None
                if table.kind == "csv":
                    from .fastcsv import convert_csv

                    report = convert_csv(con, table, schema, partial, workdir, tracker)
                    engine = "duckdb" if report is not None else engine
                if report is None:
                    report = _python_path(con, table, schema, partial, workdir, tracker)
                if report.rows == 0:
                    raise TabularError(NO_ROWS)
                report.warnings[:0] = notes
                report.warning_count += len(notes)
                _check_last_row(con, table, str(partial), schema["fields"], report)
                check_unique(con, table, str(partial), schema["fields"], report)
                tracker.fraction(0.85)
                report.stats = column_stats(con, str(partial), schema["fields"])
                tracker.fraction(0.9)
                personal = (
                    screen_parquet(con, str(partial), schema["fields"], report.stats)
                    if screen
                    else []
                )
            os.replace(partial, target)
        except duckdb.Error as exc:
            raise TabularError(f"Falha ao gravar os dados normalizados ({exc}).") from exc
        finally:
            partial.unlink(missing_ok=True)
    tracker.finish()
    dialect = table.dialect
    return ConvertResult(
        schema=schema,
        report=report,
        encoding=dialect.encoding if dialect else None,
        delimiter=dialect.delimiter if dialect else None,
        header_line=table.header_line,
        rows=report.rows,
        personal_data=personal,
        sheet=table.sheet,
        engine=engine,
    )


__all__ = ["ConvertResult", "TabularError", "to_parquet"]
