"""Resolve each request to one municipality by host name."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from paco.tenancy.models import Municipality

CACHE_KEY = "paco:tenancy:hostmap"
CACHE_SECONDS = 30


def _host_map() -> dict[str, int]:
    """host → municipality id; '*' maps to the only municipality of a single-town install."""
    mapping: dict[str, int] | None = cache.get(CACHE_KEY)
    if mapping is None:
        mapping = {}
        towns = list(Municipality.objects.active().only("id", "hosts"))
        for town in towns:
            for host in town.host_list():
                mapping[host] = town.pk
        if len(towns) == 1:
            mapping["*"] = towns[0].pk
        cache.set(CACHE_KEY, mapping, CACHE_SECONDS)
    return mapping


def forget_hosts() -> None:
    cache.delete(CACHE_KEY)


def resolve_municipality(host: str) -> Municipality | None:
    name = host.split(":", 1)[0].lower() if not host.startswith("[") else host
    mapping = _host_map()
    pk = mapping.get(name, mapping.get("*"))
    if pk is None:
        return None
    return _municipality_by_pk(pk)


def _municipality_by_pk(pk: int) -> Municipality | None:
    key = f"paco:tenancy:m:{pk}"
    town: Municipality | None = cache.get(key)
    if town is None:
        town = Municipality.objects.active().filter(pk=pk).first()
        if town is not None:
            cache.set(key, town, CACHE_SECONDS)
    return town


# Paths that answer without a municipality (health checks, admin of the installation).
EXEMPT_PREFIXES = ("/healthz", "/static/", "/favicon.ico")


class MunicipalityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        town = resolve_municipality(request.get_host())
        request.municipality = town  # type: ignore[attr-defined]
        if town is None and not request.path.startswith(EXEMPT_PREFIXES):
            response = TemplateResponse(
                request, "core/no_municipality.html", {"host": request.get_host()}, status=404
            )
            return response.render()
        return self.get_response(request)
