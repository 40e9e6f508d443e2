"""One rule for the client's address (paco.core.clientip), used by audit, limits and lockout.

Behind the documented proxy the peer is always 127.0.0.1 and the real client is
the address the proxy appended to X-Forwarded-For. Without a proxy configured,
forwarded headers are ignored whatever they say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpRequest
from django.test import Client, RequestFactory, override_settings

from paco.accounts.tests.helpers import PASSWORD, login
from paco.audit.models import AuditEntry
from paco.core.clientip import compute_client_ip
from paco.datarequests import ratelimit
from paco.datarequests.models import DataRequest
from paco.datarequests.tests.test_request_form import FORM

PROXY = "127.0.0.1"
behind_proxy = override_settings(PACO_BEHIND_PROXY=True, PACO_TRUSTED_PROXIES=1)


def _request(peer: str, forwarded: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=peer)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def proxied(client_address: str, spoofed: str = "") -> Client:
    """A client whose requests reach Paço through one proxy that appends its peer."""
    chain = f"{spoofed}, {client_address}" if spoofed else client_address
    return Client(HTTP_HOST="x.paco.test", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=chain)


def test_without_proxy_forwarded_headers_change_nothing():
    assert compute_client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@behind_proxy
def test_behind_one_proxy_the_last_hop_is_the_client_and_a_spoofed_lead_is_ignored():
    assert compute_client_ip(_request(PROXY, "203.0.113.9")) == "203.0.113.9"
    assert compute_client_ip(_request(PROXY, "6.6.6.6, 203.0.113.9")) == "203.0.113.9"
    assert compute_client_ip(_request(PROXY, " 6.6.6.6 ,2001:db8::1 ")) == "2001:db8::1"


@override_settings(PACO_BEHIND_PROXY=True, PACO_TRUSTED_PROXIES=2)
def test_two_trusted_proxies_take_the_second_address_from_the_right():
    assert compute_client_ip(_request(PROXY, "6.6.6.6, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


@behind_proxy
def test_missing_or_garbage_header_falls_back_to_the_peer():
    assert compute_client_ip(_request(PROXY)) == PROXY
    assert compute_client_ip(_request(PROXY, "")) == PROXY
    assert compute_client_ip(_request(PROXY, "1.2.3.4, not-an-address")) == PROXY


@behind_proxy
def test_lockout_counts_the_real_client_not_the_proxy(anon_x, admin_x):
    attacker = proxied("203.0.113.66")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(attacker, "admin_x", "senha-errada-de-proposito")
    assert login(attacker, "admin_x", PASSWORD).status_code == 429
    # The real user, through the same proxy, is not locked out by someone else.
    assert login(proxied("198.51.100.7"), "admin_x", PASSWORD).status_code == 302


@behind_proxy
def test_lockout_cannot_be_dodged_by_a_spoofed_forwarded_header(anon_x, admin_x):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(proxied("203.0.113.66", spoofed=f"10.0.0.{n}"), "admin_x", "errada")
    assert (
        login(proxied("203.0.113.66", spoofed="10.9.9.9"), "admin_x", PASSWORD).status_code == 429
    )


def test_spoofed_header_without_proxy_does_not_dodge_the_lockout(anon_x, admin_x):
    for n in range(settings.AXES_FAILURE_LIMIT):
        spoof = Client(HTTP_HOST="x.paco.test", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        login(spoof, "admin_x", "errada")
    spoof = Client(HTTP_HOST="x.paco.test", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert login(spoof, "admin_x", PASSWORD).status_code == 429


@behind_proxy
def test_data_request_limit_is_per_real_client(town_x, monkeypatch):
    monkeypatch.setattr(ratelimit, "LIMIT", 2)
    first = proxied("203.0.113.10")
    assert [first.post("/dados/pedidos/novo/", FORM).status_code for _ in range(3)] == [
        302,
        302,
        429,
    ]
    assert proxied("203.0.113.11").post("/dados/pedidos/novo/", FORM).status_code == 302
    assert DataRequest.objects.count() == 3


@behind_proxy
def test_audit_entries_carry_the_real_client(town_x):
    assert (
        proxied("203.0.113.10", spoofed="6.6.6.6").post("/dados/pedidos/novo/", FORM).status_code
        == 302
    )
    entry = AuditEntry.objects.filter(action__startswith="datarequest").latest("pk")
    assert entry.ip_address == "203.0.113.10"


# --- the rule lives in one place ------------------------------------------------------
PACO = Path(__file__).resolve().parents[2]
ALLOWED = {PACO / "core" / "clientip.py"}
RAW_READ = re.compile(r"REMOTE_ADDR|X_FORWARDED_FOR|X-Forwarded-For", re.IGNORECASE)


def _sources() -> list[Path]:
    return [
        p
        for p in PACO.rglob("*.py")
        if "tests" not in p.parts and "browser_tests" not in p.parts and p not in ALLOWED
    ]


def test_only_clientip_reads_the_peer_or_forwarded_for():
    sources = _sources()
    assert len(sources) > 50  # the walk really walked
    offenders = [
        f"{p.relative_to(PACO)}:{n}"
        for p in sources
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if RAW_READ.search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize("setting", ["AXES_CLIENT_IP_CALLABLE"])
def test_axes_asks_clientip(setting):
    assert getattr(settings, setting) == "paco.core.clientip.client_ip"
