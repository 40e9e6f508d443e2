"""Absolute links and cached pages use the municipality's host, never the client's Host or port.

A hostile ``Host: x.paco.test:6666`` (Django accepts any port of an allowed
name), an unconfigured name a wildcard allows, or an ``X-Forwarded-Host`` behind
the proxy must not reach a password-reset e-mail, a feed, the sitemap, a
DCAT/CKAN answer or a page another visitor gets from the cache.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

HOSTILE = [
    {"HTTP_HOST": "x.paco.test:6666"},
    {"HTTP_HOST": "evil.paco.test"},  # allowed by the test wildcard, not a host of X
    {"HTTP_HOST": "x.paco.test", "HTTP_X_FORWARDED_HOST": "evil.example:6666"},
]
EVIL = re.compile(r"6666|evil\.")

#: every output that writes absolute links
LINKED = [
    "/dados/feeds/conjuntos.atom",
    "/dados/feeds/servicos.atom",
    "/sitemap.xml",
    "/catalog.ttl",
    "/catalog.jsonld",
    "/dataset/despesas.ttl",
    "/dataset/despesas/",
    "/dataset/despesas/datapackage.json",
    "/api/3/action/package_show?id=despesas",
    "/api/3/action/status_show",
    "/api/v1/openapi.json",
    "/api/bnsp/servicos.json",
]


@pytest.fixture
def town(town_x, unit_x_a):
    publish_table(town_x, unit_x_a)
    return town_x


@pytest.mark.parametrize("headers", HOSTILE)
@pytest.mark.parametrize("behind_proxy", [False, True])
def test_no_output_links_to_the_clients_host(town, headers, behind_proxy):
    with override_settings(PACO_BEHIND_PROXY=behind_proxy):
        client = Client(**headers)
        for path in LINKED:
            response = client.get(path)
            assert response.status_code == 200, path
            body = response.content.decode()
            assert "x.paco.test" in body or path.endswith("servicos.json"), path
            assert not EVIL.search(body), path


@pytest.mark.parametrize("headers", HOSTILE)
def test_password_reset_link_uses_the_towns_host(
    town, admin_x, headers, django_capture_on_commit_callbacks
):
    admin_x.email = "admin@x.paco.test"
    admin_x.save()
    with (
        override_settings(PACO_BEHIND_PROXY=True),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = Client(**headers).post("/conta/senha/esqueci/", {"email": "admin@x.paco.test"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert "x.paco.test/conta/senha/redefinir/" in message.body
    assert not EVIL.search(message.body)


def test_the_real_listening_port_stays_without_a_proxy(town):
    """A dev server on :8000 (SERVER_PORT is the socket's, not the client's)."""
    response = Client(HTTP_HOST="x.paco.test:6666").get("/sitemap.xml", SERVER_PORT="8000")
    assert "http://x.paco.test:8000/" in response.content.decode()


@override_settings(PACO_PAGE_CACHE_SECONDS=60)
def test_a_poisoned_first_visit_does_not_reach_the_cache(town):
    for headers in HOSTILE:
        Client(**headers).get("/dataset/despesas/")
    response = Client(HTTP_HOST="x.paco.test").get("/dataset/despesas/")
    assert response["X-Paco-Cache"] == "hit"  # the cache is in play
    assert not EVIL.search(response.content.decode())


def test_only_origin_reads_the_host_headers():
    """Everything else asks ``request.get_host()``, which the middleware made canonical."""
    from pathlib import Path

    paco = Path(__file__).resolve().parents[2]
    allowed = {paco / "core" / "origin.py"}
    offenders = [
        f"{p.relative_to(paco)}:{n}"
        for p in paco.rglob("*.py")
        if "tests" not in p.parts and p.name != "conftest.py" and p not in allowed
        for n, line in enumerate(p.read_text().splitlines(), 1)
        if re.search(r"HTTP_HOST|X_FORWARDED_HOST|USE_X_FORWARDED", line)
    ]
    assert offenders == []
