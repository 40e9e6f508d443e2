"""Read-only SQL over the published tables (``datastore_search_sql``), in a locked DuckDB.

Defence in depth, each layer enough on its own for most attacks:

1. **Parsing.** DuckDB splits the text: exactly one statement, of type SELECT.
   Its syntax tree (``json_serialize_sql``) is walked: no table functions
   (``read_csv``, ``glob``, ``query``…), no functions that read files, the
   environment or the configuration (``getenv``, ``current_setting``,
   ``duckdb_*``…), and every table named is one of the allowed tables (or a CTE).
2. **A fresh in-memory database** per query holding only views named by resource
   id over the municipality's published Parquet files — other towns' tables do
   not exist there.
3. **Locked configuration**: file access limited to those Parquet files
   (``allowed_paths`` + ``enable_external_access=false``), no extension install
   or autoload, no community extensions, one thread, a memory limit, no spill
   directory, then ``lock_configuration=true`` so the query cannot undo any of it.
4. **A separate process** (:mod:`paco.opendata.isolation`): the query runs in
   one of ``PACO_SQL_CONCURRENCY`` pre-started children whose address space is
   capped (``RLIMIT_AS``, ``PACO_SQL_MEMORY_MB`` above their start-up size;
   DuckDB's own ``memory_limit`` is half of it). The web process measures the
   time and SIGKILLs a child past ``PACO_SQL_TIMEOUT_SECONDS``, then starts a
   new one. So ``range()``, ``unnest``, ``repeat``, ``string_agg`` or a
   recursive CTE can grow only inside the child, up to the cap. Beyond the
   concurrency, a query waits ``PACO_SQL_QUEUE_SECONDS`` for a free child, then
   gets "tente novamente" (HTTP 503).
5. **Limits on the answer**: at most ``PACO_SQL_MAX_ROWS`` rows are fetched
   (``records_truncated`` tells); a result whose JSON passes
   ``PACO_SQL_MAX_BYTES`` is refused as a whole (never cut short: a partial
   answer would look complete), counted in the child while the rows are read in
   batches, so an oversized result stops early and never crosses the pipe.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module
from paco.opendata import isolation
from paco.opendata.datastore.engine import ckan_type, json_value, quote_ident, quote_literal

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

#: functions that reach outside the tables even when the engine is locked
FORBIDDEN_FUNCTIONS = {
    "getenv", "current_setting", "getvariable", "current_database", "current_schema",
    "current_schemas", "version", "pragma_version", "platform", "database_list",
    "sniff_csv", "read_blob", "read_text", "glob", "query", "query_table",
}  # fmt: skip
FORBIDDEN_PREFIXES = ("duckdb_", "pragma_", "read_", "parquet_", "iceberg_", "delta_", "sqlite_")

#: table functions that only generate values
SAFE_TABLE_FUNCTIONS = {"range", "generate_series", "unnest"}

#: defaults of the settings read by :func:`pool_settings`
DEFAULT_CONCURRENCY = 2
DEFAULT_MEMORY_MB = 512
DEFAULT_QUEUE_SECONDS = 2.0
#: rows converted at a time while the result is read (and measured)
BATCH_ROWS = 1024
HANDLER = "paco.opendata.datastore.sandbox.answer"


class SqlRefused(Exception):
    """The query is not allowed or failed; ``message`` is pt-BR."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SqlBusy(SqlRefused):
    """Every SQL worker stayed busy for the whole wait: the client should try again."""


@dataclass
class SqlResult:
    fields: list[dict[str, str]]
    records: list[dict[str, Any]]
    truncated: bool


_parser_local = threading.local()


def _parser() -> duckdb.DuckDBPyConnection:
    """A connection used only to parse (never runs user SQL)."""
    con: duckdb.DuckDBPyConnection | None = getattr(_parser_local, "con", None)
    if con is None:
        con = duckdb.connect(":memory:", config={"autoload_known_extensions": False})
        _parser_local.con = con
    return con


def _walk(node: Any, found: dict[str, set[str]]) -> None:
    if isinstance(node, dict):
        kind = node.get("type")
        if kind == "TABLE_FUNCTION":
            found["table_functions"].add(_function_name(node.get("function")))
        elif kind == "BASE_TABLE":
            schema = node.get("schema_name") or ""
            catalog = node.get("catalog_name") or ""
            name = str(node.get("table_name", ""))
            found["tables"].add(".".join(p for p in (catalog, schema, name) if p))
        elif kind in {"SHOW_REF", "COLUMN_DATA"}:
            found["other"].add(kind)
        if node.get("class") == "FUNCTION" and "function_name" in node:
            found["functions"].add(str(node["function_name"]).lower())
        cte_map = node.get("cte_map")
        if isinstance(cte_map, dict):
            for entry in cte_map.get("map", []):
                found["ctes"].add(str(entry.get("key", "")))
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for item in node:
            _walk(item, found)


def _function_name(node: Any) -> str:
    if isinstance(node, dict):
        return str(node.get("function_name", "?")).lower()
    return "?"


def check(sql: str, allowed: set[str]) -> tuple[str, set[str]]:
    """The single SELECT statement of ``sql`` and the allowed tables it names; or SqlRefused."""
    if not sql.strip():
        raise SqlRefused("Informe uma consulta SQL (parâmetro “sql”).")
    if len(sql) > 20000:
        raise SqlRefused("A consulta é longa demais (máximo de 20.000 caracteres).")
    con = _parser()
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as exc:
        raise SqlRefused(f"Erro de sintaxe na consulta: {_clean(str(exc))}") from None
    if len(statements) != 1:
        raise SqlRefused("Envie exatamente uma instrução SQL (um único SELECT).")
    statement = statements[0]
    if statement.type != duckdb.StatementType.SELECT:
        name = str(statement.type).rsplit(".", 1)[-1]
        raise SqlRefused(
            f"Somente consultas SELECT são permitidas (recebido: {name}). "
            "Arquivos, extensões, configurações e outros bancos não podem ser acessados."
        )
    text = str(statement.query).strip().rstrip(";").strip()
    try:
        row = con.execute("SELECT json_serialize_sql(?)", [text]).fetchone()
        tree = json.loads(row[0]) if row else {"error": True}
    except (duckdb.Error, ValueError):
        tree = {"error": True}
    if tree.get("error"):
        raise SqlRefused("Consulta não suportada: use um único SELECT sobre as tabelas publicadas.")
    found: dict[str, set[str]] = {
        k: set() for k in ("table_functions", "tables", "functions", "ctes", "other")
    }
    _walk(tree.get("statements", []), found)
    table_functions = found["table_functions"] - SAFE_TABLE_FUNCTIONS
    if table_functions:
        names = ", ".join(sorted(table_functions))
        raise SqlRefused(
            f"Funções de tabela não são permitidas ({names}): consulte as tabelas publicadas "  # noqa: S608
            'pelo identificador do recurso, por exemplo SELECT * FROM "<id do recurso>".'
        )
    if found["other"]:
        raise SqlRefused(
            "Comandos de descrição (DESCRIBE, SHOW) não são permitidos; use datastore_info."
        )
    bad = sorted(
        f
        for f in found["functions"]
        if f in FORBIDDEN_FUNCTIONS or f.startswith(FORBIDDEN_PREFIXES)
    )
    if bad:
        raise SqlRefused(f"Função não permitida: {', '.join(bad)}.")
    ctes = {c.lower() for c in found["ctes"]}
    allowed_lower = {a.lower() for a in allowed}
    unknown = sorted(t for t in found["tables"] if t.lower() not in allowed_lower | ctes)
    if unknown:
        raise SqlRefused(
            f"Tabela não encontrada ou não publicada neste município: {', '.join(unknown)}. "
            "As tabelas são os identificadores dos recursos publicados."
        )
    named = {t.lower() for t in found["tables"]} - ctes
    return text, {a for a in allowed if a.lower() in named}


def _clean(message: str) -> str:
    """DuckDB's message without file paths (they say nothing useful to the public)."""
    message = re.sub(r"'?/[^\s'\"]+\.parquet'?", "<tabela>", message)
    return message.split("\n")[0][:300]


def run(
    sql: str,
    tables: dict[str, str],
    *,
    timeout: float,
    max_rows: int,
    max_bytes: int | None = None,
) -> SqlResult:
    """Check ``sql`` and run it over ``tables`` (name -> local Parquet path)."""
    text, used = check(sql, set(tables))
    return execute(
        text,
        {name: tables[name] for name in used},
        timeout=timeout,
        max_rows=max_rows,
        max_bytes=max_bytes,
    )


def json_size(value: Any) -> int:
    """Bytes of ``value`` in the API's JSON (UTF-8, accents kept, default separators)."""
    return len(json.dumps(value, ensure_ascii=False).encode())


def size_refusal(max_bytes: int) -> SqlRefused:
    megabytes = f"{max_bytes / 1_000_000:.1f}".replace(".", ",").removesuffix(",0")
    return SqlRefused(
        f"O resultado da consulta passa do tamanho máximo de resposta ({megabytes} MB) e não "
        "foi enviado. Selecione menos colunas, filtre ou agregue as linhas, ou use LIMIT; "
        "para a tabela inteira, baixe o arquivo completo do recurso."
    )


def time_refusal(timeout: float) -> SqlRefused:
    return SqlRefused(
        f"A consulta excedeu o limite de {timeout:g} s e foi interrompida. "
        "Filtre ou agregue as linhas, ou use LIMIT."
    )


def memory_refusal(memory_mb: int) -> SqlRefused:
    return SqlRefused(
        f"A consulta precisou de mais memória do que o limite ({memory_mb} MB) e foi "
        "interrompida. Filtre ou agregue as linhas, ou use LIMIT."
    )


BUSY_MESSAGE = (
    "Há muitas consultas SQL em andamento neste momento; tente novamente em alguns segundos."
)


@dataclass(frozen=True)
class PoolSettings:
    concurrency: int
    memory_mb: int
    queue_seconds: float


def pool_settings() -> PoolSettings:
    from django.conf import settings

    return PoolSettings(
        concurrency=max(1, int(getattr(settings, "PACO_SQL_CONCURRENCY", DEFAULT_CONCURRENCY))),
        memory_mb=max(64, int(getattr(settings, "PACO_SQL_MEMORY_MB", DEFAULT_MEMORY_MB))),
        queue_seconds=float(getattr(settings, "PACO_SQL_QUEUE_SECONDS", DEFAULT_QUEUE_SECONDS)),
    )


_pool_lock = threading.Lock()
_pool: tuple[PoolSettings, isolation.WorkerPool] | None = None


def pool(wanted: PoolSettings) -> isolation.WorkerPool:
    """This process's pool of SQL workers (started on first use, rebuilt if settings change)."""
    global _pool
    with _pool_lock:
        if _pool is not None and _pool[0] == wanted:
            return _pool[1]
        if _pool is not None:
            _pool[1].close()
        workers = isolation.WorkerPool(HANDLER, size=wanted.concurrency, memory_mb=wanted.memory_mb)
        _pool = (wanted, workers)
        return workers


def execute(
    text: str,
    tables: dict[str, str],
    *,
    timeout: float,
    max_rows: int,
    max_bytes: int | None = None,
) -> SqlResult:
    """Run a SELECT that :func:`check` accepted over exactly ``tables``, in an SQL worker.

    ``tables`` are the ones the statement names (``check`` returns them): each
    becomes a view, and only their files are readable. With ``max_bytes``, a
    result whose JSON (fields and records) would be larger raises
    :class:`SqlRefused`: the caller gets all the rows or none. Past the time or
    memory limit the worker is killed and :class:`SqlRefused` says which; with
    every worker busy, :class:`SqlBusy`.
    """
    limits = pool_settings()
    request = {
        "text": text,
        "tables": tables,
        "max_rows": max_rows,
        "max_bytes": max_bytes,
        "memory_mb": limits.memory_mb,
    }
    try:
        kind, payload = pool(limits).call(request, timeout=timeout, wait=limits.queue_seconds)
    except isolation.Busy:
        raise SqlBusy(BUSY_MESSAGE) from None
    except isolation.TimedOut:
        raise time_refusal(timeout) from None
    except isolation.AbnormalExit:
        raise memory_refusal(limits.memory_mb) from None
    if kind == "refused":
        raise SqlRefused(str(payload))
    result: SqlResult = payload
    return result


def answer(request: dict[str, Any]) -> tuple[str, Any]:
    """In an SQL worker: ``("ok", SqlResult)`` or ``("refused", pt-BR message)``."""
    try:
        return "ok", execute_here(**request)
    except SqlRefused as exc:
        return "refused", exc.message


def execute_here(
    text: str,
    tables: dict[str, str],
    *,
    max_rows: int,
    max_bytes: int | None = None,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> SqlResult:
    """The query in this process, in a locked database (the body of an SQL worker)."""
    paths_used = sorted(set(tables.values()))
    con = duckdb.connect(
        ":memory:",
        config={
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "memory_limit": f"{max(32, memory_mb // 2)}MB",
            "threads": 1,
            "temp_directory": "",
        },
    )
    try:
        paths = "[" + ", ".join(quote_literal(p) for p in paths_used) + "]"
        con.execute(f"SET allowed_paths = {paths}")
        con.execute("SET enable_external_access = false")
        for name, path in sorted(tables.items()):
            con.execute(
                f"CREATE VIEW {quote_ident(name)} AS "  # noqa: S608
                f"SELECT * FROM read_parquet({quote_literal(path)})"
            )
        con.execute("SET lock_configuration = true")
        try:
            relation = con.sql(text)
            if relation is None:
                raise SqlRefused("Somente consultas SELECT são permitidas.")
            names = list(relation.columns)
            types = [str(t) for t in relation.types]
            fields = [{"id": n, "type": ckan_type(t)} for n, t in zip(names, types, strict=True)]
            size = json_size(fields)
            records: list[dict[str, Any]] = []
            truncated = False
            for row in relation.limit(max_rows + 1).iter_rows(batch_size=BATCH_ROWS):
                if len(records) == max_rows:
                    truncated = True
                    break
                record = {n: json_value(v) for n, v in zip(names, row, strict=True)}
                if max_bytes is not None:
                    size += json_size(record) + 2  # ", " between records
                    if size > max_bytes:
                        raise size_refusal(max_bytes)
                records.append(record)
        except duckdb.OutOfMemoryException:
            raise memory_refusal(memory_mb) from None
        except duckdb.PermissionException:
            raise SqlRefused(
                "Acesso negado: a consulta só pode ler as tabelas publicadas "
                "(sem arquivos, rede, extensões ou configurações)."
            ) from None
        except duckdb.Error as exc:
            raise SqlRefused(f"Erro na consulta: {_clean(str(exc))}") from None
    finally:
        con.close()
    return SqlResult(fields=fields, records=records, truncated=truncated)
