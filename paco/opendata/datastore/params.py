"""Query-string filters shared by the exports and the native API.

- ``coluna=valor`` or ``coluna__eq=valor``: equality (repeat the parameter for "any of");
- ``coluna__ne``, ``__lt``, ``__lte``, ``__gt``, ``__gte``: comparisons;
- ``coluna__in=a,b,c``: any of the comma-separated values;
- ``coluna__contains=texto``: substring, accent/case-insensitive;
- ``coluna__isnull=true|false``: empty cells or not;
- ``q=palavras``: full text over the text columns;
- ``sort=col,-col2``: sort (``-`` for descending); ``fields=a,b``: columns.

Reserved names (``versao``, ``q``, ``sort``, ``fields``, ``limit``, ``after``,
``facets``, ``bom``, ``excel``, ``offset``, ``format``) are not filters; a column with one
of those names is filtered with the explicit form, e.g. ``sort__eq=x``.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from paco.opendata.datastore.engine import QueryError, parse_bool
from paco.opendata.datastore.query import OPERATORS, TableQuery

#: parameters of the API itself; a column with one of these names is filtered as ``name__eq``
RESERVED = {
    "versao",
    "q",
    "sort",
    "fields",
    "limit",
    "after",
    "facets",
    "bom",
    "excel",
    "offset",
    "format",
    "total",
}


def split_commas(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_sort(text: str) -> list[tuple[str, bool]]:
    return [
        (part[1:], True) if part.startswith("-") else (part, False) for part in split_commas(text)
    ]


def table_query(params: QueryDict, **extra: Any) -> TableQuery:
    """The TableQuery of the filters, ``q``, ``sort`` and ``fields`` in ``params``."""
    conditions: list[tuple[str, str, Any]] = []
    filters: dict[str, Any] = {}
    for key, values in params.lists():
        if key in RESERVED or key.startswith("_"):
            continue
        name, _, op = key.rpartition("__")
        if not name or op not in (*OPERATORS, "isnull"):
            name, op = key, "eq"
        if op == "eq":
            filters[name] = values if len(values) > 1 else values[0]
        elif op == "in":
            conditions.append((name, "in", [v for value in values for v in split_commas(value)]))
        elif op == "isnull":
            wanted = parse_bool(values[-1]) is True
            conditions.append((name, "eq" if wanted else "ne", None))
        else:
            conditions.extend((name, op, value) for value in values)
    fields = split_commas(params.get("fields", "")) or None
    return TableQuery(
        filters=filters,
        conditions=conditions,
        q=params.get("q", ""),
        sort=parse_sort(params.get("sort", "")),
        fields=fields,
        **extra,
    )


def version_number(params: QueryDict) -> int | None:
    raw = params.get("versao")
    if raw in (None, ""):
        return None
    try:
        number = int(raw)
    except ValueError:
        raise QueryError("“versao” deve ser um número de versão.") from None
    if number < 1:
        raise QueryError("“versao” deve ser um número de versão.")
    return number
