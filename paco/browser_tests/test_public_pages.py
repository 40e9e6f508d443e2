"""Every public page of the demo, found by crawling from ``/``, checked in chromium.

The crawl runs once per module; each test asserts one kind of problem over all
pages and lists every offending page in its failure message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import (
    ALSO_VISIT,
    MUST_HAVE,
    PageReport,
    Visitor,
    crawl,
    listing,
    service_paths,
)

pytestmark = pytest.mark.browser

NOT_FOUND_PATH = "/pagina-que-nao-existe/"
HOME_BUDGET = 100 * 1024


@pytest.fixture(scope="module")
def visitor(browser: Any, demo_site: DemoSite) -> Iterator[Visitor]:
    desktop = Visitor(browser, demo_site.base_url)
    yield desktop
    desktop.close()


@pytest.fixture(scope="module")
def pages(visitor: Visitor) -> list[PageReport]:
    """All crawled pages plus the 404 page."""
    reports = crawl(visitor, [*MUST_HAVE, *ALSO_VISIT])
    reports.append(visitor.visit(NOT_FOUND_PATH))
    return reports


def by_path(pages: list[PageReport]) -> dict[str, PageReport]:
    return {report.path: report for report in pages}


def test_must_have_pages_are_reached(pages: list[PageReport]) -> None:
    reached = by_path(pages)
    problems = {
        path: [f"status {reached[path].status} {reached[path].error}".strip()]
        for path in MUST_HAVE
        if path in reached and reached[path].status != 200
    }
    assert not problems, "Páginas obrigatórias com erro:" + listing(problems)
    assert service_paths(pages), (
        "Nenhuma página de serviço (/servicos/<slug>/) foi encontrada a partir de /servicos/."
        f" Páginas visitadas: {sorted(reached)}"
    )


def test_every_crawled_page_answers(pages: list[PageReport]) -> None:
    problems = {
        p.path: [f"status {p.status} {p.error}".strip()]
        for p in pages
        if p.path != NOT_FOUND_PATH and (p.error or p.status != 200)
    }
    assert not problems, "Links internos quebrados ou páginas com erro:" + listing(problems)
    assert by_path(pages)[NOT_FOUND_PATH].status == 404


def test_no_serious_accessibility_violations(pages: list[PageReport]) -> None:
    problems = {p.path: [v.describe() for v in p.blocking] for p in pages if p.blocking}
    assert not problems, (
        "axe-core (WCAG 2.0/2.1 A e AA) encontrou violações sérias ou críticas:" + listing(problems)
    )


def test_no_console_errors_nor_csp_violations(pages: list[PageReport]) -> None:
    problems = {
        p.path: [f"CSP: {t}" for t in p.csp_violations]
        + [f"console: {t}" for t in p.console_errors]
        for p in pages
        if p.csp_violations or p.console_errors
    }
    assert not problems, "Erros no console ou violações de CSP:" + listing(problems)


def test_no_request_leaves_the_server(pages: list[PageReport]) -> None:
    problems = {p.path: p.external_requests for p in pages if p.external_requests}
    assert not problems, "Requisições a outros hosts (CDN, fontes, rastreadores):" + listing(
        problems
    )


def test_document_basics(pages: list[PageReport]) -> None:
    problems: dict[str, list[str]] = {}
    for p in pages:
        found = []
        if p.lang != "pt-BR":
            found.append(f'<html lang="{p.lang}">, esperado "pt-BR"')
        if p.h1_count != 1:
            found.append(f"{p.h1_count} elementos h1, esperado exatamente 1")
        if not p.styled:
            found.append("a folha de estilo paco.css não foi aplicada")
        if found:
            problems[p.path] = found
    assert not problems, "Estrutura do documento:" + listing(problems)


def test_skip_link_is_first_and_moves_focus(pages: list[PageReport]) -> None:
    problems = {p.path: [p.skip_link] for p in pages if p.skip_link}
    assert not problems, "Link “Ir para o conteúdo”:" + listing(problems)


def test_home_page_is_small(pages: list[PageReport]) -> None:
    home = by_path(pages)["/"]
    assert 0 < home.transfer_bytes < HOME_BUDGET, (
        f"A página inicial transferiu {home.transfer_bytes} bytes (limite {HOME_BUDGET})."
    )


def test_high_contrast_pages_are_accessible(visitor: Visitor, pages: list[PageReport]) -> None:
    """Switch the theme with the header button, then run axe-core again."""
    sample = ["/", "/servicos/", *service_paths(pages)[:1], "/cronograma/", "/acessibilidade/"]
    problems: dict[str, list[str]] = {}
    for path in sample:
        before = visitor.visit(path, axe=False, check_skip_link=False)
        if before.status != 200:
            problems[path] = [f"status {before.status} {before.error}".strip()]
            continue
        with visitor.page.expect_navigation(wait_until="load"):
            visitor.page.get_by_role("button", name="Alto contraste").click()
        found = []
        if "alto-contraste" not in (visitor.page.get_attribute("html", "class") or ""):
            found.append("o botão “Alto contraste” não ativou o tema")
        report = PageReport(url=visitor.page.url, path=path)
        visitor.collect(report, shot_suffix="-alto-contraste")
        found += [v.describe() for v in report.blocking]
        found += [f"CSP: {t}" for t in report.csp_violations]
        with visitor.page.expect_navigation(wait_until="load"):
            visitor.page.get_by_role("button", name="Alto contraste").click()
        if "alto-contraste" in (visitor.page.get_attribute("html", "class") or ""):
            found.append("o segundo clique não desativou o alto contraste")
        if found:
            problems[path] = found
    assert not problems, "Tema de alto contraste:" + listing(problems)


FOCUS_STYLE = """(() => {
  const e = document.activeElement, s = getComputedStyle(e);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  return { tag: e.outerHTML.slice(0, 100), visible: ring || s.boxShadow !== 'none' };
})()"""


def test_keyboard_focus_is_always_visible(visitor: Visitor, pages: list[PageReport]) -> None:
    """Tab through the first elements of key pages: each must show a focus indicator."""
    problems: dict[str, list[str]] = {}
    for path in ["/", "/servicos/", *service_paths(pages)[:1], "/cronograma/"]:
        visitor.goto(visitor.url(path))
        found = []
        for _ in range(20):
            visitor.page.keyboard.press("Tab")
            state = visitor.page.evaluate(FOCUS_STYLE)
            if not state["visible"]:
                found.append(f"foco invisível em {state['tag']}")
        if found:
            problems[path] = found
    assert not problems, "Indicador de foco:" + listing(problems)
