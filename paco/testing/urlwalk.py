"""Every public address of the URL map, made concrete for a fixture town (walk tests).

A path parameter whose name is not in the table makes :func:`concrete_paths`
fail, so a new kind of URL cannot slip past the walks unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

from paco.opendata.ckan.handlers import HANDLERS

#: a value for every path parameter name of the URL map
ARGS = {
    "name": "despesas",
    "resource": "dados",
    "slug": "sa",
    "key": "educacao",
    "fmt": "ttl",
    "protocol": "2025-000001",
    "token": "x",
    "uidb64": "x",
    "number": "1",
    "pk": "1",
    "path": "x",
    "code": "7KQ2-M9XD-4TPB-R3H3",  # a well-formed receipt code (paco.receipts.codes.EXAMPLE)
    "request_id": "x",  # an Open311 service request id (a NUP)
    "rest": "x",  # the Open311 catch-all
    "kind_slug": "ouvidoria",  # a kind of case (paco.atendimento)
    "year": "2026",  # the panel's annual report
    "action": "note",  # a staff transition of the case API
}


def routes() -> Iterator[str]:
    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, route)
            else:
                yield route

    yield from walk(get_resolver().url_patterns, "")


def concrete_paths(**values: str) -> list[str]:
    """One path per route outside the Django admin; every CKAN action behind its route."""
    table = {**ARGS, **values}
    paths = []
    for route in routes():
        if route.startswith(("gestao/", "^")):
            continue  # the Django admin: staff only (its own walk tests)
        if route.endswith("action/<str:name>"):
            paths += [f"/{route[: -len('<str:name>')]}{name}" for name in HANDLERS]
            continue
        paths.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: table[m.group(1)], route))
    return paths
