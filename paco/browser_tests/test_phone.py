"""Key pages fit a phone screen: no horizontal scrolling of the page itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import MUST_HAVE, SERVICE_PAGE, Visitor, listing

pytestmark = pytest.mark.browser

OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


@pytest.fixture(scope="module", params=[390, 320], ids=["390px", "320px"])
def phone(request: Any, browser: Any, demo_site: DemoSite) -> Iterator[Visitor]:
    visitor = Visitor(browser, demo_site.base_url, width=request.param, height=844)
    yield visitor
    visitor.close()


def key_pages(visitor: Visitor) -> list[str]:
    """The must-have pages plus the first service page linked from /servicos/."""
    visitor.page.goto(visitor.url("/servicos/"))
    hrefs = visitor.page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
    services = [h.removeprefix(visitor.base_url) for h in hrefs]
    services = [p for p in services if SERVICE_PAGE.match(p)]
    return [*MUST_HAVE, *services[:1], "/pagina-que-nao-existe/"]


def test_no_horizontal_overflow(phone: Visitor) -> None:
    problems: dict[str, list[str]] = {}
    for path in key_pages(phone):
        report = phone.visit(path, axe=False, check_skip_link=False)
        if report.error:
            problems[path] = [report.error]
            continue
        extra = phone.page.evaluate(OVERFLOW)
        if extra > 0:
            problems[path] = [f"a página é {extra}px mais larga que a tela"]
    width = (phone.page.viewport_size or {"width": 0})["width"]
    assert not problems, f"Transbordamento horizontal a {width}px:" + listing(problems)
