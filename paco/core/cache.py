"""Whole-page cache for anonymous visitors, per municipality.

Public pages (the charter, the plan, the BNSP export) are read far more often
than they change. Views marked with :func:`public_page` have the response of an
anonymous ``GET`` kept by :class:`PublicPageCacheMiddleware` in Django's cache,
under a key made of the municipality (from the host name), its
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

from paco.tenancy.middleware import resolve_municipality
from paco.tenancy.models import Municipality

V = TypeVar("V", bound=Callable[..., HttpResponse])


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
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def _page_key(town_id: int, request: HttpRequest) -> str:
    contrast = "hc" if request.COOKIES.get("contraste") == "alto" else "n"
    # get_host() is the canonical host (paco.core.origin), so links in the page are the
    # municipality's whatever Host the first visitor sent; scheme and host name still
    # vary the absolute links, so they are part of the key.
    where = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    path = hashlib.sha256(where.encode()).hexdigest()[:32]
    today = timezone.localdate().isoformat()
    return f"paco:page:{town_id}:{content_version(town_id)}:{contrast}:{today}:{path}"


def public_page(view: V) -> V:
    """Decorator: mark the view's responses as the same for every anonymous visitor."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.paco_public = True  # type: ignore[attr-defined]
        return response

    return cast(V, wrapper)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        getattr(response, "paco_public", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


class PublicPageCacheMiddleware:
    """Serves marked pages to anonymous visitors from the cache, early in the chain.

    It sits right after the security and static-file middleware: a hit skips the
    session, authentication, CSRF and tenancy layers it does not need, while the
    stored headers keep what the inner middleware added on the miss (CSP,
    X-Frame-Options, Content-Language…).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = None
        if _cacheable_request(request):
            town = resolve_municipality(request.get_host())
            if town is not None:
                key = _page_key(town.pk, request)
                hit = cache.get(key)
                if hit is not None:
                    headers, content = hit
                    response = HttpResponse(content)
                    for name, value in headers:
                        response[name] = value
                    response["X-Paco-Cache"] = "hit"
                    return response
        response = self.get_response(request)
        if key is not None and _storable(request, response):
            headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED]
            cache.set(key, (headers, response.content), settings.PACO_PAGE_CACHE_SECONDS)
            response["X-Paco-Cache"] = "miss"
        return response


_NOT_STORED = {"content-length", "date", "x-paco-cache"}
