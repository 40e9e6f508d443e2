"""Citizens in chromium at 390 px: sign up and confirm the e-mail; log in through the test
OpenID Connect provider (a real one, its own process) and out again; axe on every citizens'
page, normal and high contrast."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import Visitor, listing, problems_of

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
ADMIN_PASSWORD = "Senha-do-admin-2025"  # noqa: S105 (a test account)


def check(visitor: Visitor, paths: list[str]) -> dict[str, list[str]]:
    """axe and the suite's page checks on each path, normal and high contrast."""
    problems: dict[str, list[str]] = {}
    for contrast in ("", "alto"):
        visitor.context.clear_cookies(name="contraste")
        if contrast:
            visitor.context.add_cookies(
                [{"name": "contraste", "value": contrast, "url": visitor.base_url}]
            )
        for path in paths:
            found = problems_of(visitor.visit(path))
            if found:
                problems[f"{path} {contrast}".strip()] = found
    visitor.context.clear_cookies(name="contraste")
    return problems


@pytest.fixture
def phone(browser: Any, demo_site: DemoSite) -> Iterator[Visitor]:
    visitor = Visitor(browser, demo_site.base_url, width=WIDTH, height=HEIGHT)
    yield visitor
    visitor.close()


def test_sign_up_confirm_and_the_account_pages(phone: Visitor) -> None:
    from django.core import mail

    page = phone.page
    assert not (found := check(phone, ["/conta/cadastro/", "/conta/acesso/"])), listing(found)
    phone.goto(phone.url("/conta/cadastro/"))
    page.locator("#id_name").fill("Lúcia Andrade")
    page.locator("#id_email").fill("lucia@exemplo.org")
    page.locator("#id_password").fill("curto")
    page.locator("#id_cpf").fill("529.982.247-25")
    page.get_by_label("Só aqui no site").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Criar conta").click()
    # the password was refused next to its field; what was typed is still there
    assert page.locator("#id_password_error").is_visible()
    assert page.locator("#id_name").input_value() == "Lúcia Andrade"
    assert page.get_by_label("Só aqui no site").is_checked()
    problems: dict[str, list[str]] = {}
    page.locator("#id_password").fill("girassol-amarelo-2024")
    mail.outbox.clear()
    with page.expect_navigation():
        page.get_by_role("button", name="Criar conta").click()
    assert urlsplit(page.url).path == "/conta/cadastro/enviado/"
    (message,) = [m for m in mail.outbox if m.to == ["lucia@exemplo.org"]]
    link = re.search(r"https?://\S+(/conta/confirmar/\S+/)", str(message.body))
    assert link, message.body
    confirm = link.group(1)
    problems.update(check(phone, ["/conta/cadastro/enviado/", confirm]))
    phone.goto(phone.url(confirm))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmar meu e-mail").click()
    assert urlsplit(page.url).path == "/conta/"
    assert "529.982.247-25" in page.content()
    problems.update(check(phone, ["/conta/", "/conta/meus-dados/", "/conta/meus-dados/exclusao/"]))
    assert not problems, "Problemas nas páginas de cidadão:" + listing(problems)


@pytest.fixture(scope="module")
def provider(demo_site: DemoSite) -> Iterator[Any]:
    from paco.citizens.tests.provider import running_provider

    base = demo_site.base_url
    with running_provider([f"{base}/conta/govbr/retorno/"], [f"{base}/conta/govbr/saiu/"]) as op:
        yield op


def test_log_in_and_out_with_the_openid_connect_provider(
    browser: Any, demo_site: DemoSite, provider: Any, settings: Any
) -> None:
    from paco.citizens.tests.provider import MARIA

    settings.PACO_GOVBR_ISSUER = provider.issuer
    settings.PACO_GOVBR_CLIENT_ID = provider.client_id
    settings.PACO_GOVBR_CLIENT_SECRET = provider.client_secret
    visitor = Visitor(browser, demo_site.base_url, width=WIDTH, height=HEIGHT)
    provider_origin = f"http://127.0.0.1:{provider.port}/"
    visitor.context.unroute_all()
    visitor.context.route(
        lambda url: visitor._is_external(url) and not url.startswith(provider_origin),
        visitor._abort_external,
    )
    try:
        page = visitor.page
        assert not (found := check(visitor, ["/conta/acesso/"])), listing(found)
        visitor.goto(visitor.url("/conta/acesso/"))
        with page.expect_navigation(url=re.compile(r".*/accounts/login/.*")):
            page.get_by_role("link", name="Entrar com gov.br").click()
        page.get_by_label("CPF").fill(MARIA["cpf"])
        page.get_by_label("Senha").fill(MARIA["password"])
        with page.expect_navigation():
            page.get_by_role("button", name="Entrar no provedor").click()
        with page.expect_navigation(url=re.compile(r".*/conta/$")):
            page.get_by_role("button", name="Autorizar").click()
        assert urlsplit(page.url).netloc == urlsplit(demo_site.base_url).netloc
        text = page.locator("main").inner_text()
        assert (
            "nível prata" in text and "529.982.247-25" in text and "confirmado pelo gov.br" in text
        )
        assert not (found := check(visitor, ["/conta/", "/conta/meus-dados/"])), listing(found)
        visitor.goto(visitor.url("/conta/"))
        with page.expect_navigation(url=re.compile(r".*/$")):
            page.locator("form.sair").get_by_role("button", name="Sair").click()
        assert "Você saiu da sua conta e do gov.br." in page.locator("main").inner_text()
        assert urlsplit(page.url).path == "/"
    finally:
        visitor.close()


def test_the_administrator_answers_a_deletion_request(
    browser: Any, demo_site: DemoSite, django_db_blocker: Any
) -> None:
    from paco.accounts.actions import create_staff_user, grant_role
    from paco.accounts.models import Role
    from paco.citizens.actions import request_deletion
    from paco.citizens.models import DeletionRequest, DeletionStatus
    from paco.citizens.tests.helpers import make_citizen
    from paco.tenancy.models import Municipality

    with django_db_blocker.unblock():
        town = Municipality.objects.get(slug="santa-rita-do-paco")
        admin = create_staff_user(
            None, town, username="admin_exclusao", password=ADMIN_PASSWORD,
            first_name="Admin", last_name="Exclusão",
        )  # fmt: skip
        grant_role(None, town, admin, Role.ADMIN, None)
        citizen = make_citizen("Renata Prado", "renata@exemplo.org")
        deletion = request_deletion(citizen, town, reason="Mudei de cidade.")
    visitor = Visitor(browser, demo_site.base_url, width=WIDTH, height=HEIGHT)
    try:
        page = visitor.page
        visitor.goto(visitor.url("/conta/entrar/?next=/gestao/cidadaos/exclusao/"))
        page.locator("#id_username").fill("admin_exclusao")
        page.locator("#id_password").fill(ADMIN_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Entrar", exact=True).click()
        assert "Renata Prado" in page.locator("main").inner_text()
        problems = check(visitor, ["/gestao/cidadaos/exclusao/"])
        visitor.goto(visitor.url("/gestao/cidadaos/exclusao/"))
        page.get_by_label("Não atender: a lei exige guardar os dados").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Responder").click()
        assert page.locator(f"#id_p{deletion.pk}-answer_error").is_visible()
        report_errors = problems_of_current(visitor)
        if report_errors:
            problems["/gestao/cidadaos/exclusao/ (erro)"] = report_errors
        page.locator(f"#id_p{deletion.pk}-answer").fill("Pedidos protocolados são guardados.")
        with page.expect_navigation():
            page.get_by_role("button", name="Responder").click()
        assert "respondido" in page.locator("main").inner_text()
        assert not problems, "Problemas na página de exclusão:" + listing(problems)
        with django_db_blocker.unblock():
            deletion = DeletionRequest.objects.get(pk=deletion.pk)
        assert deletion.status == DeletionStatus.REFUSED
    finally:
        visitor.close()


def problems_of_current(visitor: Visitor) -> list[str]:
    """axe on the page as it is now (a form shown again with its errors)."""
    from paco.browser_tests.support import PageReport

    report = PageReport(url=visitor.page.url, path="(atual)", status=200)
    visitor.collect(report)
    return problems_of(report)
