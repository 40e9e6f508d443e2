"""The open-data portal in chromium: crawl + axe from /dados/, the preview without JavaScript,
and the embeddable widget inside an iframe of another page.

The demo municipality gets a few published tables of its own here (through the real
pipeline), so the checks do not depend on what the demo loader publishes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from paco.browser_tests.conftest import DemoSite
from paco.browser_tests.support import (
    PageReport,
    Visitor,
    crawl,
    listing,
    problems_of,
    run_axe,
)

pytestmark = pytest.mark.browser

OBRAS_CSV = "obra;bairro;situacao;valor;inicio\n" + "".join(
    f"Obra {n:02d};{('Centro', 'Vila Nova', 'Industrial')[n % 3]};"
    f"{('Em andamento', 'Concluída')[n % 2]};{n * 1234},50;{(n % 28) + 1:02d}/03/2025\n"
    for n in range(1, 31)
)
CRAWL_LIMIT = 40
# elements sticking out of the viewport (to say what to fix)
WIDEST = """Array.from(document.querySelectorAll('body *'))
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 4)
  .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


@pytest.fixture(scope="module")
def portal(demo_site: DemoSite, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """Published tables of our own in the demo town (the demo loader may publish others).

    The files go to the default storage like the demo's; they are removed afterwards.
    """
    from django.core.files.storage import default_storage

    from paco.opendata import actions
    from paco.opendata.testing import publish_table
    from paco.tenancy.models import Municipality, Unit

    with django_db_blocker.unblock():
        town = Municipality.objects.first()
        assert town is not None
        unit = Unit.objects.for_municipality(town).filter(parent=None).first()
        assert unit is not None
        obras = publish_table(town, unit, dataset="obras-do-teste", resource="obras",
                              csv_text=OBRAS_CSV, title="Obras do teste")  # fmt: skip
        actions.update_dataset(
            None, obras.dataset, themes=["urbanismo"], keywords=["obras", "contratos"],
            description="Obras da Prefeitura: bairro, situação, valor e início.",
            periodicity="MENSAL", contact_name="Setor de Obras",
        )  # fmt: skip
        obras = publish_table(
            town,
            unit,
            dataset="obras-do-teste",
            resource="obras",
            csv_text=OBRAS_CSV.replace("Obra 01", "Obra 1"),
        )  # version 2
        despesas = publish_table(town, unit, dataset="despesas-do-teste", title="Despesas")
        actions.update_dataset(None, despesas.dataset, themes=["economia-e-financas"])
        versions = [v for r in (obras, despesas) for v in r.versions.all()]
    try:
        yield {"table": str(obras.pk), "dataset": "obras-do-teste"}
    finally:
        for version in versions:
            for name in (version.original, version.parquet):
                if name and default_storage.exists(name):
                    default_storage.delete(name)


@pytest.fixture(scope="module")
def visitor(browser: Any, demo_site: DemoSite, portal: dict[str, str]) -> Iterator[Visitor]:
    desktop = Visitor(browser, demo_site.base_url)
    yield desktop
    desktop.close()


@pytest.fixture(scope="module")
def pages(visitor: Visitor, portal: dict[str, str]) -> list[PageReport]:
    start = ["/dados/", "/dataset/", f"/dataset/{portal['dataset']}/", "/dados/inventario/",
             "/dados/novidades/", "/organization/", "/group/"]  # fmt: skip
    return crawl(visitor, start, limit=CRAWL_LIMIT)


def test_portal_pages_answer_and_are_reached(pages: list[PageReport]) -> None:
    reached = {p.path for p in pages}
    assert any(p.startswith("/dataset/despesas-do-teste/") for p in reached), sorted(reached)
    assert any(p.startswith("/organization/") and p != "/organization/" for p in reached)
    assert any(p.startswith("/group/") and p != "/group/" for p in reached)
    problems = {p.path: [f"status {p.status} {p.error}".strip()] for p in pages
                if p.error or p.status != 200}  # fmt: skip
    assert not problems, "Páginas do portal com erro:" + listing(problems)


def test_portal_pages_are_accessible(pages: list[PageReport]) -> None:
    problems = {p.path: found for p in pages if (found := problems_of(p))}
    assert not problems, "Problemas nas páginas do portal:" + listing(problems)


def test_preview_filters_and_sorts_without_javascript(
    browser: Any, demo_site: DemoSite, portal: dict[str, str]
) -> None:
    no_js = Visitor(browser, demo_site.base_url, javascript=False)
    try:
        page = no_js.page
        page.goto(no_js.url(f"/dataset/{portal['dataset']}/"))
        form = page.locator("form.filtro-tabela")
        form.get_by_label("Coluna").select_option("bairro")
        form.get_by_label("igual a").fill("Centro")
        with page.expect_navigation(wait_until="load"):
            form.get_by_role("button", name="Filtrar").click()
        assert "Linhas 1 a 10 de 10 (filtradas)." in page.locator("main").inner_text()
        cells = page.locator("table").first.locator("tbody tr td:nth-child(2)").all_inner_texts()
        assert set(cells) == {"Centro"}
        with page.expect_navigation(wait_until="load"):
            page.locator("table").first.get_by_role("link", name="valor").click()
        header = page.locator("table").first.locator("th[aria-sort]")
        assert header.get_attribute("aria-sort") == "ascending"
        values = page.locator("table").first.locator("tbody tr td:nth-child(4)").all_inner_texts()
        numbers = [float(v.replace(".", "").replace(",", ".")) for v in values]
        assert numbers == sorted(numbers) and len(numbers) == 10
    finally:
        no_js.close()


def test_widget_works_in_an_iframe_and_pages_do_not(
    visitor: Visitor, portal: dict[str, str]
) -> None:
    page = visitor.page
    embed = visitor.url(f"/dados/embed/{portal['table']}/")
    report = visitor.visit(f"/dados/embed/{portal['table']}/", check_skip_link=False)
    assert report.status == 200 and not report.blocking, [v.describe() for v in report.blocking]
    assert not report.csp_violations and not report.console_errors
    # any site may frame the widget; the rest of the site refuses to be framed
    # a page of the server hosts the frames (chromium refuses loopback frames in about:blank);
    # frame-ancestors 'none' blocks same-origin framing too, so the contrast still shows
    page.goto(visitor.url("/acessibilidade/"))
    page.set_content(
        f'<iframe id="w" title="w" src="{embed}"></iframe>'
        f'<iframe id="d" title="d" src="{visitor.url("/dados/")}"></iframe>'
    )
    page.wait_for_timeout(1500)
    widget = page.frame_locator("#w")
    assert widget.locator("table").count() == 1
    assert widget.locator("tbody tr").count() == 15
    framed = page.query_selector("#d")
    assert framed is not None and framed.content_frame() is not None
    blocked = framed.content_frame()
    assert blocked is not None
    assert blocked.url.startswith("chrome-error:"), "o portal não pode ser incorporado"
    assert blocked.locator("#conteudo").count() == 0


def test_embed_axe_in_high_contrast_is_not_needed_but_portal_home_is(
    visitor: Visitor,
) -> None:
    page = visitor.page
    visitor.goto(visitor.url("/dados/"))
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Alto contraste").click()
    try:
        blocking = [v.describe() for v in run_axe(page) if v.impact in {"serious", "critical"}]
        assert not blocking, blocking
    finally:
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Alto contraste").click()


def test_portal_fits_a_small_phone(
    browser: Any, demo_site: DemoSite, portal: dict[str, str]
) -> None:
    """At 320 px nothing but the tables' own scrollable regions scrolls sideways."""
    phone = Visitor(browser, demo_site.base_url, width=320, height=640)
    problems: dict[str, list[str]] = {}
    try:
        for path in ("/dados/", "/dataset/", "/dataset/?tema=urbanismo",
                     f"/dataset/{portal['dataset']}/", "/dados/inventario/", "/dados/novidades/",
                     "/organization/", "/group/urbanismo/"):  # fmt: skip
            report = phone.visit(path, check_skip_link=False)
            overflow = phone.page.evaluate(
                "document.scrollingElement.scrollWidth - window.innerWidth"
            )
            found = [v.describe() for v in report.blocking]
            if overflow > 0:
                wide = phone.page.evaluate(WIDEST)
                found.append(f"{overflow}px de rolagem horizontal: {wide}")
            if found:
                problems[path] = found
    finally:
        phone.close()
    assert not problems, "Portal num celular de 320 px:" + listing(problems)
