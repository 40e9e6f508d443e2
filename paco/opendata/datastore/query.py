"""Querying one published table: the function behind the preview table, the APIs and exports.

>>> query_table(version, TableQuery(filters={"orgao": "Saúde"}, sort=[("valor", True)], limit=20))

Column names come from the caller (user data): they are checked against the
Parquet file's columns and double-quoted; every value is bound as a parameter.

A sorted page is late-materialized (see :meth:`Compiled.page_sql`): the rows are
filtered, sorted and paged reading only the filter and sort columns and the row
key, then only the page's rows are read in full. Reading every column of every
matching row just to sort them costs far more on wide tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module
from paco.core.sanitize import plain_tree
from paco.opendata.datastore import artifacts
from paco.opendata.datastore.engine import (
    FILE_ROW,
    ROW_KEY,
    Column,
    QueryError,
    Table,
    coerce,
    connection_for,
    fold,
    json_value,
    table_for,
)

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

if TYPE_CHECKING:
    from paco.opendata.models import ResourceVersion

__all__ = ["MAX_LIMIT", "QueryError", "TableQuery", "TableResult", "query_table"]

MAX_LIMIT = 32000
OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "contains")
_COMPARE = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


@dataclass
class TableQuery:
    #: column -> value (equality) or list of values (any of them); ``None`` matches missing cells
    filters: dict[str, Any] = field(default_factory=dict)
    #: full text: every word must appear in some text column (accent/case-insensitive);
    #: a dict ``{column: text}`` searches only those columns
    q: str | dict[str, str] = ""
    fields: list[str] | None = None
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (column, descending)
    limit: int | None = 100  # None: every row (exports only)
    offset: int = 0
    include_total: bool = True
    #: more conditions: (column, operator, value); operators in OPERATORS (``in``: a list)
    conditions: list[tuple[str, str, Any]] = field(default_factory=list)
    distinct: bool = False
    #: put the row key ``_id`` first in fields/records when ``fields`` is None (CKAN does)
    include_id: bool = False
    #: keyset pagination: the sort values of the last row seen, then its ``_id``
    after: list[Any] | None = None


@dataclass
class TableResult:
    #: CKAN style: {"id": name, "type": "text|numeric|int|date|timestamp|bool", "info": {...}}
    fields: list[dict[str, Any]]
    records: list[dict[str, Any]]  # JSON-ready values (dates ISO)
    total: int | None


@dataclass
class Compiled:
    """The pieces of one query over a table."""

    table: Table
    columns: list[Column]
    where: str
    params: list[Any]
    order: str
    distinct: bool = False
    #: a row window for exports (integers, so written into the SQL as such)
    limit: int | None = None
    offset: int = 0
    #: the requested sort; with ``keyed``, ``order`` is it followed by the row key
    sort: tuple[tuple[Column, bool], ...] = ()
    #: ``order`` is a total order ending with the row key ``_id``
    keyed: bool = False

    def select_sql(
        self, expressions: list[str] | None = None, *, distinct: bool | None = None
    ) -> str:
        exprs = expressions or [c.sql for c in self.columns]
        unique = self.distinct if distinct is None else distinct
        head = "SELECT DISTINCT" if unique else "SELECT"
        sql = f"{head} {', '.join(exprs)} FROM {self.table.source} AS t{self.where}{self.order}"
        if self.limit is not None:
            sql += f" LIMIT {int(self.limit)}"
        if self.offset:
            sql += f" OFFSET {int(self.offset)}"
        return sql

    def keys_sql(self) -> str:
        """The 0-based row numbers of a page (``LIMIT ? OFFSET ?``), in order (needs ``keyed``)."""
        return (
            f"SELECT {ROW_KEY} - 1 AS k FROM {self.table.source} AS t{self.where}{self.order} "  # noqa: S608
            "LIMIT ? OFFSET ?"
        )

    def page_sql(self) -> str:
        """``select_sql() + " LIMIT ? OFFSET ?"``, late-materialized (needs ``keyed``).

        The CTE filters, sorts and pages the row keys only, so DuckDB reads just
        the filter and sort columns; the outer query then reads the page's rows
        from the Parquet file by ``file_row_number`` (a join DuckDB turns into a
        filter on the scan) and sorts them again by the same total order, hence the
        very same rows in the very same order as the one-step query.
        """
        if not self.keyed or self.distinct:
            raise ValueError("late materialization needs a total order on the row key")

        def fetched(column: Column) -> str:
            return f"(t.{FILE_ROW} + 1)" if column.name == ROW_KEY else f"t.{column.sql}"

        select = ", ".join(f"{fetched(c)} AS {c.sql}" for c in self.columns)
        order = [f"{fetched(c)} {'DESC' if desc else 'ASC'} NULLS LAST" for c, desc in self.sort]
        order.append(f"t.{FILE_ROW} ASC")
        keys = self.keys_sql()
        return (
            f"WITH page AS ({keys}) SELECT {select} FROM {self.table.scan} AS t "  # noqa: S608
            f"JOIN page ON t.{FILE_ROW} = page.k ORDER BY {', '.join(order)}"
        )


def _condition(table: Table, name: str, op: str, value: Any, params: list[Any]) -> str:
    column = table.column(name)
    if op not in OPERATORS:
        raise QueryError(f"Operador desconhecido: “{op}”.")
    if op == "contains":
        params.append(fold(str(value)))
        return f"contains(strip_accents(lower(CAST({column.sql} AS VARCHAR))), ?)"
    if op == "in" or (op == "eq" and isinstance(value, list | tuple)):
        values = list(value) if isinstance(value, list | tuple) else [value]
        if not values:
            return "FALSE"
        if len(values) > 1000:
            raise QueryError("No máximo 1000 valores por filtro.")
        typed = [coerce(column, v) for v in values]
        present = [v for v in typed if v is not None]
        parts = []
        if present:
            params.extend(present)
            parts.append(f"{column.sql} IN ({', '.join('?' * len(present))})")
        if len(present) < len(typed):
            parts.append(f"{column.sql} IS NULL")
        return "(" + " OR ".join(parts) + ")"
    typed_value = coerce(column, value)
    if typed_value is None:
        if op == "eq":
            return f"{column.sql} IS NULL"
        if op == "ne":
            return f"{column.sql} IS NOT NULL"
        raise QueryError(f"Comparação com valor vazio na coluna “{name}”.")
    params.append(typed_value)
    return f"{column.sql} {_COMPARE[op]} ?"


def _full_text(table: Table, q: str | dict[str, str], params: list[Any]) -> list[str]:
    if isinstance(q, dict):
        parts = []
        for name, text in q.items():
            for word in fold(str(text)).split():
                parts.append(
                    f"contains(strip_accents(lower(CAST({table.column(name).sql} AS VARCHAR))), ?)"
                )
                params.append(word)
        return parts
    words = fold(q).split()
    if not words:
        return []
    text_cols = table.text_columns
    if not text_cols:
        return ["FALSE"]
    # one test per column (cheaper than folding a concatenation of every column)
    parts = []
    for word in words:
        tests = [f"contains(strip_accents(lower({c.sql})), ?)" for c in text_cols]
        params.extend([word] * len(text_cols))
        parts.append("(" + " OR ".join(tests) + ")")
    return parts


def _keyset(
    table: Table, sort: list[tuple[Column, bool]], after: list[Any], params: list[Any]
) -> str:
    """Rows after the cursor in ORDER BY sort…, _id (NULLS LAST in both directions)."""
    if not table.has_row_key:
        raise QueryError("Paginação por cursor indisponível nesta tabela.")
    if len(after) != len(sort) + 1:
        raise QueryError("Cursor de paginação inválido.")
    key = table.column(ROW_KEY)
    keys = [*sort, (key, False)]
    values = [coerce(col, v) for (col, _), v in zip(keys, after, strict=True)]
    branches: list[str] = []
    for i, ((col, desc), value) in enumerate(zip(keys, values, strict=True)):
        if value is None:
            continue  # nothing sorts after NULL within the same prefix
        prefix: list[str] = []
        prefix_params: list[Any] = []
        for (pcol, _), pvalue in zip(keys[:i], values[:i], strict=True):
            if pvalue is None:
                prefix.append(f"{pcol.sql} IS NULL")
            else:
                prefix.append(f"{pcol.sql} = ?")
                prefix_params.append(pvalue)
        op = "<" if desc else ">"
        after_expr = (
            f"({col.sql} {op} ? OR {col.sql} IS NULL)" if col is not key else f"{col.sql} > ?"
        )
        branches.append("(" + " AND ".join([*prefix, after_expr]) + ")")
        params.extend([*prefix_params, value])
    return "(" + " OR ".join(branches) + ")" if branches else "FALSE"


def compile_query(table: Table, query: TableQuery) -> Compiled:
    params: list[Any] = []
    clauses: list[str] = []
    for name, value in query.filters.items():
        clauses.append(_condition(table, str(name), "eq", value, params))
    for name, op, value in query.conditions:
        clauses.append(_condition(table, name, op, value, params))
    if query.q:
        clauses.extend(_full_text(table, query.q, params))
    sort = [(table.column(name), bool(desc)) for name, desc in query.sort]
    if query.after is not None:
        clauses.append(_keyset(table, sort, query.after, params))
    if query.fields:
        columns = [table.column(name) for name in dict.fromkeys(query.fields)]
    else:
        columns = list(table.columns)
        if query.include_id and table.has_row_key:
            columns.insert(0, table.column(ROW_KEY))
    order_parts = [f"{col.sql} {'DESC' if desc else 'ASC'} NULLS LAST" for col, desc in sort]
    keyed = table.has_row_key and not query.distinct and bool(sort or query.after is not None)
    if keyed:
        order_parts.append(f"{ROW_KEY} ASC")  # a total order: stable pages
    elif query.distinct and sort:
        selected = {c.name for c in columns}
        for col, _ in sort:
            if col.name not in selected:
                raise QueryError(
                    f"Com “distinct”, só se ordena por colunas selecionadas: {col.name}."
                )
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    order = " ORDER BY " + ", ".join(order_parts) if order_parts else ""
    return Compiled(
        table, columns, where, params, order, distinct=query.distinct, sort=tuple(sort), keyed=keyed
    )


def field_specs(version: ResourceVersion, columns: list[Column]) -> list[dict[str, Any]]:
    described = {f.get("name"): f for f in version.effective_schema().get("fields", [])}
    out = []
    for col in columns:
        spec: dict[str, Any] = {"id": col.name, "type": col.type}
        field_schema = described.get(col.name)
        if field_schema:
            info = {
                "label": field_schema.get("title") or "",
                "notes": field_schema.get("description") or "",
            }
            if field_schema.get("unit"):
                info["unit"] = field_schema["unit"]
            spec["info"] = plain_tree(info)  # staff text (the column ids are data, kept)
        out.append(spec)
    return out


def run(compiled: Compiled, query: TableQuery) -> tuple[list[tuple[Any, ...]], int | None]:
    """Rows (tuples, in ``compiled.columns`` order) and the total when asked for."""
    if query.limit is not None and not 0 <= query.limit <= MAX_LIMIT:
        raise QueryError(f"“limit” deve estar entre 0 e {MAX_LIMIT}.")
    if query.offset < 0:
        raise QueryError("“offset” não pode ser negativo.")
    sql = compiled.select_sql(distinct=query.distinct)
    params = list(compiled.params)
    if query.limit is not None and compiled.keyed and compiled.limit is None:
        sql = compiled.page_sql()
        params += [query.limit, query.offset]
    elif query.limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [query.limit, query.offset]
    elif query.offset:
        sql += " OFFSET ?"
        params.append(query.offset)
    con = connection_for(compiled.table)
    try:
        rows = con.execute(sql, params).fetchall() if query.limit != 0 else []
        total: int | None = None
        if query.include_total:
            base = compiled.select_sql(distinct=True) if query.distinct else None
            if base is None:
                count_sql = f"SELECT count(*) FROM {compiled.table.source} AS t{compiled.where}"  # noqa: S608
            else:
                # ORDER BY is meaningless (and costly) inside the count
                base = base.removesuffix(compiled.order)
                count_sql = f"SELECT count(*) FROM ({base}) AS d"  # noqa: S608
            found = con.execute(count_sql, compiled.params).fetchone()
            total = int(found[0]) if found else 0
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        raise QueryError(f"Não foi possível consultar a tabela: {exc}") from exc
    return rows, total


def query_table(version: ResourceVersion, query: TableQuery) -> TableResult:
    """One page of a version's table; raises :class:`QueryError` with a pt-BR message."""
    table = table_for(version)
    compiled = compile_query(table, query)
    names = [c.name for c in compiled.columns]
    if _from_row_store(compiled, query):
        records, total = _stored_page(compiled, query)
    else:
        rows, total = run(compiled, query)
        records = [
            {name: json_value(value) for name, value in zip(names, row, strict=True)}
            for row in rows
        ]
    return TableResult(fields=field_specs(version, compiled.columns), records=records, total=total)


def _from_row_store(compiled: Compiled, query: TableQuery) -> bool:
    """Whether the page's rows can come from the version's row store (:mod:`.artifacts`)."""
    table = compiled.table
    return (
        bool(table.folder)
        and table.row_store_types_ok
        and compiled.keyed
        and not query.distinct
        and compiled.limit is None
        and query.limit is not None
        and 0 <= query.limit <= MAX_LIMIT
        and query.offset >= 0
    )


def _page_keys(compiled: Compiled, query: TableQuery, con: duckdb.DuckDBPyConnection) -> list[int]:
    """The page's 0-based row numbers, in the query's order.

    A page sorted by one typed column reads them from the column's precomputed
    order (the same total order: NULLS LAST, then the row key), which stops after
    the page instead of sorting every row: unfiltered, filtered by the columns the
    order carries, or after a cursor pointing at a row of the table.
    """
    if len(compiled.sort) == 1 and not query.q:
        column, desc = compiled.sort[0]
        order = compiled.table.order_table(column, desc)
        if order is not None and query.after is not None:
            if not (query.filters or query.conditions):
                start = _cursor_position(compiled, column, order, query.after, con)
                if start is not None:
                    sql = f"SELECT k FROM {order} LIMIT ? OFFSET ?"  # noqa: S608
                    rows = con.execute(sql, [query.limit, start + 1 + query.offset])
                    return [int(r[0]) for r in rows.fetchall()]
        elif order is not None and _carried(compiled.table, query):
            sql = f"SELECT k FROM {order}{compiled.where} LIMIT ? OFFSET ?"  # noqa: S608
            params = [*compiled.params, query.limit, query.offset]
            return [int(r[0]) for r in con.execute(sql, params).fetchall()]
    params = [*compiled.params, query.limit, query.offset]
    return [int(r[0]) for r in con.execute(compiled.keys_sql(), params).fetchall()]


def _carried(table: Table, query: TableQuery) -> bool:
    """Whether every column the query filters on rides along in the precomputed orders."""
    names = {str(n) for n in query.filters} | {name for name, _, _ in query.conditions}
    return names <= set(table.ordered_with)


def _cursor_position(
    compiled: Compiled,
    column: Column,
    order: str,
    after: list[Any],
    con: duckdb.DuckDBPyConnection,
) -> int | None:
    """Where the cursor's row sits in the order, when the cursor holds that row's own value.

    Rows after ``(value, _id)`` are then exactly the rows after that position. A
    cursor whose value is not the row's (written by hand) is left to the general query.
    """
    table = compiled.table
    if not table.has_row_key or len(after) != 2 or isinstance(after[1], bool):
        return None
    try:
        key = int(after[1]) - 1
        value = coerce(column, after[0])
    except (QueryError, TypeError, ValueError):
        return None
    if not key >= 0:
        return None
    found = con.execute(
        f"SELECT {column.sql} FROM {table.scan} WHERE {FILE_ROW} = ?",  # noqa: S608
        [key],
    ).fetchone()
    if found is None or found[0] != value or (found[0] is None) != (value is None):
        return None
    if isinstance(value, float) and value != value:  # NaN: never equal, general query
        return None
    position = con.execute(f"SELECT rowid FROM {order} WHERE k = ?", [key]).fetchone()  # noqa: S608
    return int(position[0]) if position else None


def _stored_page(compiled: Compiled, query: TableQuery) -> tuple[list[dict[str, Any]], int | None]:
    """The page through the row store: row numbers from DuckDB, rows read by number."""
    table = compiled.table
    con = connection_for(table)
    try:
        keys = _page_keys(compiled, query, con) if query.limit else []
        total: int | None = None
        if query.include_total:
            count_sql = f"SELECT count(*) FROM {table.source} AS t{compiled.where}"  # noqa: S608
            found = con.execute(count_sql, compiled.params).fetchone()
            total = int(found[0]) if found else 0
    except duckdb.InterruptException:
        raise
    except duckdb.Error as exc:
        raise QueryError(f"Não foi possível consultar a tabela: {exc}") from exc
    stored = artifacts.row_store(Path(table.folder)).fetch(keys)
    records = []
    for key, row in zip(keys, stored, strict=True):
        record = {}
        for column in compiled.columns:
            if column.name == ROW_KEY and table.has_row_key:
                record[ROW_KEY] = key + 1
            else:
                record[column.name] = json_value(row[column.name])
        records.append(record)
    return records, total


def facet_counts(
    version: ResourceVersion, query: TableQuery, column: str, *, limit: int = 50
) -> list[dict[str, Any]]:
    """Value counts of ``column`` over the rows the query selects (most frequent first)."""
    table = table_for(version)
    compiled = compile_query(table, TableQuery(**{**query.__dict__, "sort": [], "after": None}))
    col = table.column(column)
    sql = (
        f"SELECT {col.sql} AS value, count(*) AS n FROM {table.source} AS t{compiled.where} "  # noqa: S608
        f"GROUP BY 1 ORDER BY n DESC, value ASC NULLS LAST LIMIT ?"
    )
    try:
        rows = connection_for(table).execute(sql, [*compiled.params, limit]).fetchall()
    except duckdb.Error as exc:
        raise QueryError(f"Não foi possível contar os valores: {exc}") from exc
    return [{"value": json_value(value), "count": int(n)} for value, n in rows]
