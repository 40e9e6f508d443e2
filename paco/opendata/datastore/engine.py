"""DuckDB over the published Parquet files: connections, columns, quoting and values.

One DuckDB connection per thread (web threads, the worker) is reused for every
query of the data API; it only ever runs SQL that this package builds, with
column names validated against the file and values bound as parameters. The
user-written SQL of ``datastore_search_sql`` never runs here: see
:mod:`paco.opendata.datastore.sandbox`.

Every table exposes a stable row key, ``_id`` (1-based ordinal of the row in
the Parquet file, as CKAN's ``_id``): DuckDB's ``file_row_number`` plus one.
Versions are immutable, so the key never changes for a given version.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import hashlib
import math
import tempfile
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module
from paco.opendata import storage
from paco.opendata.tabular import sqltext

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

if TYPE_CHECKING:
    from paco.opendata.models import Resource, ResourceVersion

ROW_KEY = "_id"
#: DuckDB's 0-based row ordinal in the Parquet file (``_id`` minus one)
FILE_ROW = "file_row_number"
#: how much memory one thread's DuckDB may use before spilling / failing
MEMORY_LIMIT = "512MB"
#: the same for exports: DuckDB then holds back instead of buffering rows a slow client
#: has not read yet (measured on a 1M-row table: 137 MB peak for a client reading at
#: 50 MB/s, against 220 MB with one thread and 512 MB; 0.56 s for a fast client, not 0.9 s)
EXPORT_MEMORY_LIMIT = "128MB"

#: column types of the precomputed orders (:mod:`.artifacts`)
ORDERED_TYPES = ("int", "numeric", "date", "timestamp")
#: column types whose JSON text (DuckDB's) reads back as the value the API writes
ROW_STORE_TYPES = frozenset(
    {
        "BIGINT",
        "INTEGER",
        "SMALLINT",
        "TINYINT",
        "HUGEINT",
        "UBIGINT",
        "UINTEGER",
        "USMALLINT",
        "UTINYINT",
        "DOUBLE",
        "DATE",
        "BOOLEAN",
        "VARCHAR",
    }
)
#: attached version files per connection, at most
MAX_ATTACHED = 32

_local = threading.local()


class QueryError(Exception):
    """A request the data API cannot answer; ``message`` is pt-BR, for the caller."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def connection(purpose: str = "query") -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB connection (in memory; reads Parquet files by path).

    Both use every core. ``"export"`` has a small memory limit: while the client
    reads slowly, DuckDB waits instead of buffering the rows it keeps in order,
    so a streamed export needs little memory.
    """
    attr = f"con_{purpose}"
    con: duckdb.DuckDBPyConnection | None = getattr(_local, attr, None)
    if con is None:
        spill = Path(tempfile.gettempdir()) / "paco-duckdb"
        spill.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(":memory:")
        limit = EXPORT_MEMORY_LIMIT if purpose == "export" else MEMORY_LIMIT
        con.execute(f"SET memory_limit = '{limit}'")
        con.execute(f"SET temp_directory = {quote_literal(str(spill))}")
        con.execute("SET parquet_metadata_cache = true")
        con.execute("SET autoinstall_known_extensions = false")
        setattr(_local, attr, con)
    return con


# the one quoting of SQL names and strings, shared with the tabular library
quote_ident = sqltext.ident
quote_literal = sqltext.literal


def ckan_type(duck_type: str) -> str:
    """CKAN DataStore type name for a DuckDB column type."""
    t = duck_type.upper()
    if t in {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"}:
        return "int"
    if t in {"DOUBLE", "FLOAT", "REAL"} or t.startswith("DECIMAL"):
        return "numeric"
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    if t == "BOOLEAN":
        return "bool"
    return "text"


@dataclass(frozen=True)
class Column:
    name: str
    duck_type: str

    @property
    def type(self) -> str:
        return ckan_type(self.duck_type)

    @property
    def sql(self) -> str:
        return quote_ident(self.name)


@dataclass(frozen=True)
class Table:
    """One Parquet file seen as a table: its SQL source and its columns.

    With ``folder`` (the version's built artifacts, :mod:`.artifacts`), the same
    table is read from the DuckDB file there (attached read-only as ``alias``) and
    its pages' rows from the row store, which give the very same rows faster.
    """

    path: str
    columns: tuple[Column, ...]
    has_row_key: bool  # False when the data itself has a column named ``_id``
    folder: str = ""
    #: the columns every precomputed order carries (filters on them read the order)
    ordered_with: tuple[str, ...] = ()

    @property
    def alias(self) -> str:
        return "pv_" + hashlib.sha256(self.folder.encode()).hexdigest()[:20]

    @property
    def scan(self) -> str:
        """The rows with DuckDB's ``file_row_number`` (0-based) next to the columns."""
        if self.folder:
            return f"{self.alias}.t"
        return f"read_parquet({quote_literal(self.path)}, file_row_number = true)"

    def order_table(self, column: Column, desc: bool) -> str | None:
        """The precomputed order of ``column`` (:mod:`.artifacts`), when there is one."""
        if not self.folder or column.type not in ORDERED_TYPES or column not in self.columns:
            return None
        return f"{self.alias}.o_{self.columns.index(column)}_{'d' if desc else 'a'}"

    @property
    def row_store_types_ok(self) -> bool:
        return all(c.duck_type.upper() in ROW_STORE_TYPES for c in self.columns)

    @property
    def source(self) -> str:
        """A FROM item exposing the columns plus the ``_id`` row key."""
        if not self.has_row_key or self.folder:  # the DuckDB file holds ``_id`` as a column
            return f"(SELECT * EXCLUDE ({FILE_ROW}) FROM {self.scan})"  # noqa: S608
        return f"(SELECT * EXCLUDE ({FILE_ROW}), {FILE_ROW} + 1 AS {ROW_KEY} FROM {self.scan})"  # noqa: S608

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        if name == ROW_KEY and self.has_row_key:
            return Column(ROW_KEY, "BIGINT")
        raise QueryError(f"A coluna “{name}” não existe nesta tabela.", field=name)

    @property
    def text_columns(self) -> list[Column]:
        return [c for c in self.columns if c.type == "text"]


_tables: OrderedDict[str, Table] = OrderedDict()
_tables_lock = threading.Lock()


def current_version(resource: Resource) -> ResourceVersion | None:
    """The resource's current version, linked back to ``resource``.

    ``select_related("current_version")`` does not fill ``version.resource``, and
    the field specs read the resource's data dictionary through it: without the
    link every API request pays one more query for a resource already in hand.
    """
    version = resource.current_version
    if version is not None:
        version.resource = resource
    return version


def table_for(version: ResourceVersion) -> Table:
    """The table of a version (columns read from the Parquet footer once, then cached).

    Once the version's artifacts are built (:mod:`.artifacts`), the table reads them.
    """
    if not version.parquet:
        raise QueryError("Este recurso não tem dados tabulares consultáveis.")
    from paco.opendata.datastore import artifacts  # it builds on this module

    path = str(storage.local_path(version.parquet))
    table = table_at(path)
    folder = artifacts.ready(version)
    if folder is not None:
        carried = artifacts.filter_columns_of(folder)
        table = dataclasses.replace(table, folder=str(folder), ordered_with=carried)
    return table


def connection_for(table: Table, purpose: str = "query") -> duckdb.DuckDBPyConnection:
    """This thread's connection, with the table's DuckDB file attached when it has one."""
    con = connection(purpose)
    if not table.folder:
        return con
    attached: OrderedDict[str, str] = getattr(_local, f"attached_{purpose}", None) or OrderedDict()
    setattr(_local, f"attached_{purpose}", attached)
    if table.alias in attached:
        attached.move_to_end(table.alias)
        return con
    file = str(Path(table.folder) / "table.duckdb")
    try:
        con.execute(f"ATTACH {quote_literal(file)} AS {table.alias} (READ_ONLY)")
    except duckdb.Error as exc:
        raise QueryError("Os dados desta versão não estão disponíveis; tente novamente.") from exc
    attached[table.alias] = file
    while len(attached) > MAX_ATTACHED:
        old, _ = attached.popitem(last=False)
        con.execute(f"DETACH {old}")
    return con


def table_at(path: str) -> Table:
    with _tables_lock:
        cached = _tables.get(path)
        if cached is not None:
            _tables.move_to_end(path)
            return cached
    rows = connection().execute(f"DESCRIBE SELECT * FROM read_parquet({quote_literal(path)})")  # noqa: S608
    columns = tuple(Column(str(r[0]), str(r[1])) for r in rows.fetchall())
    if any(c.name == FILE_ROW for c in columns):
        raise QueryError("A tabela tem uma coluna reservada (file_row_number).")
    table = Table(path, columns, has_row_key=all(c.name != ROW_KEY for c in columns))
    with _tables_lock:
        _tables[path] = table
        while len(_tables) > 512:
            _tables.popitem(last=False)
    return table


# --- values -------------------------------------------------------------------
#: the one yes/no vocabulary of the data API: boolean cells, filters and query parameters
TRUE_WORDS = frozenset({"true", "1", "yes", "on", "sim", "s", "t"})
FALSE_WORDS = frozenset({"false", "0", "no", "off", "não", "nao", "n", "f"})


def parse_bool(value: Any) -> bool | None:
    """``value`` as a boolean (pt-BR or English words, any case); None when it is neither."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    return None


def coerce(column: Column, value: Any) -> Any:
    """A filter value as the Python value DuckDB compares with the column."""
    if value is None:
        return None
    kind = column.type
    try:
        if kind == "int":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError
                return int(value)
            return int(str(value).strip())
        if kind == "numeric":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, int | float):
                return float(value)
            text = str(value).strip()
            if "," in text and "." not in text:
                text = text.replace(",", ".")
            number = float(text)
            if math.isnan(number) or math.isinf(number):
                raise ValueError
            return number
        if kind == "date":
            text = str(value).strip()
            if len(text) == 10 and text[2] == "/" and text[5] == "/":
                return datetime.datetime.strptime(text, "%d/%m/%Y").date()
            return datetime.date.fromisoformat(text[:10])
        if kind == "timestamp":
            return datetime.datetime.fromisoformat(str(value).strip())
        if kind == "bool":
            flag = parse_bool(value)
            if flag is None:
                raise ValueError
            return flag
    except (ValueError, TypeError):
        raise QueryError(
            f"Valor inválido para a coluna “{column.name}” ({kind}): {str(value)[:80]!r}.",
            field=column.name,
        ) from None
    if isinstance(value, dict | list):
        raise QueryError(f"Valor inválido para a coluna “{column.name}”.", field=column.name)
    return str(value)


def json_value(value: Any) -> Any:
    """A DuckDB result value as JSON: ISO dates, no NaN/Infinity."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def fold(text: str) -> str:
    """Lower case without accents, as DuckDB's ``strip_accents(lower(x))``."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
