"""The DuckDB path for CSV files: Python sniffs and transcodes, DuckDB does the per-row work.

1. UTF-8 files are read in place (title rows skipped); others are transcoded to
   UTF-8 in 4 MB chunks without the title rows and the header (``transcode``;
   a bad byte names its physical line).
2. The clean pass: one ``COPY`` reads the file with ``read_csv`` (all text,
   strict quoting), trims, types and checks every cell in SQL (``fastsql.py``,
   ``sqltypes.py``, ``constraints.py``) and writes the Parquet file; the query
   fails with ``BAD_VALUE`` at the first bad cell.
3. Only when that fails (or the first 1000 records already hold errors): a
   staging Parquet with hidden columns (raw text of bad cells, violated
   constraint, cell count of ragged rows, blank-row flag) in file order. Ragged
   files are read with ``null_padding`` and spare columns (serially: DuckDB
   cannot pad in parallel when fields contain newlines). Error counts come from
   it; the first ``MAX_ERRORS`` bad records are found by ``file_row_number`` and
   mapped to physical lines by one ``csv.reader`` pass over the original. The
   final Parquet is the staging file without hidden columns and blank rows.
4. Anything DuckDB refuses returns None: the caller uses the Python path.
"""

from __future__ import annotations

import codecs
import csv
import io
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module

from . import constraints, infer
from .errors import TabularError
from .fastsql import (
    BAD_VALUE,
    MAX_RECORD_BYTES,
    cell_errors,
    hidden,
    nan_cells,
    read_csv_sql,
    typed_sql,
)
from .infer import Report
from .progress import Progress
from .source import Table, bad_bytes
from .sqltext import copy_to_parquet, ident, literal

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

CHUNK_BYTES = 1024 * 1024
# Every byte is one character: chunks decode on their own. ``bytes.decode`` is far faster
# than an incremental decoder here (0.52 s against 0.82 s for 265 MB of Windows-1252).
SINGLE_BYTE = frozenset({"cp1252", "iso-8859-1"})
TRANSCODE_SHARE = 0.35  # of the progress bar
COPY_SHARE = 0.45
POLL_SECONDS = 0.2


def transcode(table: Table, target: Path, skip_lines: int, tracker: Progress) -> None:
    """Write the file as UTF-8 without its first ``skip_lines`` physical lines."""
    assert table.dialect is not None
    encoding = table.dialect.encoding
    decoder = None if encoding in SINGLE_BYTE else codecs.getincrementaldecoder(encoding)()
    newline_bytes = b"\n" if encoding != "utf-16" else None
    lines_before = 0  # physical lines fully read before the current chunk
    to_skip = skip_lines
    done = 0
    with table.path.open("rb") as raw, target.open("wb") as out:
        while True:
            chunk = raw.read(CHUNK_BYTES)
            final = not chunk
            try:
                text = chunk.decode(encoding) if decoder is None else decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                line = lines_before + 1
                if newline_bytes is not None:
                    line += chunk[: max(exc.start, 0)].count(newline_bytes)
                raise bad_bytes(encoding, line) from exc
            if newline_bytes is not None:
                lines_before += chunk.count(newline_bytes)
            while to_skip and text:
                cut = text.find("\n")
                if cut < 0:
                    text = ""
                    break
                text = text[cut + 1 :]
                to_skip -= 1
            if text:
                out.write(text.encode("utf-8"))
            if final:
                return
            done += len(chunk)
            tracker.fraction(TRANSCODE_SHARE * done / tracker.total)


def _execute(con: duckdb.DuckDBPyConnection, sql: str, tracker: Progress, start: float) -> Any:
    """Run ``sql`` and return its first row, reporting DuckDB's own query progress.

    The statement runs in a helper thread (DuckDB releases the GIL) while this
    thread polls ``query_progress()``: the caller's callback is only ever
    called from the caller's thread (it may write to a database).
    """
    if tracker.callback is None:
        return con.execute(sql).fetchone()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["row"] = con.execute(sql).fetchone()
        except BaseException as exc:  # handed to the calling thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, name="paco-tabular-copy", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(POLL_SECONDS)
        try:
            percent = con.query_progress()
        except duckdb.Error:
            percent = -1
        if percent >= 0 and worker.is_alive():
            tracker.fraction(start + COPY_SHARE * percent / 100)
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("row")


def _copy(con: duckdb.DuckDBPyConnection, sql: str, target: Path, tracker: Progress) -> int:
    written = _execute(con, copy_to_parquet(sql, target), tracker, TRANSCODE_SHARE)
    return int(written[0]) if written else 0


def _stage(
    con: duckdb.DuckDBPyConnection,
    data: tuple[Path, int],
    staging: Path,
    fields: list[dict[str, Any]],
    delimiter: str,
    tracker: Progress,
    *,
    ragged: bool,
) -> bool:
    """Write the staging Parquet; return whether the read was padded (ragged rows allowed)."""
    path, skip = data
    for padded in (False, True) if not ragged else (True,):
        source = read_csv_sql(path, len(fields), padded=padded, delimiter=delimiter, skip=skip)
        try:
            _copy(con, typed_sql(source, fields, padded=padded, staging=True), staging, tracker)
            return padded
        except duckdb.Error:
            staging.unlink(missing_ok=True)
            if padded:
                raise
    raise AssertionError("unreachable")


def _sample_errors(table: Table, schema: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the first records already hold bad cells, and ragged rows (skip the clean pass)."""
    sample = Report()
    for seen, _row in enumerate(infer.validate(table, schema, sample), start=1):
        if seen >= infer.SAMPLE_ROWS:
            break
    # (empty lines are found by a byte scan, not by the staging pass)
    events = sample.warning_count - sample.empty_lines
    cells = sample.error_count > len(table.header.issues) or events > 0
    ragged = any(e.column is None and e.line != table.header_line for e in sample.errors)
    return cells, ragged


def _direct(table: Table, skip: int) -> bool:
    """UTF-8 files are read by DuckDB as they are, skipping title rows without quotes."""
    assert table.dialect is not None
    if table.dialect.encoding not in {"utf-8", "utf-8-sig"}:
        return False
    with table.path.open("rb") as raw:
        return not any(b'"' in raw.readline(MAX_RECORD_BYTES) for _ in range(skip))


def convert_csv(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    schema: dict[str, Any],
    partial: Path,
    workdir: str,
    tracker: Progress,
) -> Report | None:
    """Write ``partial`` and return the report, or None to let the Python path do it."""
    assert table.dialect is not None
    first = next(table.records(), None)
    if first is None:
        return None  # the Python path rejects it with its usual message
    fields = schema["fields"]
    delimiter = table.dialect.delimiter
    converted = Path(workdir) / "data.csv"
    staging = Path(workdir) / "staging.parquet"
    report = Report()
    for issue in table.header.issues:
        report.error(table.header_line, None, issue)
    title_lines = first[0] - 1
    sample_bad, sample_ragged = _sample_errors(table, schema)
    sources = [(table.path, title_lines)] if _direct(table, title_lines) else []
    sources.append((converted, 0))
    try:
        for data in sources:
            direct = data[0] == table.path
            if not direct:  # a UTF-8 file DuckDB refused is transcoded too: bad bytes name a line
                transcode(table, converted, title_lines, tracker)
            ragged = sample_ragged
            if not sample_bad:  # the clean file's single pass
                source = read_csv_sql(
                    data[0], len(fields), padded=False, delimiter=delimiter, skip=data[1]
                )
                try:
                    sql = typed_sql(source, fields, padded=False, staging=False)
                    report.rows = _copy(con, sql, partial, tracker)
                    break
                except duckdb.Error as exc:  # a bad value, or a file DuckDB cannot read strictly
                    partial.unlink(missing_ok=True)
                    ragged = BAD_VALUE not in str(exc)
                    if ragged and direct:
                        continue
            try:
                padded = _stage(con, data, staging, fields, delimiter, tracker, ragged=ragged)
            except duckdb.Error:
                if direct:
                    continue
                return None
            try:
                if not _collect_errors(con, table, staging, fields, padded, report):
                    return None
                report.rows = _finish(con, staging, partial, fields)
            except duckdb.Error:  # e.g. a column named like DuckDB's file_row_number
                partial.unlink(missing_ok=True)
                return None
            break
    finally:
        converted.unlink(missing_ok=True)
        staging.unlink(missing_ok=True)
    _report_empty_lines(table, report)
    return report


def _report_empty_lines(table: Table, report: Report) -> None:
    """Warn about empty lines among the data, in line order with the other warnings.

    DuckDB skips lines with nothing at all, so they are found on the raw bytes:
    ``\n\n`` or ``\n\r\n`` outside quotes (quote parity), after the header.
    """
    lines = empty_lines(table)
    if not lines:
        return
    report.warning_count += len(lines)
    found = [infer.Issue(line, None, infer.BLANK_ROW) for line in lines[: infer.MAX_ERRORS]]
    merged = sorted(report.warnings + found, key=lambda issue: issue.line or 0)
    report.warnings = merged[: infer.MAX_ERRORS]


def empty_lines(table: Table) -> list[int]:
    """Physical numbers of the empty lines after the header (outside quoted fields)."""
    assert table.dialect is not None
    if table.dialect.encoding == "utf-16":  # rare and small: the reader tells
        return [line for line, cells in table.records() if not cells]
    found: list[int] = []
    lines_before = 0  # newlines before the chunk
    quotes_before = 0
    ended_with_newline = False
    with table.path.open("rb") as raw:
        while chunk := raw.read(CHUNK_BYTES):
            starts = []
            if ended_with_newline and chunk.startswith((b"\n", b"\r\n")):
                starts.append(0)
            for needle in (b"\n\n", b"\n\r\n"):
                at = chunk.find(needle)
                while at >= 0:
                    starts.append(at + 1)
                    at = chunk.find(needle, at + 1)
            position, newlines, quotes = 0, lines_before, quotes_before
            for start in sorted(starts):
                newlines += chunk.count(b"\n", position, start)
                quotes += chunk.count(b'"', position, start)
                position = start
                line = newlines + 1
                if quotes % 2 == 0 and line > table.header_line:
                    found.append(line)
            lines_before += chunk.count(b"\n")
            quotes_before += chunk.count(b'"')
            ended_with_newline = chunk.endswith(b"\n")
    return found


def _finish(
    con: duckdb.DuckDBPyConnection, staging: Path, partial: Path, fields: list[dict[str, Any]]
) -> int:
    """The final Parquet: the staging file without hidden columns and blank rows."""
    names = ", ".join(ident(f["name"]) for f in fields)
    query = (
        f"SELECT {names} FROM read_parquet({literal(str(staging))}) "  # noqa: S608
        f"WHERE {hidden('blank')} IS NULL"
    )
    written = con.execute(copy_to_parquet(query, partial)).fetchone()
    return int(written[0]) if written else 0


def _collect_errors(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    staging: Path,
    fields: list[dict[str, Any]],
    padded: bool,
    report: Report,
) -> bool:
    """Count the errors and warnings and name the first ones; False if lines cannot be matched."""
    bad, broken = cell_errors(fields)
    nans = nan_cells(fields)
    not_blank = f"{hidden('blank')} IS NULL"
    # (hidden column, counted only on non-blank rows, is an error)
    kinds = [(f"e{i}", True, True) for i in bad] + ([("w", True, True)] if padded else [])
    kinds += [("t", True, True)] + [(f"n{i}", True, False) for i in nans]
    kinds += [("blank", False, False)]
    source = f"read_parquet({literal(str(staging))}, file_row_number = true)"
    counts = con.execute(
        "SELECT "  # noqa: S608
        + ", ".join(
            f"count({hidden(n)})" + (f" FILTER (WHERE {not_blank})" if rows else "")
            for n, rows, _ in kinds
        )
        + f" FROM {source}"
    ).fetchone()
    assert counts is not None
    totals = dict(zip([k[0] for k in kinds], counts, strict=True))
    errors = sum(totals[n] for n, _, is_error in kinds if is_error)
    warnings = sum(totals[n] for n, _, is_error in kinds if not is_error)
    if not errors and not warnings:
        return True
    names = [n for n, _, _ in kinds]
    any_event = " OR ".join(f"{hidden(n)} IS NOT NULL" for n in names)
    wanted = names + [f"k{i}" for i in broken]
    rows = con.execute(
        f"SELECT file_row_number, {', '.join(hidden(n) for n in wanted)} FROM {source} "  # noqa: S608
        f"WHERE {any_event} ORDER BY file_row_number LIMIT {2 * infer.MAX_ERRORS}"
    ).fetchall()
    records = [row[0] for row in rows]
    for mapper in (_quick_lines_of, _lines_of):  # the quick one is checked like the slow one
        lines = mapper(table, records)
        issues = _issues(rows, wanted, lines, fields, bad, nans) if lines is not None else None
        if issues is not None:
            for line, column, message, is_error in issues:
                (report.error if is_error else report.warn)(line, column, message)
            report.error_count = len(table.header.issues) + errors
            report.warning_count = warnings
            report.totals_rows = totals["t"]
            return True
    return False


Lines = dict[int, tuple[int, list[str]]]
Entry = tuple[int, str | None, str, bool]  # line, column, message, is an error


def _issues(
    rows: list[Any],
    wanted: list[str],
    lines: Lines,
    fields: list[dict[str, Any]],
    bad: dict[int, str],
    nans: dict[int, str],
) -> list[Entry] | None:
    """The report entries of the rows, in the Python validator's order; None if a cell
    differs from Python's reading."""
    width = len(fields)
    issues: list[Entry] = []
    for row in rows:
        record, values = row[0], dict(zip(wanted, row[1:], strict=True))
        if record not in lines:
            return None
        line, cells = lines[record]
        if values["blank"]:
            issues.append((line, None, infer.BLANK_ROW, False))
            continue
        if values["t"] is not None:
            issues.append((line, None, infer.totals_message(values["t"]), True))
        found = values.get("w")
        if found is not None:
            issues.append((line, None, infer.width_message(width, found), True))
        for i, spec in enumerate(fields):
            text = values.get(f"e{i}")
            nan = values.get(f"n{i}")
            if text is None and nan is None:
                continue
            if (cells[i].strip() if i < len(cells) else "") != (text if nan is None else nan):
                return None  # DuckDB and Python disagree on this record
            if nan is not None:
                issues.append((line, spec["name"], infer.nan_message(nan), False))
            if text is None:
                continue
            key = values.get(f"k{i}")
            if key:
                checks = constraints.active(spec)
                message = constraints.message(key, checks, infer.shown(text))
            else:
                message = infer.value_message(spec, text)
            issues.append((line, spec["name"], message, True))
    return issues


def _quick_lines_of(table: Table, records: list[int]) -> Lines | None:
    """Like ``_lines_of``, but finds record starts by quote parity on raw lines (fast).

    Only the wanted records are parsed. A stray quote inside an unquoted field
    breaks the parity: the cells then differ and the caller uses ``_lines_of``.
    """
    assert table.dialect is not None
    encoding = table.dialect.encoding
    if encoding == "utf-16":
        return None
    wanted, last = set(records), max(records)
    first = next(table.records(), None)
    if first is None:
        return None
    found: Lines = {}
    index, inside, collecting = -1, False, False
    start, parts = 0, list[bytes]()
    with table.path.open("rb") as raw:
        for number, line in enumerate(raw, start=1):
            if number < first[0]:
                continue
            if not inside:
                if not line.strip(b"\r\n"):
                    continue  # empty lines are not records (DuckDB skips them too)
                index += 1
                start, collecting, parts = number, index in wanted, []
            if collecting:
                parts.append(line)
            if line.count(b'"') % 2:
                inside = not inside
            if not inside and collecting:
                text = b"".join(parts).decode(encoding, errors="replace").removeprefix("\ufeff")
                cells = next(
                    csv.reader(io.StringIO(text, newline=""), delimiter=table.dialect.delimiter), []
                )
                found[index] = (start, cells)
                collecting = False
            if index >= last and not inside:
                break
    return found if len(found) == len(wanted) else None


def _lines_of(table: Table, records: list[int]) -> Lines | None:
    """Physical line and cells of the given DuckDB record numbers (empty lines skipped)."""
    wanted = set(records)
    last = max(records)
    found: Lines = {}
    index = -1
    try:
        for line, cells in table.records():
            if not cells:
                continue
            index += 1
            if index in wanted:
                found[index] = (line, cells)
            if index >= last:
                break
    except TabularError:
        return None
    return found if len(found) == len(wanted) else None
