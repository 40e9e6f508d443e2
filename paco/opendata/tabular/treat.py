"""LGPD treatments of a normalized Parquet file: drop, mask or hash columns, in DuckDB SQL.

- ``drop``: the column is removed.
- ``mask``: each value is masked by its shape: CPF → ``***.456.789-**``,
  e-mail → ``j***@dominio``, phone → ``***-4321`` (last 4 digits), dates →
  ``**/**/1985`` (year kept), names (in columns named like people) → initials
  ``M. S.``, anything else → ``***``.
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
from typing import Any

import duckdb

from .convert import MEMORY_LIMIT, THREADS
from .errors import TabularError
from .screen import CPF_SHAPE, PARTICLES, install_macros, is_person_column
from .sqltext import copy_to_parquet, ident, literal

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


def mask_sql(name: str, kind: str) -> str:
    """SQL masking column ``name`` of Table Schema type ``kind``."""
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
    return (
        f"CASE WHEN {c} IS NULL THEN NULL "
        f"WHEN {is_cpf} "
        f"THEN '***.' || substr({cpf}, 4, 3) || '.' || substr({cpf}, 7, 3) || '-**' "
        f"WHEN paco_is_email({v}) THEN left({v}, 1) || '***@' || split_part({v}, '@', 2) "
        f"WHEN paco_is_phone({v}) THEN '***-' || right({d}, 4) "
        f"{name_rule}ELSE '***' END"
    )


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
            selects = _selects(columns, treatments, secret)
            query = f"SELECT {', '.join(selects)} FROM {source}"  # noqa: S608
            con.execute(copy_to_parquet(query, partial))
        os.replace(partial, dst_parquet)
    except duckdb.Error as exc:
        raise TabularError(f"Falha ao aplicar o tratamento dos dados pessoais ({exc}).") from exc
    finally:
        partial.unlink(missing_ok=True)


def _selects(columns: list[tuple[str, str]], treatments: dict[str, str], secret: str) -> list[str]:
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
            selects.append(f"{mask_sql(name, kind)} AS {ident(name)}")
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
