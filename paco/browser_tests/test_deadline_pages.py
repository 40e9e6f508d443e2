"""The town's calendar and clock rules in chromium, at 1280 px and 360 px.

- ``/gestao/prazos/feriados/`` and ``/gestao/prazos/regras/`` pass axe, do not scroll sideways
  on a phone, and carry the staff shell;
- the administrator adds a municipal holiday through the form and removes it;
- "Como este prazo foi calculado" opens by keyboard (a native ``<details>``, no script).

Screenshots go to ``$PACO_SCREENSHOTS_DIR``/gestao-prazos-*.png (default: none).
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

PASSWORD = "Senha-dos-prazos-2026"  # noqa: S105 (a test account of the demo town)
ADMIN = "prazos_navegador"
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
SHOTS = os.environ.get("PACO_SCREENSHOTS_DIR", "")


@pytest.fixture(scope="module")
def account(demo_site: DemoSite, django_db_blocker: Any) -> str:
    from paco.accounts.actions import create_staff_user, grant_role
    from paco.accounts.models import Role
    from paco.tenancy.models import Municipality

    with django_db_blocker.unblock():
        town = Municipality.objects.get(slug="santa-rita-do-paco")
        admin = create_staff_user(
            None, town, username=ADMIN, password=PASSWORD, first_name="Paula",
            last_name="Prazos", email="paula@santaritadopaco.sc.gov.br",
        )  # fmt: skip
        grant_role(None, town, admin, Role.ADMIN, None)
    return ADMIN


@pytest.fixture(params=[1280, 360], ids=["desktop", "phone"])
def clerk(request: Any, browser: Any, demo_site: DemoSite, account: str) -> Iterator[Visitor]:
    width = request.param
    visitor = Visitor(browser, demo_site.base_url, width=width, height=800 if width > 400 else 740)
    page = visitor.page
    visitor.goto(visitor.url("/conta/entrar/?next=/gestao/"))
    page.locator("#id_username").fill(account)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Entrar", exact=True).click()
    yield visitor
    visitor.close()


@pytest.mark.parametrize("path", ["/gestao/prazos/feriados/", "/gestao/prazos/regras/"])
def test_pages_pass_axe_and_fit_a_phone(clerk: Visitor, path: str) -> None:
    report = clerk.visit(path, check_skip_link=False)
    problems = problems_of(report)
    assert not problems, listing({path: problems})
    assert clerk.page.evaluate(OVERFLOW) <= 0, f"rolagem horizontal em {path}"
    current = clerk.page.locator("nav[aria-label='Áreas de trabalho'] a[aria-current='page']")
    assert current.inner_text() == "Prazos e feriados"
    if SHOTS:
        width = (clerk.page.viewport_size or {"width": 0})["width"]
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        name = path.strip("/").replace("/", "-")
        clerk.page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)


def test_add_and_remove_a_municipal_holiday(clerk: Visitor) -> None:
    page = clerk.page
    clerk.goto(clerk.url("/gestao/prazos/feriados/?ano=2031"))
    page.get_by_label("Data").fill("2031-08-21")
    page.get_by_label("Nome").fill("Aniversário de Santa Rita")
    page.get_by_label("Tipo").select_option("feriado")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Incluir", exact=True).click()
    row = page.locator("tbody tr", has_text="Aniversário de Santa Rita")
    assert "Feriado municipal" in row.inner_text()
    with page.expect_navigation(wait_until="load"):
        row.get_by_role("button").click()
    assert page.locator("tbody tr", has_text="Aniversário de Santa Rita").count() == 0


def test_the_explanation_opens_by_keyboard(clerk: Visitor) -> None:
    page = clerk.page
    clerk.goto(clerk.url("/gestao/prazos/regras/"))
    details = page.locator("details.prazo-explicado").first
    assert details.get_attribute("open") is None
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    assert "Prazo final:" in details.inner_text()
