"""LGPD treatments of a normalized Parquet file: drop, mask or hash columns, in DuckDB SQL.

- ``drop``: the column is removed.
- ``mask``: a value that is one piece of personal data is masked by its shape:
  CPF → ``***.456.789-**``, e-mail → ``j***@dominio``, phone → ``***-4321``
  (last 4 digits), dates → ``**/**/1985`` (year kept), names (in columns named
  like people, or found by ``paco.privacy``) → initials ``M. S.``. Free text keeps
  its words and loses only the personal data inside it, each occurrence replaced
  by a label (“Pagamento a [nome removido], CPF [CPF removido]”), by
  ``paco.privacy.mask_cell`` (a Python function called from SQL, only on cells the
  SQL prefilter says may hold personal data). Any other value → ``***``; free text
  (five words or more, not an address) without personal data is kept.
- ``hash``: HMAC-SHA256(secret, value as text), hex. The same value hashes
  equally across versions with the same secret, and cannot be reversed
  without it. Computed in SQL (RFC 2104 with two SHA-256 passes).

Masked and hashed columns become text (``treated_schema``). The output is
written to a temporary name beside ``dst`` and renamed, so it is never partial.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module
from paco.privacy import mask_cell

from .convert import MEMORY_LIMIT, THREADS
from .errors import TabularError
from .screen import _NAME_PAIR, CPF_SHAPE, PARTICLES, install_macros, is_person_column
from .sqltext import copy_to_parquet, ident, literal

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

ACTIONS = {"drop", "mask", "hash"}
_PARTICLES = ", ".join(literal(p) for p in sorted(PARTICLES))


def _hmac_keys(secret: str) -> tuple[str, str]:
    key = secret.encode()
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    inner = bytes(b ^ 0x36 for b in key).hex()
    outer = bytes(b ^ 0x5C for b in key).hex()
    return inner, outer


def hmac_sql(expr: str, secret: str) -> str:
    """SQL computing HMAC-SHA256(secret, expr) as lowercase hex (NULL stays NULL)."""
    inner, outer = _hmac_keys(secret)
    text = f"encode(CAST({expr} AS VARCHAR))"
    first = f"unhex(sha256(unhex({literal(inner)}) || {text}))"
    return f"sha256(unhex({literal(outer)}) || {first})"


def _initials_sql(v: str) -> str:
    words = f"string_split_regex(trim({v}), '\\s+')"
    kept = (
        f"list_filter({words}, lambda w: lower(w) NOT IN ({_PARTICLES}) "
        "AND regexp_full_match(left(w, 1), '\\pL'))"
    )
    joined = f"array_to_string(list_transform({kept}, lambda w: upper(left(w, 1)) || '.'), ' ')"
    return f"coalesce(nullif({joined}, ''), '***')"


def mask_sql(name: str, kind: str, masked_inside: str | None = None) -> str:
    """SQL masking column ``name`` of Table Schema type ``kind``.

    ``masked_inside``: SQL for the cell as ``paco.privacy.mask_cell`` masked it (the
    joined lookup table of ``_mask_lookup``), NULL where it found nothing.
    """
    c = ident(name)
    if kind in {"date", "datetime"}:
        return f"CASE WHEN {c} IS NULL THEN NULL ELSE '**/**/' || strftime({c}, '%Y') END"
    v = f"CAST({c} AS VARCHAR)"
    d = f"regexp_replace({v}, '[^0-9]', '', 'g')"
    cpf = f"lpad({d}, 11, '0')"
    is_cpf = f"regexp_full_match({v}, {literal(CPF_SHAPE)})"
    if kind == "integer":  # a CPF read as a number lost its leading zeros
        is_cpf = f"{c} BETWEEN 1000000 AND 99999999999"
    name_rule = f"WHEN true THEN {_initials_sql(v)} " if is_person_column(name) else ""
    free_text = (
        f"CASE WHEN len(string_split_regex(trim({v}), '\\s+')) >= 5 "
        f"AND NOT paco_is_address({v}) THEN {v} ELSE '***' END"
    )
    inside = f"WHEN {masked_inside} IS NOT NULL THEN {masked_inside} " if masked_inside else ""
    if kind == "integer":
        inside, free_text = "", "'***'"
    return (
        f"CASE WHEN {c} IS NULL THEN NULL "
        f"WHEN {is_cpf} "
        f"THEN '***.' || substr({cpf}, 4, 3) || '.' || substr({cpf}, 7, 3) || '-**' "
        f"WHEN paco_is_email({v}) THEN left({v}, 1) || '***@' || split_part({v}, '@', 2) "
        f"WHEN paco_is_phone({v}) THEN '***-' || right({d}, 4) "
        f"{name_rule}{inside}ELSE {free_text} END"
    )


def _whole_cell_sql(v: str) -> str:
    cpf = f"regexp_full_match({v}, {literal(CPF_SHAPE)})"
    return f"({cpf} OR paco_is_email({v}) OR paco_is_phone({v}))"


def _mask_lookup(con: duckdb.DuckDBPyConnection, source: str, name: str, index: int) -> str | None:
    """Mask, once per distinct value, the cells of a text column that may hold personal
    data inside (``paco.privacy.mask_cell``), into a temporary lookup table; its name,
    or None when no cell needed it."""
    v = f"CAST({ident(name)} AS VARCHAR)"
    values = con.execute(
        f"SELECT DISTINCT {v} FROM {source} WHERE {v} IS NOT NULL "  # noqa: S608
        f"AND NOT {_whole_cell_sql(v)} "
        f"AND (paco_maybe_digits({v}) OR regexp_matches({v}, {literal(_NAME_PAIR)}))"
    ).fetchall()
    keys: list[str] = []
    masked: list[str] = []
    for (value,) in values:
        result = mask_cell(value, name)
        if result is not None:
            keys.append(value)
            masked.append(result)
    if not keys:
        return None
    table = f"paco_mask_{index}"
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT unnest(?::VARCHAR[]) AS paco_key_{index}, "
        f"unnest(?::VARCHAR[]) AS paco_masked_{index}",
        [keys, masked],
    )
    return table


def treated_schema(schema: dict[str, Any], treatments: dict[str, str]) -> dict[str, Any]:
    """The schema after ``apply_treatments``: dropped fields gone, masked/hashed ones text."""
    fields = []
    for spec in schema["fields"]:
        action = treatments.get(spec["name"])
        if action == "drop":
            continue
        if action in {"mask", "hash"}:
            keep = {k: spec[k] for k in ("name", "title", "description") if k in spec}
            spec = {**keep, "type": "string"}
        fields.append(spec)
    return {**schema, "fields": fields}


def apply_treatments(
    src_parquet: Path, dst_parquet: Path, treatments: dict[str, str], secret: str
) -> None:
    """Write ``dst_parquet``: ``src_parquet`` with the columns dropped, masked or hashed."""
    if not secret:
        raise TabularError("Falta a chave secreta para calcular os hashes.")
    partial = dst_parquet.with_name(f".{dst_parquet.name}.{uuid.uuid4().hex}.tmp")
    try:
        with duckdb.connect(":memory:") as con:
            con.execute(f"SET threads = {THREADS}")
            con.execute(f"SET memory_limit = {literal(MEMORY_LIMIT)}")
            install_macros(con)
            source = f"read_parquet({literal(str(src_parquet))})"
            try:
                described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()  # noqa: S608
            except duckdb.Error as exc:
                raise TabularError("Os dados normalizados não puderam ser lidos.") from exc
            columns = [(row[0], _schema_type(str(row[1]))) for row in described]
            lookups = {
                name: table
                for index, (name, kind) in enumerate(columns)
                if treatments.get(name) == "mask" and kind == "string"
                if (table := _mask_lookup(con, source, name, index))
            }
            selects = _selects(columns, treatments, secret, lookups)
            query = _query(source, columns, selects, lookups)
            con.execute(copy_to_parquet(query, partial))
        os.replace(partial, dst_parquet)
    except duckdb.Error as exc:
        raise TabularError(f"Falha ao aplicar o tratamento dos dados pessoais ({exc}).") from exc
    finally:
        partial.unlink(missing_ok=True)


def _query(
    source: str, columns: list[tuple[str, str]], selects: list[str], lookups: dict[str, str]
) -> str:
    """The treated rows in file order (joins do not keep it: sorted back by row number)."""
    if not lookups:
        return f"SELECT {', '.join(selects)} FROM {source}"  # noqa: S608
    index = {name: i for i, (name, _kind) in enumerate(columns)}
    joins = "".join(
        f" LEFT JOIN {table} ON CAST({ident(name)} AS VARCHAR) = paco_key_{index[name]}"
        for name, table in lookups.items()
    )
    if "file_row_number" in {name.casefold() for name in index}:
        # The row number's name is taken: look the masked cells up by position instead.
        return f"SELECT {', '.join(selects)} FROM {source}"  # noqa: S608
    rows = f"read_parquet({source[len('read_parquet(') : -1]}, file_row_number = true)"
    return (
        f"SELECT {', '.join(selects)} FROM {rows}{joins} "  # noqa: S608
        "ORDER BY file_row_number"
    )


def _inside(name: str, index: int, columns: list[tuple[str, str]]) -> str:
    """SQL for the cell of column ``index`` as ``mask_cell`` masked it (NULL if untouched)."""
    if "file_row_number" in {n.casefold() for n, _k in columns}:
        v = f"CAST({ident(name)} AS VARCHAR)"
        keys = f"(SELECT list(paco_key_{index}) FROM paco_mask_{index})"  # noqa: S608
        values = f"(SELECT list(paco_masked_{index}) FROM paco_mask_{index})"  # noqa: S608
        return f"{values}[list_position({keys}, {v})]"
    return f"paco_masked_{index}"


def _selects(
    columns: list[tuple[str, str]],
    treatments: dict[str, str],
    secret: str,
    lookups: dict[str, str] | None = None,
) -> list[str]:
    names = {name for name, _ in columns}
    for column, action in treatments.items():
        if column not in names:
            raise TabularError(f"A coluna “{column}” não existe nos dados.")
        if action not in ACTIONS:
            raise TabularError(
                f"Tratamento desconhecido para a coluna “{column}”: use remover, mascarar ou hash."
            )
    selects = []
    for name, kind in columns:
        chosen = treatments.get(name)
        if chosen == "drop":
            continue
        if chosen == "mask":
            index = [n for n, _k in columns].index(name)
            inside = _inside(name, index, columns) if name in (lookups or {}) else None
            selects.append(f"{mask_sql(name, kind, inside)} AS {ident(name)}")
        elif chosen == "hash":
            selects.append(f"{hmac_sql(ident(name), secret)} AS {ident(name)}")
        else:
            selects.append(ident(name))
    if not selects:
        raise TabularError("Não é possível remover todas as colunas da tabela.")
    return selects


def _schema_type(duckdb_type: str) -> str:
    if duckdb_type == "DATE":
        return "date"
    if duckdb_type.startswith("TIMESTAMP"):
        return "datetime"
    if duckdb_type in {"BIGINT", "INTEGER", "HUGEINT", "SMALLINT"}:
        return "integer"
    if duckdb_type in {"DOUBLE", "FLOAT"} or duckdb_type.startswith("DECIMAL"):
        return "number"
    return "string"
