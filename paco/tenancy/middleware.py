"""Resolve each request to one municipality by host name."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from paco.tenancy.models import Municipality

CACHE_SECONDS = 30
_GENERATION_KEY = "paco:tenancy:generation"


def _generation() -> str:
    """Bumped by :func:`forget_hosts`; every cached host map and town is keyed by it."""
    value = cache.get(_GENERATION_KEY)
    if value is None:
        value = str(time.time_ns())
        cache.add(_GENERATION_KEY, value, None)
        value = cache.get(_GENERATION_KEY, value)
    return str(value)


HostMap = tuple[dict[str, int], dict[int, list[str]]]

# The host map last read by this process, with the generation it was read under and
# when it expires: a request pays one shared-cache read (the generation) instead of
# two and an unpickling. The generation is still read from the shared cache on every
# request, so forget_hosts in any process is seen at once by all of them.
_memo: tuple[str, float, HostMap] | None = None


def _host_map() -> HostMap:
    """host → town id ('*': the only town of a single-town install), and each town's hosts."""
    global _memo
    generation = _generation()
    now = time.monotonic()
    memo = _memo
    if memo is not None and memo[0] == generation and memo[1] > now:
        return memo[2]
    key = f"paco:tenancy:hostmap:{generation}"
    cached: HostMap | None = cache.get(key)
    if cached is None:
        rows = list(
            Municipality.objects.order_by("pk", "host_names__position").values_list(
                "pk", "is_active", "host_names__host"
            )
        )
        # a deactivated town's hosts answer "no municipality" (0), never another town
        mapping = {host: (pk if active else 0) for pk, active, host in rows if host}
        hosts: dict[int, list[str]] = {}
        for pk, _, host in rows:
            hosts.setdefault(pk, []).extend([host] if host else [])
        towns = {pk: active for pk, active, _ in rows}
        if len(towns) == 1 and all(towns.values()):  # a single-town install, hosts or not
            mapping["*"] = next(iter(towns))
        cached = (mapping, hosts)
        cache.set(key, cached, CACHE_SECONDS)
    _memo = (generation, now + CACHE_SECONDS, cached)
    return cached


def forget_hosts(*municipality_ids: int | None) -> None:
    """Drop the host map and every cached municipality; make the named towns' pages stale.

    Called on commit whenever a municipality or one of its host names is saved or
    deleted (see :mod:`paco.tenancy.models`), so a renamed, deactivated or
    re-addressed town is served fresh on the next request.
    """
    from paco.core.cache import invalidate_public_pages

    cache.set(_GENERATION_KEY, str(time.time_ns()), None)
    for pk in municipality_ids:
        invalidate_public_pages(pk)


def town_hosts(host: str) -> tuple[int, list[str]] | None:
    """The id and host names of the active municipality answering ``host``, if any.

    What the page cache needs on a hit, without loading the municipality itself.
    """
    name = host.split(":", 1)[0].lower() if not host.startswith("[") else host
    mapping, hosts = _host_map()
    pk = mapping.get(name, mapping.get("*"))
    if not pk:
        return None
    return pk, hosts.get(pk, [])


def resolve_municipality(host: str) -> Municipality | None:
    found = town_hosts(host)
    if found is None:
        return None
    pk, hosts = found
    town = _municipality_by_pk(pk)
    if town is not None:
        town.remember_hosts(hosts)
    return town


def _municipality_by_pk(pk: int) -> Municipality | None:
    key = f"paco:tenancy:m:{_generation()}:{pk}"
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
