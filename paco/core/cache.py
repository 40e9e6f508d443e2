"""Whole-page cache for anonymous visitors, per municipality.

Public pages (the charter, the plan, the BNSP export) are read far more often
than they change. Views marked with :func:`public_page` have the response of an
anonymous ``GET`` kept by :class:`PublicPageCacheMiddleware` in Django's cache,
under a key made of the municipality (from the host name), its
*content version*, the settings the response headers come from, the
high-contrast preference, today's date (overdue stages change at midnight) and
the scheme, canonical host and full path. The middleware is the first of the
chain, so a hit costs a few cache reads and nothing else (figures in
``bench/RESULTS.md``).

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

import datetime as dt
import functools
import hashlib
import time
from collections.abc import Callable
from importlib import metadata
from typing import Any, TypeVar, cast

import django
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from paco.core.origin import canonical_host
from paco.tenancy.middleware import town_hosts
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
        and not request.path_info.startswith(settings.STATIC_URL)  # WhiteNoise's, never cached
    )


# Settings the stored headers (and whether a page is served at all) depend on. Entries
# live in the shared cache across restarts; a changed setting gives them a new key, so a
# hit never carries the headers of an older configuration.
_CONFIGURATION = (
    "ALLOWED_HOSTS",
    "CONTENT_SECURITY_POLICY",
    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
    "LANGUAGE_CODE",
    "PACO_BEHIND_PROXY",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_REFERRER_POLICY",
    "SECURE_SSL_HOST",
    "SECURE_SSL_REDIRECT",
    "STATIC_URL",
    "X_FRAME_OPTIONS",
)
_configuration_memo: tuple[object, str] | None = None


def _configuration() -> str:
    """A digest of :data:`_CONFIGURATION` and Paço's version, computed once per settings."""
    global _configuration_memo
    current = cast(Any, settings)._wrapped  # a new object whenever settings are overridden
    memo = _configuration_memo
    if memo is None or memo[0] is not current:
        values = [repr(getattr(settings, name, None)) for name in _CONFIGURATION]
        values.append(_version())
        memo = (current, hashlib.sha256("\n".join(values).encode()).hexdigest()[:12])
        _configuration_memo = memo
    return memo[1]


def _version() -> str:
    """Paço's and Django's versions: an upgrade may change pages and how headers are kept."""
    try:
        paco = metadata.version("paco")
    except metadata.PackageNotFoundError:  # pragma: no cover — a source tree not installed
        paco = "?"
    return f"{paco} {django.__version__}"


_today_memo: tuple[float, str, str] = (0.0, "", "")  # (valid until, time zone, date)


def _today() -> str:
    """Today's local date (ISO), worked out again only after the next local midnight."""
    global _today_memo
    until, zone, today = _today_memo
    now = time.time()
    if now >= until or zone != settings.TIME_ZONE:
        local = timezone.localtime()
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        until = (midnight + dt.timedelta(days=1)).timestamp()  # wall-clock: the next midnight
        today = local.date().isoformat()
        _today_memo = (until, settings.TIME_ZONE, today)
    return today


def _page_key(request: HttpRequest) -> str | None:
    """The entry of this request's page, or None when no municipality answers its host."""
    asked = request.get_host()  # checked against ALLOWED_HOSTS, as the rest of the chain does
    found = town_hosts(asked)
    if found is None:
        return None
    town_id, hosts = found
    contrast = "hc" if request.COOKIES.get("contraste") == "alto" else "n"
    # The canonical host (paco.core.origin), as CanonicalHostMiddleware will make it: links
    # in the page are the municipality's whatever Host the first visitor sent; scheme and
    # host name still vary the absolute links, so they are part of the key.
    host = canonical_host(request, hosts, asked)
    where = f"{request.scheme}://{host}{request.get_full_path()}"
    path = hashlib.sha256(where.encode()).hexdigest()[:32]
    version = content_version(town_id)
    config = _configuration()
    return f"paco:page{_FORMAT}:{town_id}:{version}:{config}:{contrast}:{_today()}:{path}"


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
    """First in the chain: serves marked pages to anonymous visitors from the cache.

    A hit answers before any other middleware runs: three reads of the shared cache
    (the host map's generation, the town's content version, the page). On a miss the
    response is stored as it leaves the whole chain, so a hit carries exactly the
    headers the full stack gave it — the security middleware's (HSTS on HTTPS,
    nosniff, referrer and opener policies) as well as CSP, X-Frame-Options, Vary and
    Content-Language — except ``Date`` and ``Content-Length``, which are the hit's own.

    What the skipped middleware would have decided is in the key: the municipality
    and canonical host the tenancy and host middleware would resolve, the scheme (an
    HTTP request that the security middleware redirects to HTTPS never has a stored
    200), the settings the headers come from (:func:`_configuration`). Requests with a
    session cookie, other methods and static files go down the chain untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = _page_key(request) if _cacheable_request(request) else None
        if key is not None:
            hit = cache.get(key)
            if hit is not None:
                return _from_cache(*hit)
        response = self.get_response(request)
        if key is not None and _storable(request, response):
            cache.set(key, _for_cache(response), settings.PACO_PAGE_CACHE_SECONDS)
            response["X-Paco-Cache"] = "miss"
        return response


_NOT_STORED = {"content-length", "date", "x-paco-cache"}
_FORMAT = "2"  # of the stored value (:func:`_for_cache`): entries of another format are not read


def _for_cache(response: HttpResponse) -> tuple[dict[str, tuple[str, str]], bytes]:
    """The response's headers as Django keeps them (already checked and encoded when they
    were set), with the hit marker, and its body."""
    store = response.headers._store
    headers = {k: v for k, v in store.items() if k not in _NOT_STORED}
    headers["x-paco-cache"] = ("X-Paco-Cache", "hit")
    return headers, response.content


def _from_cache(headers: dict[str, tuple[str, str]], content: bytes) -> HttpResponse:
    response = HttpResponse(content)
    store = response.headers._store
    store.update(headers)
    # a length, so the server sends the body as it is instead of in chunks
    store["content-length"] = ("Content-Length", str(len(content)))
    return response
