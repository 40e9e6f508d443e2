"""Requests to open a database in chromium: axe, CSP and structure of the public pages, and
the form submitted without JavaScript landing on the requester's tracking page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import Visitor, listing, problems_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tracked(demo_site: DemoSite, django_db_blocker: Any) -> dict[str, str]:
    from paco.datarequests import actions, notify
    from paco.tenancy.models import Municipality

    with django_db_blocker.unblock():
        town = Municipality.objects.first()
        assert town is not None
        with notify.muted():
            data_request, token = actions.submit_request(
                town, title="Horários das linhas de ônibus", description="Por linha e dia.",
                name="Pessoa de Teste", email="teste@exemplo.org", hide_identity=True,
            )  # fmt: skip
    return {"protocol": data_request.protocol, "token": token}


@pytest.fixture(scope="module")
def visitor(browser: Any, demo_site: DemoSite) -> Iterator[Visitor]:
    desktop = Visitor(browser, demo_site.base_url)
    yield desktop
    desktop.close()


def test_request_pages_are_accessible(visitor: Visitor, tracked: dict[str, str]) -> None:
    paths = [
        "/dados/pedidos/",
        "/dados/pedidos/novo/",
        "/dados/pedidos/acompanhar/",
        f"/dados/pedidos/{tracked['protocol']}/",
        f"/dados/pedidos/acompanhar/{tracked['token']}/",
    ]
    problems = {}
    for path in paths:
        found = problems_of(visitor.visit(path))
        if found:
            problems[path] = found
    assert not problems, "Problemas nas páginas de pedidos:" + listing(problems)


def test_request_pages_fit_a_small_phone(
    browser: Any, demo_site: DemoSite, tracked: dict[str, str]
) -> None:
    """At 320 px nothing but the tables' own scrollable regions scrolls sideways."""
    phone = Visitor(browser, demo_site.base_url, width=320, height=640)
    problems: dict[str, list[str]] = {}
    try:
        for path in ("/dados/pedidos/", "/dados/pedidos/novo/",
                     f"/dados/pedidos/{tracked['protocol']}/",
                     f"/dados/pedidos/acompanhar/{tracked['token']}/"):  # fmt: skip
            report = phone.visit(path, axe=False, check_skip_link=False)
            overflow = phone.page.evaluate(
                "document.scrollingElement.scrollWidth - window.innerWidth"
            )
            if report.status != 200 or overflow > 0:
                problems[path] = [f"status {report.status}, {overflow}px de rolagem horizontal"]
    finally:
        phone.close()
    assert not problems, "Pedidos num celular de 320 px:" + listing(problems)


def test_form_works_without_javascript(browser: Any, demo_site: DemoSite) -> None:
    no_js = Visitor(browser, demo_site.base_url, javascript=False)
    try:
        page = no_js.page
        page.goto(no_js.url("/dados/pedidos/novo/"))
        page.get_by_label("Que base de dados você quer que seja aberta?").fill("Frota")
        page.get_by_label("Descreva o que você precisa").fill("Placas e consumo por mês.")
        page.get_by_label("Seu nome").fill("Ana Teste")
        page.get_by_label("Seu e-mail").fill("ana@exemplo.org")
        page.get_by_label("Preservar minha identidade").check()
        assert not page.locator("#id_website").is_visible()  # the honeypot
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Enviar pedido").click()
        assert "/dados/pedidos/acompanhar/" in page.url
        text = page.locator("main").inner_text()
        assert "Pedido registrado com o protocolo DA-" in text
        assert "ana@exemplo.org" in text
    finally:
        no_js.close()
