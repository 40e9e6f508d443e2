"""The staff workspace in chromium: "Minha mesa" and the shell at 1280 px and 360 px.

- ``/gestao/`` shows the demo's late request, the version awaiting the LGPD decision and
  the overdue stages, late first, with counters; axe finds nothing serious at either width
  and nothing scrolls sideways on a phone (the list becomes stacked rows);
- every staff page carries the same header (town, who is signed in, "Sair"), and "Sair"
  signs out without JavaScript;
- a page the servant may not use says why (403), in the same shell.

Screenshots of both widths go to ``$PACO_SCREENSHOTS_DIR``/workspace-*.png (default: none).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import Visitor, listing, problems_of

pytestmark = pytest.mark.browser

PASSWORD = "Senha-da-mesa-2026"  # noqa: S105 (test accounts of the demo town)
ADMIN = "mesa_navegador"
LIMITED = "etapas_navegador"  # plan editor of one unit: the open-data pages are not theirs
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
SHOTS = os.environ.get("PACO_SCREENSHOTS_DIR", "")


@pytest.fixture(scope="module")
def accounts(demo_site: DemoSite, django_db_blocker: Any) -> dict[str, Any]:
    from paco.accounts.actions import create_staff_user, grant_role
    from paco.accounts.models import Role
    from paco.plans.models import Stage
    from paco.tenancy.models import Municipality, Unit

    with django_db_blocker.unblock():
        town = Municipality.objects.get(slug="santa-rita-do-paco")
        admin = create_staff_user(
            None, town, username=ADMIN, password=PASSWORD, first_name="Marta",
            last_name="da Mesa", email="marta@santaritadopaco.sc.gov.br",
        )  # fmt: skip
        grant_role(None, town, admin, Role.ADMIN, None)
        limited = create_staff_user(
            None, town, username=LIMITED, password=PASSWORD, first_name="Elias",
            last_name="Etapas", email="elias@santaritadopaco.sc.gov.br",
        )  # fmt: skip
        grant_role(None, town, limited, Role.PLAN_EDITOR, Unit.objects.get(acronym="SEOB"))
        stage = Stage.objects.for_municipality(town).filter(unit__acronym="CGD").first()
        assert stage is not None
        return {"stage": f"/cronograma/etapas/{stage.pk}/editar/"}


def log_in(visitor: Visitor, username: str) -> None:
    page = visitor.page
    visitor.goto(visitor.url("/conta/entrar/?next=/gestao/"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Entrar", exact=True).click()
    assert page.url.endswith("/gestao/"), f"o login levou a {page.url}"


@pytest.fixture(params=[1280, 360], ids=["desktop", "phone"])
def clerk(request: Any, browser: Any, demo_site: DemoSite, accounts: Any) -> Iterator[Visitor]:
    width = request.param
    visitor = Visitor(browser, demo_site.base_url, width=width, height=800 if width > 400 else 740)
    log_in(visitor, ADMIN)
    yield visitor
    visitor.close()


def _shot(visitor: Visitor, name: str) -> None:
    if SHOTS:
        size = visitor.page.viewport_size or {"width": 0}
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        path = Path(SHOTS) / f"workspace-{name}-{size['width']}.png"
        visitor.page.screenshot(path=str(path), full_page=True)


def test_my_work_shows_the_demo_desk(clerk: Visitor) -> None:
    size = clerk.page.viewport_size
    report = clerk.visit("/gestao/", check_skip_link=size is not None and size["width"] == 1280)
    assert report.status == 200
    problems = problems_of(report)
    assert not problems, "Minha mesa:" + listing({"/gestao/": problems})
    page = clerk.page
    rows = page.locator("table.ws-trabalho tbody tr")
    assert rows.count() >= 3
    assert "atrasado há" in rows.first.inner_text()
    text = page.locator("main").inner_text()
    assert "Contratos de coleta de lixo" in text
    assert "Decidir sobre os dados pessoais encontrados" in text
    assert "Atualizar a situação da etapa" in text
    assert page.locator(".ws-contador").count() >= 3
    header = page.locator("header.ws-topo").inner_text()
    assert "Santa Rita do Paço" in header and "Marta da Mesa" in header and "Sair" in header
    assert clerk.page.evaluate(OVERFLOW) <= 0, "rolagem horizontal em Minha mesa"
    _shot(clerk, "mesa")


@pytest.mark.parametrize(
    "path", ["/dados/gestao/pedidos/", "/dados/gestao/", "/dados/gestao/portal-nacional/"]
)
def test_staff_pages_share_the_shell(clerk: Visitor, path: str) -> None:
    report = clerk.visit(path, check_skip_link=False)
    problems = problems_of(report)
    assert not problems, listing({path: problems})
    header = clerk.page.locator("header.ws-topo")
    assert header.count() == 1 and "Sair" in header.inner_text()
    assert (
        clerk.page.locator("nav[aria-label='Áreas de trabalho'] a[aria-current='page']").count()
        == 1
    )


def test_admin_page_has_the_town_header(clerk: Visitor) -> None:
    clerk.goto(clerk.url("/gestao/plans/stage/"))
    header = clerk.page.locator("header.ws-topo")
    assert "Santa Rita do Paço" in header.inner_text()
    title = clerk.page.locator("#content h1").inner_text()
    assert title == title[:1] + title[1:].lower() or "ALTERAR" not in title
    _shot(clerk, "admin-etapas")


def test_forbidden_page_says_why(browser: Any, demo_site: DemoSite, accounts: Any) -> None:
    visitor = Visitor(browser, demo_site.base_url)
    try:
        log_in(visitor, LIMITED)
        report = visitor.visit("/dados/gestao/", check_skip_link=False)
        assert report.status == 403
        assert not report.blocking, listing({"403": [v.describe() for v in report.blocking]})
        text = visitor.page.locator("main").inner_text()
        assert "Você não tem o papel Editor de dados abertos" in text
        assert visitor.page.locator("header.ws-topo").count() == 1
        stage = visitor.visit(accounts["stage"], check_skip_link=False)
        assert stage.status == 403
        assert (
            "na unidade Comissão de Governança Digital" in visitor.page.locator("main").inner_text()
        )
        _shot(visitor, "403")
        links = visitor.page.locator("nav[aria-label='Áreas de trabalho'] a").all_inner_texts()
        assert "Dados abertos" not in links and "Pedidos de dados" not in links
    finally:
        visitor.close()


def test_sign_out_without_javascript(browser: Any, demo_site: DemoSite, accounts: Any) -> None:
    visitor = Visitor(browser, demo_site.base_url, javascript=False)
    try:
        log_in(visitor, ADMIN)
        with visitor.page.expect_navigation(wait_until="load"):
            visitor.page.get_by_role("button", name="Sair", exact=True).click()
        visitor.goto(visitor.url("/gestao/"))
        assert "/login/" in visitor.page.url or "/conta/entrar/" in visitor.page.url
    finally:
        visitor.close()
