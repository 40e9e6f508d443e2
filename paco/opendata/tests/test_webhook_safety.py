"""Webhooks cannot be turned against the server's own network (paco.core.outbound).

Receivers are real HTTP servers on 127.0.0.1; no external network. Loopback
stands for every internal address: the check is the same function
(``outbound.is_public``), whose table is tested separately.
"""

from __future__ import annotations

import ipaddress
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from paco.core import outbound
from paco.opendata.portal import webhooks

SECRET = "segredo-dos-webhooks"
SIGNATURE = webhooks.SIGNATURE_HEADER


class Server:
    """Records every request; answers ``redirect_to`` (with ``code``) or 204."""

    def __init__(self, redirect_to: str | None = None, code: int = 302) -> None:
        self.received: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                outer.received.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                target = outer.redirect_to
                if target and self.path == "/gancho":
                    self.send_response(code)
                    self.send_header("Location", target)
                else:
                    self.send_response(204)
                self.end_headers()

            do_POST = do_GET = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.redirect_to = redirect_to
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.port}/gancho"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    made: list[Server] = []
    yield made
    for server in made:
        server.close()


def serve(servers: list[Server], **kwargs: Any) -> Server:
    server = Server(**kwargs)
    servers.append(server)
    return server


@pytest.fixture(autouse=True)
def _secret(settings) -> None:
    settings.PACO_WEBHOOK_SECRET = SECRET
    settings.PACO_WEBHOOK_TIMEOUT_SECONDS = 5
    settings.PACO_WEBHOOK_ALLOW_INTERNAL = False


def test_an_internal_receiver_is_refused_by_default(servers, caplog):
    target = serve(servers)
    with caplog.at_level(logging.WARNING):
        assert webhooks.deliver.call(target.url, "dataset.changed", "{}") == 0
        # a name is resolved and checked at connection time too
        by_name = f"http://localhost:{target.port}/gancho"
        assert webhooks.deliver.call(by_name, "dataset.changed", "{}") == 0
    assert target.received == []
    assert "não entregue" in caplog.text


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_to_an_internal_address_is_never_followed(servers, settings, code):
    settings.PACO_WEBHOOK_ALLOW_INTERNAL = True  # the first hop is the town's intranet tool
    internal = serve(servers)
    first = serve(servers, redirect_to=f"http://127.0.0.1:{internal.port}/admin", code=code)
    status = webhooks.deliver.call(first.url, "dataset.changed", "{}")
    assert len(first.received) == 1
    assert internal.received == []
    assert status in {0, code}


def test_a_redirect_by_name_to_loopback_is_never_followed(servers, settings):
    settings.PACO_WEBHOOK_ALLOW_INTERNAL = True
    internal = serve(servers)
    first = serve(servers, redirect_to=f"http://localhost:{internal.port}/admin")
    webhooks.deliver.call(first.url, "dataset.changed", "{}")
    assert internal.received == []


def _all_addresses_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test override: loopback stands for a public receiver, to watch headers on redirects."""
    monkeypatch.setattr(outbound, "is_public", lambda ip: True)


def test_the_signature_does_not_follow_a_redirect_to_another_origin(servers, monkeypatch):
    _all_addresses_public(monkeypatch)
    elsewhere = serve(servers)
    first = serve(servers, redirect_to=f"http://127.0.0.1:{elsewhere.port}/outro")
    webhooks.deliver.call(first.url, "dataset.changed", "{}")
    assert SIGNATURE in first.received[0]["headers"]
    (hop,) = elsewhere.received
    assert SIGNATURE not in hop["headers"]
    assert webhooks.EVENT_HEADER not in hop["headers"]


def test_a_same_origin_redirect_keeps_the_signature(servers, monkeypatch):
    _all_addresses_public(monkeypatch)
    first = serve(servers)
    first.redirect_to = f"http://127.0.0.1:{first.port}/novo-gancho"
    webhooks.deliver.call(first.url, "dataset.changed", "{}")
    assert [r["path"] for r in first.received] == ["/gancho", "/novo-gancho"]
    assert SIGNATURE in first.received[1]["headers"]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/gancho",
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/",
        "javascript:alert(1)",
        "nada-de-url",
        "http://",
        "http:///sem-host",
    ],
)
def test_an_unsupported_url_is_a_logged_failure(url, caplog):
    with caplog.at_level(logging.WARNING):
        assert webhooks.deliver.call(url, "dataset.changed", "{}") == 0
    assert "não entregue" in caplog.text


def test_a_redirect_to_another_scheme_is_a_logged_failure(servers, settings, caplog):
    settings.PACO_WEBHOOK_ALLOW_INTERNAL = True
    first = serve(servers, redirect_to="file:///etc/passwd")
    with caplog.at_level(logging.WARNING):
        assert webhooks.deliver.call(first.url, "dataset.changed", "{}") == 302
    assert "respondeu 302" in caplog.text


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.10", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # shared address space (CGNAT)
        ("0.0.0.0", False),  # noqa: S104 - the address under test
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("255.255.255.255", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("8.8.8.8", True),
        ("200.160.2.3", True),
        ("2001:4860:4860::8888", True),
    ],
)
def test_address_table(address, public):
    assert outbound.is_public(ipaddress.ip_address(address)) is public
