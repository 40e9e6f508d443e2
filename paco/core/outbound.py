"""Outgoing HTTP to addresses people configure (webhooks): never into the server's own network.

A receiver URL, or a redirect it answers with, could point at the loopback
interface, the municipality's private network, the cloud metadata service
(169.254.169.254) or anything else only the server can reach. So:

- the address is checked **when connecting**, after resolution, for every hop
  including the first: the socket is opened to the very IP that passed the check
  (the ``Host`` header and TLS name stay the URL's), so a DNS answer that changes
  between a check and the connection (DNS rebinding) cannot slip through;
- loopback, private, shared (CGNAT), link-local, multicast, reserved and
  unspecified addresses are refused (IPv4-mapped IPv6 included);
  ``allow_internal`` lets the *first* hop reach them (a receiver on the town's
  intranet, ``PACO_WEBHOOK_ALLOW_INTERNAL``), never a redirect;
- only ``http`` and ``https``: other schemes fail with :class:`UnsupportedURL`;
- headers named ``sensitive`` (the webhook signature) are dropped when a
  redirect leaves the first URL's origin (scheme, host and port);
- at most :data:`MAX_REDIRECTS` redirects; no proxy from the environment.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import IO, Any
from urllib.parse import urlsplit

SCHEMES = ("http", "https")
MAX_REDIRECTS = 3


class UnsupportedURL(ValueError):
    """A URL Paço will not request (scheme other than http/https, or no host)."""


class BlockedAddress(urllib.error.URLError):
    """The host resolved only to addresses of the server's own networks."""


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(ip: IPAddress) -> bool:
    """Whether ``ip`` is a globally routed unicast address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    internal = (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
    return ip.is_global and not internal


def _connect(address: tuple[str, int], timeout: Any, *, allow_internal: bool) -> socket.socket:
    """Resolve, keep only allowed addresses, and connect to one of them."""
    host, port = address
    error: OSError = BlockedAddress(f"{host} resolve só para endereços internos")
    for family, kind, proto, _name, sockaddr in socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM
    ):
        ip = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not allow_internal and not is_public(ip):
            continue
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)
            sock.connect(sockaddr)
        except OSError as exc:
            sock.close()
            error = exc
            continue
        return sock
    raise error


class _CheckedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, allow_internal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_checked_create, allow_internal=allow_internal)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, allow_internal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_checked_create, allow_internal=allow_internal)


def _checked_create(
    address: tuple[str, int],
    timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
    source_address: Any = None,
    *,
    allow_internal: bool,
) -> socket.socket:
    return _connect(address, timeout, allow_internal=allow_internal)


def _allow_internal(req: urllib.request.Request) -> bool:
    return bool(getattr(req, "paco_allow_internal", False))


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_CheckedHTTPConnection, allow_internal=_allow_internal(req))
        return self.do_open(factory, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        factory = functools.partial(_CheckedHTTPSConnection, allow_internal=_allow_internal(req))
        return self.do_open(factory, req, context=ssl.create_default_context())


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, (parts.hostname or ""), parts.port or default


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in SCHEMES:
            raise urllib.error.HTTPError(
                newurl, code, "redirecionamento para esquema não suportado", headers, fp
            )
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is None:
            return None
        sensitive: Iterable[str] = getattr(req, "paco_sensitive", ())
        if origin(newurl) != origin(req.full_url):
            for name in sensitive:
                new.remove_header(name.capitalize())
        else:
            new.paco_sensitive = tuple(sensitive)  # type: ignore[attr-defined]
        return new  # a fresh Request: no ``paco_allow_internal``, redirects stay public


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        _HTTPHandler(),
        _HTTPSHandler(),
        _RedirectHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        opener.add_handler(handler)
    return opener


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise UnsupportedURL(f"endereço não suportado (só http:// e https://): {url!r}")


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    timeout: float,
    allow_internal: bool = False,
    sensitive: Iterable[str] = (),
) -> int:
    """POST ``body``; the final HTTP status. Raises ``HTTPError`` for ≥ 400, ``OSError``
    when no allowed address answers, :class:`UnsupportedURL` for a scheme not served."""
    check_url(url)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    request.paco_allow_internal = allow_internal  # type: ignore[attr-defined]
    request.paco_sensitive = tuple(sensitive)  # type: ignore[attr-defined]
    with _opener().open(request, timeout=timeout) as response:
        return int(response.status)
