"""With JavaScript off, a citizen can search the charter, open a service and switch contrast."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import SERVICE_PAGE, Visitor

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def no_js(browser: Any, demo_site: DemoSite) -> Iterator[Visitor]:
    visitor = Visitor(browser, demo_site.base_url, javascript=False)
    yield visitor
    visitor.close()


def first_service_link(visitor: Visitor) -> tuple[str, str]:
    """(path, link text) of the first service listed on /servicos/."""
    response = visitor.page.goto(visitor.url("/servicos/"))
    assert response is not None and response.status == 200, "/servicos/ não respondeu 200"
    for link in visitor.page.locator("main a[href]").all():
        href = link.get_attribute("href") or ""
        path = href.removeprefix(visitor.base_url)
        if SERVICE_PAGE.match(path):
            return path, link.inner_text().strip()
    raise AssertionError("Nenhum link para /servicos/<slug>/ em /servicos/")


def search_word(title: str) -> str:
    words = sorted(re.findall(r"\w{5,}", title), key=len, reverse=True)
    return words[0] if words else title


def test_search_from_home_reaches_service_page(no_js: Visitor) -> None:
    path, title = first_service_link(no_js)
    page = no_js.page
    page.goto(no_js.url("/"))
    search = page.locator("main form input[type=search]")
    assert search.count() == 1, "a página inicial deve ter um formulário de busca (input search)"
    search.fill(search_word(title))
    with page.expect_navigation(wait_until="load"):
        search.press("Enter")
    assert "/servicos/" in page.url, f"a busca levou a {page.url}, esperado /servicos/?q=…"
    result = page.locator(f'main a[href$="{path}"]').first
    assert result.count() == 1, f"o resultado da busca por {search_word(title)!r} não lista {path}"
    with page.expect_navigation(wait_until="load"):
        result.click()
    assert page.url.endswith(path)
    assert page.locator("h1").inner_text().strip() == title


def test_contrast_toggle_works_without_javascript(no_js: Visitor) -> None:
    page = no_js.page
    page.goto(no_js.url("/acessibilidade/"))
    assert "alto-contraste" not in (page.get_attribute("html", "class") or "")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Alto contraste").click()
    assert page.url == no_js.url("/acessibilidade/"), "o formulário deve voltar à mesma página"
    assert "alto-contraste" in (page.get_attribute("html", "class") or "")
    button = page.get_by_role("button", name="Alto contraste")
    assert button.get_attribute("aria-pressed") == "true"
    with page.expect_navigation(wait_until="load"):
        button.click()
    assert "alto-contraste" not in (page.get_attribute("html", "class") or "")
