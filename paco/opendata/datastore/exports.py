"""Streamed exports of a table (or a filtered subset): CSV, TSV, JSON, NDJSON, Parquet.

DuckDB writes the file itself (``COPY … TO``) — at its native speed — into the
write end of an OS pipe (``/dev/fd/N``) from a background thread, while the
response generator reads the other end in 256 KB chunks. Memory stays bounded
by the pipe and DuckDB's buffers, never by the table. If the client goes away,
the generator closes the read end; DuckDB's next write fails (EPIPE) and the
thread ends. Where ``/dev/fd`` is missing, DuckDB writes a temporary file that
is streamed and deleted.

A Parquet subset is written to a temporary file (Parquet needs its footer) and
streamed; the whole table is the stored Parquet file, streamed as is.

CSV/TSV are meant for spreadsheets: text cells starting with ``=``, ``+``,
``-``, ``@``, TAB or CR get a leading ``'`` so they are not run as formulas.
Numbers (typed columns) are never touched, so ``-12.5`` stays a number.

CKAN's JSON and XML dumps are written the same way: DuckDB renders one line of
text per row (a JSON array, an XML ``<row>`` element), streamed through the pipe.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.storage import default_storage
from django.http import QueryDict

from paco.core import csvsafe
from paco.core.lazy import lazy_module
from paco.opendata.datastore import artifacts
from paco.opendata.datastore.engine import (
    ROW_KEY,
    Column,
    QueryError,
    Table,
    connection_for,
    quote_literal,
    table_for,
)
from paco.opendata.datastore.params import table_query
from paco.opendata.datastore.query import Compiled, compile_query

if TYPE_CHECKING:
    import duckdb

    from paco.opendata.models import ResourceVersion
else:
    duckdb = lazy_module("duckdb")

logger = logging.getLogger(__name__)

CHUNK = 256 * 1024
BOM = "\ufeff".encode()


@dataclass(frozen=True)
class Format:
    extension: str
    content_type: str
    copy_options: str  # DuckDB COPY options; "" for Parquet
    spreadsheet: bool = False
    excel: bool = False  # the Excel dialect (csvsafe): BOM, ";", decimal comma


FORMATS: dict[str, Format] = {
    "csv": Format("csv", "text/csv; charset=utf-8", "FORMAT csv, HEADER true", True),
    "tsv": Format(
        "tsv",
        "text/tab-separated-values; charset=utf-8",
        "FORMAT csv, HEADER true, DELIMITER '\t'",
        True,
    ),
    "json": Format("json", "application/json; charset=utf-8", "FORMAT json, ARRAY true"),
    "ndjson": Format("ndjson", "application/x-ndjson; charset=utf-8", "FORMAT json"),
    "parquet": Format("parquet", "application/vnd.apache.parquet", "FORMAT parquet"),
}
#: "CSV para Excel" (``?excel=1`` on a CSV download; :mod:`paco.core.csvsafe`)
EXCEL_CSV = Format("csv", "text/csv; charset=utf-8", csvsafe.EXCEL_COPY_OPTIONS, True, True)
#: one JSON array per line (JSON escapes control characters, so the unit separator never
#: occurs inside a line); used for CKAN's JSON dump ``{"fields": [...], "records": [[...]]}``
JSON_LINES = Format(
    "json",
    "application/json; charset=utf-8",
    "FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x1f'",
)

#: one XML ``<row>`` element per line (CR and LF inside values become character
#: references, so a line never breaks inside a row)
XML_LINES = Format("xml", "text/xml; charset=utf-8", JSON_LINES.copy_options)
XML_HEAD = b'<data xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
XML_TAIL = b"</data>\n"


def neutralized(column: Column, *, excel: bool = False) -> str:
    """The SELECT expression of a column for a spreadsheet file (:mod:`paco.core.csvsafe`)."""
    if excel and column.type == "numeric":
        return csvsafe.sql_decimal_comma(column.sql, column.sql)
    if column.type != "text":
        return column.sql
    return csvsafe.sql_neutralized(column.sql, column.sql)


def export_sql(compiled: Compiled, fmt: Format) -> str:
    if fmt.spreadsheet:
        return compiled.select_sql([neutralized(c, excel=fmt.excel) for c in compiled.columns])
    return compiled.select_sql()


def stream(compiled: Compiled, fmt: Format, *, bom: bool = False) -> Iterator[bytes]:
    """The rows of ``compiled`` as a file of format ``fmt``, in chunks."""
    sql = export_sql(compiled, fmt)
    if fmt is JSON_LINES:
        arrays = ", ".join(c.sql for c in compiled.columns)
        sql = f"SELECT CAST(json_array({arrays}) AS VARCHAR) FROM ({sql}) AS e"  # noqa: S608
    elif fmt is XML_LINES:
        sql = f"SELECT {xml_row(compiled.columns)} FROM ({sql}) AS e"  # noqa: S608
    if fmt.excel or (bom and (fmt.spreadsheet or fmt is XML_LINES)):
        yield BOM
    if fmt.extension == "parquet" or not Path("/dev/fd").is_dir():
        yield from _via_temp_file(compiled.table, sql, compiled.params, fmt)
    else:
        yield from _via_pipe(compiled.table, sql, compiled.params, fmt)


def copy_to(
    cursor: duckdb.DuckDBPyConnection, sql: str, params: list[object], target: str, fmt: Format
) -> None:
    options = fmt.copy_options + ("" if fmt.extension == "parquet" else ", USE_TMP_FILE false")
    cursor.execute(f"COPY ({sql}) TO {quote_literal(target)} ({options})", params)


def _via_pipe(table: Table, sql: str, params: list[object], fmt: Format) -> Iterator[bytes]:
    read_fd, write_fd = os.pipe()
    cursor = connection_for(table, "export").cursor()
    failure: list[BaseException] = []

    def writer() -> None:
        try:
            copy_to(cursor, sql, params, f"/dev/fd/{write_fd}", fmt)
        except BaseException as exc:
            failure.append(exc)
        finally:
            os.close(write_fd)

    thread = threading.Thread(target=writer, name="paco-export", daemon=True)
    thread.start()
    reader = os.fdopen(read_fd, "rb", buffering=0)
    try:
        while chunk := reader.read(CHUNK):
            yield chunk
        thread.join()
        if failure:
            raise _export_error(failure[0])
    finally:
        reader.close()  # an early close (client gone) makes DuckDB's next write fail
        thread.join(timeout=30)
        cursor.close()


def _via_temp_file(table: Table, sql: str, params: list[object], fmt: Format) -> Iterator[bytes]:
    cursor = connection_for(table, "export").cursor()
    with tempfile.TemporaryDirectory(prefix="paco-export-") as tmp:
        target = str(Path(tmp) / f"data.{fmt.extension}")
        try:
            copy_to(cursor, sql, params, target, fmt)
        except duckdb.Error as exc:
            raise _export_error(exc) from exc
        finally:
            cursor.close()
        with open(target, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk


def ckan_json_dump(compiled: Compiled, fields: list[dict[str, object]]) -> Iterator[bytes]:
    """CKAN's JSON dump: ``{"fields": [...], "records": [[...], ...]}``, streamed."""
    yield b'{"fields": ' + json.dumps(fields, ensure_ascii=False).encode() + b', "records": [\n'
    pending = b""
    for chunk in stream(compiled, JSON_LINES):
        if pending:
            yield pending.replace(b"\n", b",\n")
        pending = chunk
    # the last line ends the array: no comma after it
    yield pending[:-1].replace(b"\n", b",\n") + pending[-1:] if pending else b""
    yield b"]}\n"


# --- CKAN's XML dump -------------------------------------------------------------
#: characters XML 1.0 cannot carry (C0 controls but TAB, LF, CR; U+FFFE, U+FFFF): dropped
_NOT_XML = r"[\x{00}-\x{08}\x{0B}\x{0C}\x{0E}-\x{1F}\x{FFFE}\x{FFFF}]"


def _name_char(ch: str) -> str:
    if ch.isascii():
        return ch if ch.isalnum() or ch in "_.-" else "_"
    return ch if ord(ch) >= 0xC0 and ch not in "\u00d7\u00f7" and ch.isalnum() else "_"


def xml_names(names: list[str]) -> list[str]:
    """Valid, distinct XML element names for column names (CKAN writes them as they are).

    Compatibility characters take their plain form (``Nº`` → ``No``, ``m²`` → ``m2``);
    characters a name cannot hold become ``_``; a name that cannot start as it
    does (a digit, ``.``, ``-``, ``xml``…) gets a leading ``_``; repeats get ``_2``,
    ``_3``… The result holds only letters, digits and ``_.-``: safe inside SQL quotes.
    """
    out: list[str] = []
    for name in names:
        element = "".join(_name_char(ch) for ch in unicodedata.normalize("NFKC", name)) or "_"
        if not (element[0] == "_" or element[0].isalpha()) or element[:3].lower() == "xml":
            element = "_" + element
        unique, n = element, 1
        while unique in out:
            n += 1
            unique = f"{element}_{n}"
        out.append(unique)
    return out


def _xml_escaped(expr: str, *, attribute: bool = False) -> str:
    """SQL: the text ``expr`` as XML character data (or an attribute value) on one line."""
    text = f"regexp_replace({expr}, '{_NOT_XML}', '', 'g')"
    pairs = [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")]
    if attribute:
        pairs += [('"', "&quot;"), ("\t", "&#9;")]
    for raw, escaped in pairs:
        text = f"replace({text}, '{raw}', '{escaped}')"
    return f"replace(replace({text}, chr(13), '&#13;'), chr(10), '&#10;')"


def _xml_value(column: Column, *, attribute: bool = False) -> str:
    """SQL: the column's value as XML text (ISO dates and times, ``true``/``false``)."""
    if column.type in ("int", "numeric", "date", "bool"):
        return f"CAST({column.sql} AS VARCHAR)"
    if column.type == "timestamp":
        return f"replace(CAST({column.sql} AS VARCHAR), ' ', 'T')"
    return _xml_escaped(f"CAST({column.sql} AS VARCHAR)", attribute=attribute)


def xml_row(columns: list[Column]) -> str:
    """SQL: one row as CKAN's ``<row _id="…"><col>…</col><col2 xsi:nil="true" /></row>``.

    As in CKAN, a leading ``_id`` column is the ``_id`` attribute of ``<row>``;
    a missing value is ``xsi:nil``, an empty text an empty element.
    """
    parts = ["'<row>'"]
    if columns and columns[0].name == ROW_KEY:
        key = _xml_value(columns[0], attribute=True)
        parts = [f"""'<row {ROW_KEY}="' || coalesce({key}, '') || '">'"""]
        columns = columns[1:]
    for column, name in zip(columns, xml_names([c.name for c in columns]), strict=True):
        empty = (
            f"WHEN CAST({column.sql} AS VARCHAR) = '' THEN '<{name} />' "
            if column.type == "text"
            else ""
        )
        parts.append(
            f"CASE WHEN {column.sql} IS NULL THEN '<{name} xsi:nil=\"true\" />' {empty}"
            f"ELSE '<{name}>' || {_xml_value(column)} || '</{name}>' END"
        )
    parts.append("'</row>'")
    return " || ".join(parts)


def ckan_xml_dump(compiled: Compiled, *, bom: bool = False) -> Iterator[bytes]:
    """CKAN's XML dump: ``<data>`` then one ``<row>`` per line, streamed."""
    body = stream(compiled, XML_LINES, bom=bom)
    if bom:
        yield next(body)
    yield XML_HEAD
    yield from body
    yield XML_TAIL


def _export_error(exc: BaseException) -> QueryError:
    logger.warning("export failed: %s", exc)
    return QueryError("A exportação falhou; tente novamente ou filtre menos linhas.")


def stored_file(name: str) -> Iterator[bytes]:
    """A stored file (the whole table's Parquet, an original upload) in chunks."""
    with default_storage.open(name, "rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def csv_export_figures(version: ResourceVersion) -> tuple[str, int]:
    """SHA-256 and size of the version's whole-table CSV export, byte for byte as served.

    The same query and writer as the export view without filters
    (``/dados/recurso/<id>/dados.csv``), so the figures match the download.
    """
    digest, size = hashlib.sha256(), 0
    built = artifacts.export_file(version, "csv")
    if built is not None:  # the very file the download serves
        with open(built, "rb") as fh:
            while chunk := fh.read(1024 * 1024):
                digest.update(chunk)
                size += len(chunk)
        return digest.hexdigest(), size
    compiled = compile_query(
        table_for(version), table_query(QueryDict(), limit=None, include_total=False)
    )
    for chunk in stream(compiled, FORMATS["csv"]):  # to the end: it finishes
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
