"""The visitor's address: the one place Paço decides where a request comes from.

Without ``PACO_BEHIND_PROXY`` the client is the peer of the connection
(``REMOTE_ADDR``) and every forwarded header is ignored: anyone can write
``X-Forwarded-For``, so believing it would let a visitor pick the address that
rate limits, the login lockout and the audit trail see.

With ``PACO_BEHIND_PROXY`` the peer is our own reverse proxy. Each trusted proxy
*appends* the address it received the connection from to ``X-Forwarded-For``
(nginx ``$proxy_add_x_forwarded_for``, Caddy, load balancers), so with
``PACO_TRUSTED_PROXIES = N`` hops the client is the N-th address from the right:
whatever the client wrote itself sits further left and is never read. A header
that is missing, too short or not an address falls back to ``REMOTE_ADDR``.

:class:`ClientAddressMiddleware` computes it once per request; audit entries,
rate limits (:mod:`paco.core.ratelimit`) and django-axes
(``AXES_CLIENT_IP_CALLABLE``) all read it through :func:`client_ip`. A test
checks that no other module reads ``REMOTE_ADDR`` or ``X-Forwarded-For``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ATTRIBUTE = "paco_client_ip"
PEER = "REMOTE_ADDR"
FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def compute_client_ip(request: HttpRequest) -> str:
    """The client's address by the rule above (no caching)."""
    peer = str(request.META.get(PEER, ""))
    if not settings.PACO_BEHIND_PROXY:
        return peer
    hops = [h for h in str(request.META.get(FORWARDED_FOR, "")).split(",") if h.strip()]
    trusted = settings.PACO_TRUSTED_PROXIES
    if len(hops) < trusted:
        return peer
    return _address(hops[-trusted]) or peer


def client_ip(request: HttpRequest) -> str:
    """The client's address, computed once per request."""
    known = getattr(request, ATTRIBUTE, None)
    if known is None:
        known = compute_client_ip(request)
        setattr(request, ATTRIBUTE, known)
    return str(known)


class ClientAddressMiddleware:
    """Settles the client's address before anything that uses it looks at the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        client_ip(request)
        return self.get_response(request)
