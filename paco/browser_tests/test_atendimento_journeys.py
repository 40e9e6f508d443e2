"""Atendimento journeys in chromium, without JavaScript where a citizen may have none:
an anonymous manifestation followed with its number and code; a clerk who assigns, asks
the citizen for information and concludes; axe on every page on the way."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import Visitor, listing, problems_of

pytestmark = pytest.mark.browser
CLERK, PASSWORD = "atendente-jornada", "Senha-da-jornada-2025"


@pytest.fixture(scope="module")
def clerk(demo_site: DemoSite, django_db_blocker: Any) -> str:
    from paco.accounts.actions import create_staff_user, grant_role
    from paco.accounts.models import Role
    from paco.tenancy.models import Municipality

    with django_db_blocker.unblock():
        town = Municipality.objects.get(slug="santa-rita-do-paco")
        user = create_staff_user(
            None, town, username=CLERK, password=PASSWORD, first_name="Ana",
            last_name="Atendente", email="ana@santaritadopaco.sc.gov.br",
        )  # fmt: skip
        grant_role(None, town, user, Role.ATTENDANT, None)
    return CLERK


@pytest.fixture
def no_js(browser: Any, demo_site: DemoSite) -> Iterator[Visitor]:
    visitor = Visitor(browser, demo_site.base_url, javascript=False)
    yield visitor
    visitor.close()


def _submit(visitor: Visitor, button: str) -> None:
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.get_by_role("button", name=button, exact=True).click()


def test_an_anonymous_manifestation_is_followed_with_number_and_code(
    browser: Any, demo_site: DemoSite, no_js: Visitor
) -> None:
    problems = {}
    for path in ("/atendimento/", "/atendimento/novo/ouvidoria/", "/protocolo/"):
        found = problems_of(no_js.visit(path))
        if found:
            problems[path] = found
    assert not problems, "Problemas nas páginas do atendimento:" + listing(problems)
    page = no_js.page
    page.goto(no_js.url("/atendimento/novo/ouvidoria/"))
    page.get_by_label("Tipo de manifestação").select_option("reclamacao")
    page.get_by_label("Anônimo").check()
    page.get_by_label("Assunto").fill("Lâmpada queimada na praça")
    page.get_by_label("Descreva seu pedido").fill("A lâmpada do poste 12 está queimada.")
    _submit(no_js, "Enviar")
    text = page.locator("main").inner_text()
    number = re.search(r"\d{5}\.\d{6}/\d{4}-\d{2}", text)
    code = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", text)
    assert number and code, text
    other = Visitor(browser, demo_site.base_url, javascript=False)
    try:
        other.page.goto(other.url("/protocolo/"))
        other.page.get_by_label("Número do protocolo").fill(number.group())
        other.page.get_by_label("Código de acesso").fill("AAAA-BBBB-CCCC")
        _submit(other, "Consultar")
        assert "não conferem" in other.page.locator("main").inner_text()
        other.page.get_by_label("Código de acesso").fill(code.group())
        _submit(other, "Consultar")
        assert f"Atendimento {number.group()}" in other.page.locator("h1").inner_text()
        case_path = other.page.url.removeprefix(demo_site.base_url)
        assert not problems_of(other.visit(case_path)), case_path
    finally:
        other.close()


def test_a_clerk_assigns_asks_and_concludes(
    browser: Any, demo_site: DemoSite, clerk: str, django_db_blocker: Any
) -> None:
    from paco.atendimento.actions import Requester, open_case
    from paco.atendimento.models import Case, Status
    from paco.tenancy.models import Municipality, Unit

    with django_db_blocker.unblock():
        town = Municipality.objects.get(slug="santa-rita-do-paco")
        unit = Unit.objects.for_municipality(town).get(acronym="SEOB")
        opened = open_case(
            town, kind="esic", subject="Contratos de iluminação", unit=unit,
            description="Quero os contratos vigentes.",
            requester=Requester(name="Pedro Teste", document="RG 5"),
        )  # fmt: skip
    case = opened.case
    staff = Visitor(browser, demo_site.base_url)
    try:
        page = staff.page
        staff.goto(staff.url("/conta/entrar/?next=/gestao/atendimento/"))
        page.locator("#id_username").fill(clerk)
        page.locator("#id_password").fill(PASSWORD)
        _submit(staff, "Entrar")
        assert not problems_of(staff.visit("/gestao/atendimento/"))
        page.get_by_role("link", name=case.number).click()
        page.wait_for_load_state("load")
        path = f"/gestao/atendimento/{case.slug}/"
        assert not problems_of(staff.visit(path)), path
        page.get_by_text("Atribuir a um servidor").click()
        page.get_by_label("Servidor responsável").select_option(label="Ana Atendente")
        _submit(staff, "Atribuir")
        page.get_by_text("Pedir informações ao cidadão").click()
        page.get_by_label("O que o cidadão precisa informar").fill("Qual o ano dos contratos?")
        _submit(staff, "Enviar pergunta")
        with django_db_blocker.unblock():
            assert Case.objects.get(pk=case.pk).status == Status.WAITING_CITIZEN
        page.get_by_text("Responder e concluir").click()
        page.get_by_label("Resultado").select_option("respondido")
        page.get_by_label("Resposta ao cidadão, com a justificativa").fill("Seguem os contratos.")
        _submit(staff, "Concluir")
        with django_db_blocker.unblock():
            done = Case.objects.get(pk=case.pk)
        assert done.status == Status.CONCLUDED and done.assigned_to is not None
        assert "Resposta enviada ao cidadão." in page.locator("main").inner_text()
    finally:
        staff.close()
