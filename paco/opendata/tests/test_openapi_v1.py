"""The /api/v1/ OpenAPI document: valid shape, and every /api/v1/ URL is in it."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from paco.opendata.datastore.openapi import ENDPOINTS


def _routes(patterns: list[Any], prefix: str = "") -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            namespace = pattern.namespace
            for sub, name in _routes(pattern.url_patterns, route):
                out.append(
                    (sub, f"{namespace}:{name}" if namespace and name and ":" not in name else name)
                )
        elif isinstance(pattern, URLPattern):
            out.append((route, pattern.name))
    return out


def openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.lstrip("^").rstrip("$"))


def test_every_api_v1_url_is_documented(anon_x: Client) -> None:
    document = anon_x.get("/api/v1/openapi.json").json()
    routes = [
        (openapi_path(r), n)
        for r, n in _routes(get_resolver().url_patterns)
        if r.startswith("api/v1/")
    ]
    assert len(routes) >= 5
    for path, _name in routes:
        assert path in document["paths"], f"{path} falta no OpenAPI"
    documented_names = {e.url_name for e in ENDPOINTS}
    for _path, name in routes:
        assert name in documented_names
    # and nothing documented that does not exist
    assert set(document["paths"]) == {p for p, _ in routes}


def test_document_shape(anon_x: Client) -> None:
    response = anon_x.get("/api/v1/openapi.json")
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "http://x.paco.test"}]
    operation_ids = []
    for path, operations in document["paths"].items():
        placeholders = set(re.findall(r"{(\w+)}", path))
        for operation in operations.values():
            operation_ids.append(operation["operationId"])
            in_path = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert in_path == placeholders, path
            assert operation["responses"]
    assert len(operation_ids) == len(set(operation_ids))
    upload = document["paths"]["/api/v1/datasets/{name}/resources/{resource}/versions"]["post"]
    assert upload["security"] == [{"token": []}]
    assert "token" in document["components"]["securitySchemes"]
