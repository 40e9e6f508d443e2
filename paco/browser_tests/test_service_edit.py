"""A clerk edits a service of the Carta on its task pages (``/servicos/gestao/``), in chromium.

At 1280 px and on a 360 px phone: the list, the service page and a step page pass
axe-core (no serious or critical violation), the CSP and the document checks, and
do not scroll sideways; the clerk changes a channel's waiting time and adds a step,
and the public page shows the new waiting time once. Screenshots of each page go to
``PACO_SCREENSHOTS_DIR`` (when set) like the rest of the suite.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import PageReport, Visitor, listing, problems_of

pytestmark = pytest.mark.browser

USERNAME = "carta_navegador"
PASSWORD = "Senha-da-carta-2025"  # noqa: S105 (a test account of the demo town)
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


@dataclass
class CharterData:
    slug: str  # a published demo service
    step: int  # its first step


@pytest.fixture(scope="module")
def charter(demo_site: DemoSite, django_db_blocker: Any) -> CharterData:
    from paco.accounts.actions import create_staff_user, grant_role
    from paco.accounts.models import Role
    from paco.catalog.models import Service, Status
    from paco.tenancy.models import Municipality, Unit

    with django_db_blocker.unblock():
        town = Municipality.objects.get(slug="santa-rita-do-paco")
        root = Unit.objects.for_municipality(town).get(acronym="GAB")
        clerk = create_staff_user(
            None, town, username=USERNAME, password=PASSWORD, first_name="Carla",
            last_name="Carta", email="carla@santaritadopaco.sc.gov.br",
        )  # fmt: skip
        grant_role(None, town, clerk, Role.CATALOG_EDITOR, root)
        service = (
            Service.objects.for_municipality(town)
            .filter(status=Status.PUBLISHED, steps__channels__isnull=False)
            .order_by("name")
            .first()
        )
        assert service is not None
        return CharterData(slug=service.slug, step=service.steps.order_by("order", "pk")[0].pk)


def _shot(visitor: Visitor, name: str) -> None:
    """Screenshots (``tasks-*.png``) in the suite's directory, when it is set."""
    directory = os.environ.get("PACO_SCREENSHOTS_DIR")
    if not directory:
        return
    width = (visitor.page.viewport_size or {"width": 0})["width"]
    Path(directory).mkdir(parents=True, exist_ok=True)
    visitor.page.screenshot(path=f"{directory}/tasks-{name}-{width}.png", full_page=True)


def _check(visitor: Visitor, report: PageReport) -> list[str]:
    found = problems_of(report)
    overflow = visitor.page.evaluate(OVERFLOW)
    if overflow > 0:
        found.append(f"{overflow}px de rolagem horizontal")
    return found


def _submit(visitor: Visitor, button: str) -> None:
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.get_by_role("button", name=button, exact=True).click()


@pytest.fixture(params=[1280, 360], ids=["desktop", "celular"])
def clerk(
    request: Any, browser: Any, demo_site: DemoSite, charter: CharterData
) -> Iterator[Visitor]:
    width = request.param
    visitor = Visitor(browser, demo_site.base_url, width=width, height=800 if width > 400 else 740)
    page = visitor.page
    visitor.goto(visitor.url("/conta/entrar/?next=/servicos/gestao/"))
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Entrar", exact=True).click()
    assert page.url.endswith("/servicos/gestao/"), f"o login levou a {page.url}"
    yield visitor
    visitor.close()


def test_clerk_edits_a_service_without_the_admin(clerk: Visitor, charter: CharterData) -> None:
    page = clerk.page
    width = (page.viewport_size or {"width": 0})["width"]
    edit = f"/servicos/gestao/{charter.slug}/"
    step = f"{edit}etapas/{charter.step}/"
    problems: dict[str, list[str]] = {}
    for name, path in (("lista", "/servicos/gestao/"), ("servico", edit), ("etapa", step)):
        report = clerk.visit(path, check_skip_link=width > 400)
        found = _check(clerk, report)
        if found:
            problems[path] = found
        _shot(clerk, name)
    assert not problems, f"Páginas da Carta (gestão) a {width} px:" + listing(problems)

    # the waiting time: on the step page, in the first channel
    wait = f"até {width // 100} minutos"
    clerk.goto(clerk.url(step))
    page.locator("#id_canais-0-waiting_time").fill(wait)
    _submit(clerk, "Salvar a etapa")
    assert page.url.endswith(f"{edit}#etapas"), page.url
    assert "alterações salvas" in page.locator("main .mensagens").inner_text()

    # a new step: the empty row at the end of the steps
    title = f"Retirar o documento ({width} px)"
    rows = page.locator("#etapas fieldset.linha")
    new_row = rows.nth(rows.count() - 1)
    new_row.get_by_label("Etapa", exact=True).fill(title)
    new_row.get_by_label("Documentos necessários").fill("Protocolo do pedido")
    _submit(clerk, "Salvar “Etapas”")
    assert "Etapas: alterações salvas" in page.locator("main .mensagens").inner_text()
    assert (
        page.locator("#etapas")
        .get_by_label("Etapa", exact=True)
        .nth(rows.count() - 2)
        .input_value()
        == title
    )
    report = PageReport(url=page.url, path=edit)
    clerk.collect(report)
    found = [v.describe() for v in report.blocking]
    assert not found, found
    _shot(clerk, "servico-salvo")

    # a mistake is shown next to the field, and nothing typed is lost
    clerk.goto(clerk.url(edit))
    page.locator("#id_prazo-time_kind").select_option("entre")
    page.locator("#id_prazo-time_min").fill("")
    page.locator("#id_prazo-time_description").fill("Depende da vistoria (navegador).")
    _submit(clerk, "Salvar “Prazo”")
    assert "Informe a quantidade mínima do prazo." in page.locator("#prazo").inner_text()
    assert page.locator("#id_prazo-time_description").input_value() == (
        "Depende da vistoria (navegador)."
    )
    report = PageReport(url=page.url, path=edit)
    clerk.collect(report)
    assert not [v.describe() for v in report.blocking]
    _shot(clerk, "servico-erro")

    # the citizen sees the new waiting time, once
    clerk.goto(clerk.url(f"/servicos/{charter.slug}/"))
    body = page.locator("main").inner_text()
    assert body.count(wait) == 1, body
    assert title in body
