"""Files built once per published version, then served and queried instead of the Parquet file.

Versions never change, so after publication the worker writes, in one directory
per version (``PACO_DATA_DIR/cache/opendata-artifacts/<resource>-v<N>-<hash>/``):

* ``export.csv`` and ``export.json``: the whole-table downloads, byte for byte what
  the streamed export writes (same query, same DuckDB ``COPY``), served as files
  (``sendfile``, ``Range``, ``Content-Length``) by :mod:`.views`;
* ``table.duckdb``: the table in DuckDB's own format (the columns,
  ``file_row_number`` and ``_id`` stored), which filters and sorts several times
  faster than the Parquet file, plus one table per sortable typed column and direction holding
  the row numbers in that order (``o_<i>_a`` / ``o_<i>_d``): an unfiltered page
  sorted by one column at any depth reads 100 integers instead of sorting the table;
* ``rows.idx``: where each row's line starts in ``export.json`` (8 bytes a row), so
  a page's rows are read by row number (a few ``pread``), not decompressed from
  the columns they live in.

The directory is built under a temporary name and renamed when complete: it is
there whole or not at all (``READY`` inside marks it). Everything falls back on
the Parquet file when it is missing. :func:`remove` deletes it when the version is
withdrawn from the public (dataset back to draft, a version no longer public,
a version deleted).
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import shutil
import struct
import tempfile
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from paco.core.lazy import lazy_module
from paco.opendata import storage
from paco.opendata.datastore.engine import (
    FILE_ROW,
    ORDERED_TYPES,
    ROW_KEY,
    Table,
    quote_literal,
    table_at,
)

if TYPE_CHECKING:
    import duckdb

    from paco.opendata.models import ResourceVersion
else:
    duckdb = lazy_module("duckdb")

logger = logging.getLogger(__name__)

READY = "READY"
TABLE = "table.duckdb"
ROWS = "rows.idx"
EXPORTS = ("csv", "json")
#: DuckDB memory while building (the worker shares the machine with the web processes)
BUILD_MEMORY = "256MB"
_OFFSET = struct.Struct("<Q")


def root() -> Path:
    return Path(settings.DATA_DIR) / "cache" / "opendata-artifacts"


def _prefix(version: ResourceVersion) -> str:
    return f"{version.resource_id}-v{version.number}-"


def directory(version: ResourceVersion) -> Path:
    """This version's directory (named after its Parquet file: a replaced file never matches)."""
    digest = hashlib.sha256(version.parquet.encode()).hexdigest()[:16]
    return root() / f"{_prefix(version)}{digest}"


def ready(version: ResourceVersion) -> Path | None:
    """The version's complete artifact directory, or None."""
    if not version.parquet:
        return None
    folder = directory(version)
    return folder if (folder / READY).exists() else None


def filter_columns_of(folder: Path) -> tuple[str, ...]:
    """The columns the order tables of a built directory carry (from its ``READY``)."""
    key = str(folder)
    cached = _carried.get(key)
    if cached is None:
        try:
            cached = tuple(json.loads((folder / READY).read_text()).get("filter_columns") or ())
        except (OSError, ValueError):
            cached = ()
        _carried[key] = cached
    return cached


_carried: dict[str, tuple[str, ...]] = {}


def export_file(version: ResourceVersion, extension: str) -> Path | None:
    """The built whole-table export (``csv`` | ``json``), or None when not built."""
    folder = ready(version)
    return folder / f"export.{extension}" if folder is not None else None


def remove(version: ResourceVersion) -> None:
    """Delete every artifact of the version (any Parquet file it ever had)."""
    base = root()
    if not base.is_dir():
        return
    prefix = _prefix(version)
    for entry in base.iterdir():
        if entry.name.startswith(prefix):
            shutil.rmtree(entry, ignore_errors=True)
    forget(prefix)


def build(version: ResourceVersion) -> Path:
    """Build the version's artifacts (nothing when already there); their directory."""
    done = ready(version)
    if done is not None:
        return done
    target = directory(version)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".build-{target.name}-"))
    try:
        table = table_at(str(storage.local_path(version.parquet)))
        started = time.monotonic()
        rows, carried = _build_engine(table, work / TABLE)
        engine_s = time.monotonic() - started
        _build_exports(table, work)
        exports_s = time.monotonic() - started - engine_s
        _build_row_index(work / "export.json", work / ROWS, rows)
        index_s = time.monotonic() - started - engine_s - exports_s
        seconds = {"engine": engine_s, "exports": exports_s, "row_index": index_s}
        (work / READY).write_text(
            json.dumps(
                {
                    "rows": rows,
                    "filter_columns": carried,
                    "seconds": {k: round(v, 2) for k, v in seconds.items()},
                }
            )
        )
        try:
            os.rename(work, target)
        except OSError:  # built meanwhile by another process: keep theirs
            if ready(version) is None:
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    spill = Path(tempfile.gettempdir()) / "paco-duckdb"
    spill.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET memory_limit = '{BUILD_MEMORY}'")
    con.execute(f"SET temp_directory = {quote_literal(str(spill))}")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET preserve_insertion_order = true")
    return con


def _build_engine(table: Table, target: Path) -> tuple[int, list[str]]:
    """The table and its orders in a DuckDB file; the number of rows and the columns the
    orders carry (see :func:`filter_columns`)."""
    con = _connect(target)
    try:
        key = f", {FILE_ROW} + 1 AS {ROW_KEY}" if table.has_row_key else ""
        # in the file's order: the scan keeps it (preserve_insertion_order), no sort needed
        con.execute(f"CREATE TABLE t AS SELECT *{key} FROM {table.scan}")  # noqa: S608
        found = con.execute("SELECT count(*) FROM t").fetchone()
        rows = int(found[0]) if found else 0
        carried = filter_columns(con, table)
        extra = "".join(f", {table.column(name).sql}" for name in carried)
        for index, column in enumerate(table.columns):
            if column.type not in ORDERED_TYPES:
                continue
            for desc in (False, True):
                direction = "DESC" if desc else "ASC"
                con.execute(
                    f"CREATE TABLE {order_table(index, desc)} AS "  # noqa: S608
                    f"SELECT {FILE_ROW} AS k{extra} FROM t "
                    f"ORDER BY {column.sql} {direction} NULLS LAST, {FILE_ROW} ASC"
                )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return rows, carried


#: columns with at most this many distinct values ride along in every order table
FILTER_DISTINCT = 256
#: and at most this many of them (the fewest distinct values first)
FILTER_COLUMNS = 8


def filter_columns(con: duckdb.DuckDBPyConnection, table: Table) -> list[str]:
    """The columns people filter on by equality (few distinct values): carried, in sort order,
    by every order table, so a filtered sorted page reads the order and stops after its
    rows instead of sorting every match."""
    if not table.columns:
        return []
    counts = ", ".join(f"approx_count_distinct({c.sql})" for c in table.columns)
    found = con.execute(f"SELECT {counts} FROM t").fetchone() or ()  # noqa: S608
    few = [
        (int(n), c.name)
        for c, n in zip(table.columns, found, strict=True)
        if n is not None and int(n) <= FILTER_DISTINCT
    ]
    return [name for _, name in sorted(few)[:FILTER_COLUMNS]]


def order_table(index: int, desc: bool) -> str:
    return f"o_{index}_{'d' if desc else 'a'}"


def _build_exports(table: Table, work: Path) -> None:
    # the streamed export's own query and COPY options (imported here: exports imports us)
    from django.http import QueryDict

    from paco.opendata.datastore import exports
    from paco.opendata.datastore.params import table_query
    from paco.opendata.datastore.query import compile_query

    compiled = compile_query(table, table_query(QueryDict(), limit=None, include_total=False))
    con = _connect(":memory:")
    con.execute("SET threads = 2")
    try:
        for extension in EXPORTS:
            fmt = exports.FORMATS[extension]
            sql = exports.export_sql(compiled, fmt)
            exports.copy_to(con, sql, [], str(work / f"export.{extension}"), fmt)
    finally:
        con.close()


def _build_row_index(source: Path, target: Path, rows: int) -> None:
    """Offsets of each row's line in DuckDB's JSON array file (``[``, a row a line, ``]``)."""
    offsets = bytearray()
    count = 0
    with open(source, "rb") as fh, open(target, "wb") as out:
        position = 0
        pending = b""
        first = True
        while chunk := fh.read(8 * 1024 * 1024):
            data = pending + chunk
            start = 0
            base = position - len(pending)
            while (end := data.find(b"\n", start)) != -1:
                if first:
                    first = False  # the "[" line
                else:
                    offsets += _OFFSET.pack(base + start)
                    count += 1
                start = end + 1
            pending = data[start:]
            position += len(chunk)
            if len(offsets) >= 1 << 20:
                out.write(offsets)
                offsets.clear()
        out.write(offsets)
    # the last line is "]": one offset per row plus the end of the last row's line
    if count != rows + 1:
        raise RuntimeError(f"índice de linhas: {count - 1} linhas, esperadas {rows}")


# --- reading ----------------------------------------------------------------------
class RowStore:
    """The rows of ``export.json`` by 0-based row number (the index maps them)."""

    def __init__(self, folder: Path) -> None:
        self.data = open(folder / "export.json", "rb")  # noqa: SIM115 — held while cached
        with open(folder / ROWS, "rb") as fh:
            self.index = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        self.rows = len(self.index) // _OFFSET.size - 1

    def fetch(self, keys: list[int]) -> list[dict[str, Any]]:
        """The rows ``keys`` (0-based), as JSON objects of every column, in that order."""
        out = []
        fd = self.data.fileno()
        for key in keys:
            if not 0 <= key < self.rows:
                raise IndexError(key)
            start, end = struct.unpack_from("<QQ", self.index, key * _OFFSET.size)
            line = os.pread(fd, end - start, start).strip().rstrip(b",")
            out.append(json.loads(line))
        return out

    def close(self) -> None:
        self.index.close()
        self.data.close()


_stores: OrderedDict[str, RowStore] = OrderedDict()
_stores_lock = threading.Lock()


def row_store(folder: Path) -> RowStore:
    """The (cached, per process) row store of an artifact directory."""
    key = str(folder)
    with _stores_lock:
        store = _stores.get(key)
        if store is not None:
            _stores.move_to_end(key)
            return store
    store = RowStore(folder)
    with _stores_lock:
        _stores[key] = store
        while len(_stores) > 64:
            _stores.popitem(last=False)[1].close()
    return store


def forget(prefix: str) -> None:
    """Close this process's open handles on a removed version's files."""
    with _stores_lock:
        for key in [k for k in _stores if Path(k).name.startswith(prefix)]:
            _stores.pop(key).close()
