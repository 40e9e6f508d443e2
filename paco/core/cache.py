"""Whole-page cache for anonymous visitors, per municipality.

Public pages (the charter, the plan, the BNSP export) are read far more often
than they change. :func:`public_page` keeps the rendered response of an
anonymous ``GET`` in Django's cache, under a key made of the municipality, its
*content version*, the high-contrast preference, today's date (overdue stages
change at midnight) and the full path.

The content version is bumped after every committed change to that
municipality's data: :func:`paco.audit.services.record`, which every action
calls, schedules :func:`invalidate_public_pages` on commit. So a servant's edit
shows on the next request, with no per-page invalidation rules to keep in sync.

``PACO_PAGE_CACHE_SECONDS`` (default 300; 0 turns the cache off, as the unit
tests do except those of this module) bounds how long a page may be served.

Nothing personal is ever cached: requests carrying a session cookie, responses
that set cookies or used a CSRF token, and non-200 responses pass through.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from paco.tenancy.models import Municipality

V = TypeVar("V", bound=Callable[..., HttpResponse])

_KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Content-Language",
    "Link",
    "Access-Control-Allow-Origin",
)


def _version_key(municipality_id: int) -> str:
    return f"paco:content-version:{municipality_id}"


def content_version(municipality_id: int) -> str:
    version = cache.get(_version_key(municipality_id))
    if version is None:
        version = str(time.time_ns())
        cache.add(_version_key(municipality_id), version, None)
        version = cache.get(_version_key(municipality_id), version)
    return str(version)


def invalidate_public_pages(municipality: Municipality | int | None) -> None:
    """Make every cached public page of ``municipality`` stale."""
    if municipality is None:
        return
    pk = municipality if isinstance(municipality, int) else municipality.pk
    cache.set(_version_key(pk), str(time.time_ns()), None)


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PACO_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(request, "municipality", None) is not None
    )


def _page_key(request: HttpRequest) -> str:
    town = cast(Municipality, request.municipality)  # type: ignore[attr-defined]
    contrast = "hc" if request.COOKIES.get("contraste") == "alto" else "n"
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    today = timezone.localdate().isoformat()
    return f"paco:page:{town.pk}:{content_version(town.pk)}:{contrast}:{today}:{path}"


def public_page(view: V | None = None) -> Any:
    """Decorator: cache the view's response for anonymous visitors (see module docs)."""

    def decorate(func: V) -> V:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable_request(request):
                return func(request, *args, **kwargs)
            key = _page_key(request)
            hit = cache.get(key)
            if hit is not None:
                status, headers, content = hit
                response = HttpResponse(content, status=status)
                for name, value in headers.items():
                    response[name] = value
                response["X-Paco-Cache"] = "hit"
                return response
            response = func(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                headers = {h: response[h] for h in _KEPT_HEADERS if h in response}
                cache.set(key, (200, headers, response.content), settings.PACO_PAGE_CACHE_SECONDS)
                response["X-Paco-Cache"] = "miss"
            return response

        return cast(V, wrapper)

    if view is not None:
        return decorate(view)
    return decorate
