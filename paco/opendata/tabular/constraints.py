"""Table Schema constraints of the data dictionary, checked in Python and in SQL alike.

Supported (Frictionless names, in ``field["constraints"]``): ``required`` (all
types), ``minimum``/``maximum`` (integer, number, date, datetime), ``minLength``/
``maxLength``/``pattern`` (string) and ``enum`` (string, integer, number).
One error per cell: the first violated constraint in that order. ``unique``
spans rows: ``unique.py`` checks it on the written Parquet file. Other keys
are kept in the schema but not checked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import TabularError
from .sqltext import literal

ORDER = ["required", "minimum", "maximum", "minLength", "maxLength", "pattern", "enum"]
_ORDERED = {"integer", "number", "date", "datetime"}
LABELS = {  # as staff read them in messages
    "minimum": "mínimo",
    "maximum": "máximo",
    "minLength": "tamanho mínimo",
    "maxLength": "tamanho máximo",
    "pattern": "padrão",
    "enum": "valores permitidos",
}
_APPLIES = {
    "minimum": _ORDERED,
    "maximum": _ORDERED,
    "minLength": {"string"},
    "maxLength": {"string"},
    "pattern": {"string"},
    "enum": {"string", "integer", "number"},
}
# Each constraint (after "required") twice, side by side: the Python test on a typed value and
# the SQL test ({v}: the typed cell, {limit}: the limit as SQL), true when the value breaks it.
_BREAKS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda value, limit: value < limit,
    "maximum": lambda value, limit: value > limit,
    "minLength": lambda value, limit: len(value) < limit,
    "maxLength": lambda value, limit: len(value) > limit,
    "pattern": lambda value, limit: re.fullmatch(limit, value) is None,
    "enum": lambda value, limit: value not in limit,
}
_BREAKS_SQL = {
    "minimum": "{v} < {limit}",
    "maximum": "{v} > {limit}",
    "minLength": "length({v}) < {limit}",
    "maxLength": "length({v}) > {limit}",
    "pattern": "NOT regexp_full_match({v}, {limit})",
    "enum": "{v} NOT IN ({limit})",
}


def inapplicable(spec: dict[str, Any]) -> list[str]:
    """The constraints set on a field that its type ignores (a minimum on text…)."""
    found = spec.get("constraints") or {}
    if not isinstance(found, dict):
        return []
    return [
        key
        for key in ORDER[1:]
        if found.get(key) not in (None, "", []) and spec["type"] not in _APPLIES[key]
    ]


def active(spec: dict[str, Any]) -> dict[str, Any]:
    """The checked constraints of a field, values converted to the field's type."""
    found = spec.get("constraints") or {}
    if not isinstance(found, dict):
        raise TabularError(f"As restrições da coluna “{spec['name']}” devem ser um objeto.")
    kind = spec["type"]
    out: dict[str, Any] = {}
    for key in ORDER:
        if key not in found or found[key] is None:
            continue
        if key == "required":
            if found[key]:
                out[key] = True
        elif kind in _APPLIES[key]:
            out[key] = _convert(spec, key, found[key])
    return out


def _convert(spec: dict[str, Any], key: str, value: Any) -> Any:
    kind, name = spec["type"], spec["name"]
    try:
        if key in {"minLength", "maxLength"}:
            return int(value)
        if key == "pattern":
            re.compile(str(value))
            return str(value)
        if key == "enum":
            return [_typed(kind, item) for item in value]
        return _typed(kind, value)
    except (ValueError, TypeError, InvalidOperation, re.error) as exc:
        raise TabularError(
            f"A restrição “{LABELS[key]}” da coluna “{name}” tem um valor inválido ({value!r})."
        ) from exc


def _typed(kind: str, value: Any) -> Any:
    if kind == "integer":
        return int(value)
    if kind == "number":
        return Decimal(str(value))
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind == "datetime":
        parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
        return parsed.replace(tzinfo=None)
    return str(value)


def violation(checks: dict[str, Any], value: Any) -> str | None:
    """The first constraint ``value`` (typed, None when missing) violates."""
    if value is None:
        return "required" if checks.get("required") else None
    return next((k for k in ORDER[1:] if k in checks and _BREAKS[k](value, checks[k])), None)


def message(key: str, checks: dict[str, Any], shown: str) -> str:
    limit = checks.get(key)
    if isinstance(limit, date | datetime):
        limit = limit.isoformat()
    return {
        "required": "valor obrigatório ausente.",
        "minimum": f"“{shown}” é menor que o mínimo ({limit}).",
        "maximum": f"“{shown}” é maior que o máximo ({limit}).",
        "minLength": f"“{shown}” tem menos de {limit} caracteres.",
        "maxLength": f"“{shown}” tem mais de {limit} caracteres.",
        "pattern": f"“{shown}” não segue o padrão exigido ({limit}).",
        "enum": f"“{shown}” não está entre os valores permitidos.",
    }[key]


def _sql_value(kind: str, value: Any) -> str:
    if kind == "date":
        return f"DATE {literal(value.isoformat())}"
    if kind == "datetime":
        return f"TIMESTAMP {literal(value.isoformat(sep=' '))}"
    if kind == "number":
        return f"CAST({literal(str(value))} AS DOUBLE)"
    if kind == "integer":
        return str(int(value))
    return literal(str(value))


def _test_sql(key: str, limit: Any, kind: str, value: str) -> str:
    if key in {"minLength", "maxLength"}:
        sql_limit = str(int(limit))
    elif key == "pattern":
        sql_limit = literal(limit)
    elif key == "enum":
        if not limit:  # no value allowed
            return "true"
        sql_limit = ", ".join(_sql_value(kind, item) for item in limit)
    else:
        sql_limit = _sql_value(kind, limit)
    return _BREAKS_SQL[key].format(v=value, limit=sql_limit)


def violation_sql(checks: dict[str, Any], kind: str, value: str, missing: str) -> str | None:
    """SQL naming the first violated constraint (or NULL); None when nothing is checked."""
    if not checks:
        return None
    rules = [
        f"WHEN {_test_sql(key, checks[key], kind, value)} THEN {literal(key)}"
        for key in ORDER[1:]
        if key in checks
    ]
    required = "'required'" if checks.get("required") else "NULL"
    on_null = f"CASE WHEN {missing} THEN {required} END"
    return f"CASE WHEN {value} IS NULL THEN {on_null} {' '.join(rules)} END"
