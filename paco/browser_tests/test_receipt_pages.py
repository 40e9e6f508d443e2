"""/verificar/ in chromium: axe at phone and desktop widths and in high contrast, CSP, the
not-found and typo answers, and the form used without JavaScript to confirm a receipt."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import Visitor, listing, problems_of

pytestmark = pytest.mark.browser

#: a well-formed code (its check symbol is right) that no receipt has
UNKNOWN = "7KQ2-M9XD-4TPB-R3H3"
TYPO = "7KQ2-M9XD-4TPB-R3H4"


@pytest.fixture(scope="module")
def receipt(demo_site: DemoSite, django_db_blocker: Any) -> dict[str, str]:
    from django.utils import timezone

    from paco.receipts.actions import issue_receipt
    from paco.tenancy.models import Municipality

    with django_db_blocker.unblock():
        town = Municipality.objects.first()
        assert town is not None
        issued = issue_receipt(
            town, kind="atendimento.caso", subject=None, number="12345.000042/2026-19",
            title="Comprovante de solicitação", issued_at=timezone.now(),
            lines=[("Serviço", "Poda de árvore"), ("Solicitante", "Maria da Conceição")],
            explanation=["30 dias corridos a partir do dia seguinte ao recebimento."],
            public_summary="Solicitação de poda de árvore recebida pela Secretaria de Obras.",
        )  # fmt: skip
    return {"path": issued.verification_path, "code": issued.display_code}


@pytest.fixture(scope="module")
def visitor(browser: Any, demo_site: DemoSite) -> Iterator[Visitor]:
    desktop = Visitor(browser, demo_site.base_url)
    yield desktop
    desktop.close()


def _problems(visitor: Visitor, path: str, status: int) -> list[str]:
    report = visitor.visit(path)
    found = [p for p in problems_of(report) if not p.startswith("status ")]
    if report.status != status or report.error:
        found.append(f"status {report.status} (esperado {status}) {report.error}")
    overflow = visitor.page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        found.append(f"{overflow}px de rolagem horizontal")
    return found


@pytest.mark.parametrize("width", [360, 1280])
def test_verification_pages_are_accessible(
    browser: Any, demo_site: DemoSite, receipt: dict[str, str], width: int
) -> None:
    pages = {
        "/verificar/": 200,
        receipt["path"]: 200,
        f"/verificar/{UNKNOWN}/": 404,
        f"/verificar/{TYPO}/": 400,
    }
    problems: dict[str, list[str]] = {}
    for contrast in ("alto", "normal"):
        visitor = Visitor(browser, demo_site.base_url, width=width, height=800)
        try:
            if contrast == "alto":
                visitor.context.add_cookies([{"name": "contraste", "value": "alto",
                                              "url": demo_site.base_url}])  # fmt: skip
            for path, status in pages.items():
                found = _problems(visitor, path, status)
                if found:
                    problems[f"{path} ({width}px, contraste {contrast})"] = found
        finally:
            visitor.close()
    assert not problems, "Problemas em /verificar/:" + listing(problems)


def test_a_code_typed_without_javascript_confirms_the_receipt(
    browser: Any, demo_site: DemoSite, receipt: dict[str, str]
) -> None:
    no_js = Visitor(browser, demo_site.base_url, width=360, height=800, javascript=False)
    try:
        page = no_js.page
        no_js.goto(no_js.url("/verificar/"))
        page.get_by_label("Código de verificação").fill(receipt["code"].lower().replace("-", ""))
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Verificar").click()
        assert page.url.endswith(receipt["path"])
        assert page.get_by_role("heading", level=1).inner_text() == "Comprovante autêntico"
        assert "12345.000042/2026-19" in page.content()
        assert "Maria" not in page.content()
        # a typo: the message sits next to the field, which says it is invalid
        no_js.goto(no_js.url(f"/verificar/{TYPO}/"))
        field = page.get_by_label("Código de verificação")
        assert field.get_attribute("aria-invalid") == "true"
        assert "algum caractere foi digitado errado" in page.locator("#id_codigo_erro").inner_text()
    finally:
        no_js.close()
