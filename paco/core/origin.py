"""The address Paço writes into absolute links: the municipality's, never the visitor's choice.

Django builds absolute URLs (``build_absolute_uri``, feeds, the sitemap, the
password-reset e-mail) from the request's ``Host`` header, port included. That
header is the client's to write: with it an attacker could get a reset link
pointing at their own port or a page cached with their host in it for everyone.

:class:`CanonicalHostMiddleware`, first in the chain after the page cache's hit path
(:mod:`paco.core.cache`, which computes the same host for its key), replaces the ``Host`` of
every request that belongs to a municipality with :func:`public_host`:

- the host *name* the visitor used when it is one of the municipality's
  configured host names (``Municipality.hosts``), otherwise the first of them
  (a single-town install with no host names falls back to the concrete entries of
  ``PACO_ALLOWED_HOSTS``);
- the *port* never from the request: behind a reverse proxy
  (``PACO_BEHIND_PROXY``) the scheme's default, otherwise the port the server
  really listens on (``SERVER_PORT``, set by the WSGI server, not by the client).

``X-Forwarded-Host`` is dropped (``USE_X_FORWARDED_HOST`` is off). Every later
reader of ``request.get_host()`` — routing, CSRF, the SSL redirect, Django's
syndication and sitemaps, :func:`absolute_url` — therefore sees the same
canonical host, and the page cache keys on it. Outside a request (webhooks,
e-mails sent by tasks) :func:`town_root` gives the same address.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from paco.tenancy.middleware import resolve_municipality
from paco.tenancy.models import Municipality

FORWARDED_HOST = "HTTP_X_FORWARDED_HOST"


def _concrete_allowed_hosts() -> list[str]:
    return [h.lower() for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]


def _candidates(town: Municipality | None) -> list[str]:
    hosts = town.host_list() if town is not None else []
    return hosts or _concrete_allowed_hosts()


def canonical_host(request: HttpRequest, town_hosts: list[str], host: str = "") -> str:
    """:func:`public_host` from the town's host names alone (the page cache's hit path);
    ``host``: ``request.get_host()`` when the caller has it already."""
    name, _ = split_domain_port(host or request.get_host())
    candidates = town_hosts or _concrete_allowed_hosts()
    if name not in candidates:
        name = candidates[0] if candidates else name
    port = _public_port(request)
    return f"{name}:{port}" if port else name


def _public_port(request: HttpRequest) -> str:
    if settings.PACO_BEHIND_PROXY:
        return ""
    port = str(request.META.get("SERVER_PORT", ""))
    default = "443" if request.is_secure() else "80"
    return "" if port in ("", default) else port


def public_host(request: HttpRequest, town: Municipality | None) -> str:
    """``name[:port]`` for links to ``town`` made while answering ``request``."""
    return canonical_host(request, town.host_list() if town is not None else [])


def absolute_url(request: HttpRequest, path: str) -> str:
    """``scheme://canonical-host`` + ``path`` (the request's Host is canonical already)."""
    return request.build_absolute_uri(path)


def town_root(town: Municipality) -> str:
    """``scheme://host`` of the town's public site, for links made outside a request."""
    hosts = _candidates(town) or ["localhost"]
    scheme = "https" if settings.PRODUCTION else "http"
    return f"{scheme}://{hosts[0]}"


class CanonicalHostMiddleware:
    """Rewrites ``Host`` to the municipality's :func:`public_host` before anyone reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop(FORWARDED_HOST, None)
        town = resolve_municipality(request.get_host())
        if town is not None:
            request.META["HTTP_HOST"] = public_host(request, town)
        return self.get_response(request)
