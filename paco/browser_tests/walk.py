"""Every HTML page of the URL map, on a 360 px phone and a 1280 px desktop (issue 9 §3).

The list of pages is not written by hand: it is every URL pattern of the project (the Django
admin under ``/gestao/`` included). Patterns without parameters are visited directly; a
pattern with parameters is made concrete from the first link to it found on a page already
visited (the walk follows links until every pattern is reached), or from :data:`EXTRA` when
nothing links to it. A pattern that is never reached fails the walk, unless it only serves
files or data (:data:`NOT_PAGES`), so a new page is covered as soon as it exists.

Public pages are visited anonymously; staff pages (under ``gestao/`` or any page that sends an
anonymous visitor to the login) by a staff user holding every role of the demo town. Answers
that are not HTML (JSON, CSV, feeds, downloads) are left out by their Content-Type.

On each page, at 360 px: the document does not scroll sideways; every visible table cell lies
inside the screen (tables stack into cards: ``<table class="stack">`` with ``data-label``);
text inside SVG charts renders at 12 px or more and is not clipped. axe-core (serious and
critical, as in the rest of the suite) runs at 360 px and again at 1280 px.
"""

from __future__ import annotations

import io
import json
import os
import re
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from paco.browser_tests.support import Visitor, run_axe

PHONE, DESKTOP = 360, 1280
USERNAME = "equipe_navegador"
PASSWORD = "Senha-da-equipe-2025"  # noqa: S105 (a test account of the demo town)
NOT_FOUND_PATH = "/pagina-que-nao-existe/"

#: patterns that only serve files or data, only redirect or only take a POST: they need no
#: concrete address. (One listed here that answers HTML is still checked when a link reaches
#: it.) The admin's per-object pages are reached through the links of its change lists.
NOT_PAGES = re.compile(
    r"^(api/|open311/|datastore/|dados/recurso/|dados/feeds/|dados/visita/|catalog\.|healthz$"
    r"|favicon\.ico$|sitemap\.xml$|contraste/$|conta/sair/$"
    r"|gestao/(r/|jsi18n/|autocomplete/|logout/|\(\?P<url>|\w+/\w+/<path:object_id>/))"
    r"|\.(json|csv|ics|atom|gif|pdf)$|\.<[^>]+>$|/original$"
    r"|/(tentar-novamente|revogar|lgpd|publicar|recusar)/$"
    r"|/arquivos/<int:pk>/$"
)
#: pages only the requester of a case reaches (anyone else gets a 404 by design)
OWNER_ONLY = re.compile(r"^atendimento/<str:number>/")
#: concrete paths for patterns that no page links to
EXTRA = [  # expired links: the pages that say so
    "/conta/senha/redefinir/x/x/",
    "/conta/recuperar/x/x/",
    "/conta/confirmar/x/",
    "/atendimento/",  # linked from the citizen pages of later issues (Carta, account)
    "/protocolo/",
    # the demo's online forms: the walk reaches one service page, maybe not one with a form
    "/servicos/conserto-de-iluminacao-publica/solicitar/",
    "/servicos/conserto-de-iluminacao-publica/solicitar/enviado/",  # no receipt: a redirect
]
#: a CSV whose CPF column sends its version to the LGPD review (the personal-data table)
CPF_CSV = "programa;cpf\nBolsa atleta;529.982.247-25\nAuxílio transporte;111.444.777-35\n"


@dataclass
class WalkReport:
    checked: dict[str, str] = field(default_factory=dict)  # route → path checked
    other: set[str] = field(default_factory=set)  # routes of the other walk (links read only)
    staff: set[str] = field(default_factory=set)  # routes checked as staff
    problems: dict[str, list[str]] = field(default_factory=dict)
    not_html: set[str] = field(default_factory=set)
    unreached: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per page checked


# --- the URL map ------------------------------------------------------------------------
def all_routes() -> list[str]:
    from paco.testing.urlwalk import routes

    return [normal(r) for r in routes()]


def normal(route: str) -> str:
    """The route as ``ResolverMatch.route`` spells it (an inner regex loses its ``^``)."""
    return route.replace("/^", "/")


def route_of(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        return normal(resolve(path).route)
    except Resolver404:
        return None


def has_parameters(route: str) -> bool:
    return "<" in route or "(?P" in route


def is_staff_route(route: str) -> bool:
    return route.startswith("gestao/") or "/gestao/" in route


class LinkReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def own_path(href: str, base_url: str) -> str | None:
    """The path of a link to this site, without query or fragment."""
    parts = urlsplit(href)
    if parts.scheme and not href.startswith(base_url):
        return None
    if not parts.path.startswith("/"):
        return None
    return parts.path


# --- in the browser -----------------------------------------------------------------------
# Visible: rendered and not inside a visually hidden box (the stacked tables' header row).
LAYOUT_FACTS = """(() => {
  const width = document.documentElement.clientWidth;
  const hidden = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const r = a.getBoundingClientRect();
      if (getComputedStyle(a).overflow !== 'visible' && r.width <= 1 && r.height <= 1) return true;
    }
    return el.getClientRects().length === 0;
  };
  const name = (el) => {
    const table = el.closest('table');
    const caption = table && table.caption ? table.caption.textContent.trim().slice(0, 40) : '';
    return `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}"`
      + (caption ? ` (tabela "${caption}")` : '');
  };
  const cells = [];
  for (const cell of document.querySelectorAll('td, th')) {
    if (hidden(cell)) continue;
    const r = cell.getBoundingClientRect();
    if (r.left < -1 || r.right > width + 1) {
      cells.push(`${name(cell)} vai de ${Math.round(r.left)} a ${Math.round(r.right)}px`);
    }
  }
  const texts = [];
  for (const text of document.querySelectorAll('svg text')) {
    if (hidden(text) || !text.textContent.trim()) continue;
    const ctm = text.getScreenCTM();
    const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    const label = `texto "${text.textContent.trim().slice(0, 30)}"`;
    if (size < 11.95) texts.push(`${label} com ${size.toFixed(1)}px`);
    const r = text.getBoundingClientRect();
    const box = text.ownerSVGElement.getBoundingClientRect();
    if (r.left < Math.max(box.left, 0) - 1 || r.right > Math.min(box.right, width) + 1
        || r.top < box.top - 1 || r.bottom > box.bottom + 1) texts.push(`${label} cortado`);
  }
  return {
    overflow: document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth,
    cells: cells.slice(0, 5), texts: texts.slice(0, 5),
  };
})()"""


def phone_problems(visitor: Visitor) -> list[str]:
    facts = visitor.page.evaluate(LAYOUT_FACTS)
    found = []
    if facts["overflow"] > 1:
        found.append(f"a página rola {facts['overflow']}px para o lado a {PHONE}px")
    found += [f"célula fora da tela a {PHONE}px: {c}" for c in facts["cells"]]
    found += [f"gráfico a {PHONE}px: {t}" for t in facts["texts"]]
    return found


class Walker:
    """Both visitors (anonymous and staff), the queue of patterns and what was found.

    ``mode`` says which pages this walk checks in the browser: "public" (anonymous) or
    "staff"; the other kind is only fetched for its links, so both walks reach every pattern
    and can run side by side (one test module each, ``--dist loadfile``).
    """

    def __init__(self, mode: str, anonymous: Visitor, staff: Visitor, also: list[str]) -> None:
        assert mode in ("public", "staff")
        self.mode = mode
        self.anonymous, self.staff = anonymous, staff
        self.base_url = anonymous.base_url
        self.report = WalkReport()
        self.routes = all_routes()
        self.candidates: dict[str, deque[str]] = {r: deque() for r in self.routes}
        self.tried: dict[str, list[str]] = {}
        self.shots = os.environ.get("PACO_SCREENSHOTS_DIR")
        self.also = also  # pages checked besides the walk's own instance of their pattern

    def offer(self, path: str) -> None:
        route = route_of(path)
        if route is None or route not in self.candidates or route in self.done:
            return
        if path not in self.candidates[route] and len(self.candidates[route]) < 3:
            self.candidates[route].append(path)

    @property
    def done(self) -> set[str]:
        return set(self.report.checked) | self.report.not_html | self.report.other

    def run(self) -> WalkReport:
        for route in self.routes:
            if not has_parameters(route):
                self.offer("/" + route)
        for path in EXTRA:
            self.offer(path)
        progress = True
        while progress:
            progress = False
            for route in self.routes:
                queue = self.candidates[route]
                while queue and route not in self.done:
                    self.visit(route, queue.popleft())
                    progress = True
        for path in self.also:
            route = route_of(path) or path
            visitor = self.staff if is_staff_route(route) else self.anonymous
            if OWNER_ONLY.search(route):
                visitor = self.staff  # the requester's own page: walk_data's user made the request
            if (visitor is self.staff) != (self.mode == "staff"):
                self.report.other.add(route)
                continue
            self.check(route if route not in self.done else f"{route} ({path})", path, visitor)
        self.report.unreached = [
            r for r in self.routes if r not in self.done and not NOT_PAGES.search(r)
        ]
        if self.mode == "public":
            self.check_not_found()
        return self.report

    def probe(self, visitor: Visitor, path: str) -> tuple[int, str, str]:
        """Status, Content-Type and Location of ``path`` (no redirect followed)."""
        response = visitor.context.request.get(visitor.url(path), max_redirects=0)
        headers = response.headers
        result = (response.status, headers.get("content-type", ""), headers.get("location", ""))
        response.dispose()
        return result

    def visit(self, route: str, path: str) -> None:
        visitor = self.staff if is_staff_route(route) else self.anonymous
        status, kind, location = self.probe(visitor, path)
        if visitor is self.anonymous and status in (301, 302) and "/conta/entrar/" in location:
            visitor = self.staff  # a page for signed-in staff outside /gestao/
            status, kind, location = self.probe(visitor, path)
        if visitor is self.anonymous and status == 404 and OWNER_ONLY.search(route):
            visitor = self.staff  # the requester's own page: walk_data's user made the request
            status, kind, location = self.probe(visitor, path)
        if status == 401:  # the API asking for credentials: not a page (pages redirect)
            self.report.not_html.add(route)
            return
        if status in (301, 302, 303, 307, 308):
            self.offer(urlsplit(location).path or "/")
            self.report.not_html.add(route)  # a redirect: its target is a page of its own
            return
        if status == 405 or (status == 200 and "text/html" not in kind):
            self.report.not_html.add(route)
            return
        if status == 403 and not has_parameters(route):
            self.report.not_html.add(route)  # not for this user: the admin's add pages
            return
        if (visitor is self.staff) != (self.mode == "staff"):
            self.report.other.add(route)
            links = self.links_of(visitor, path)
            if visitor is self.anonymous:  # what staff see on the same page (edit links…)
                links += self.links_of(self.staff, path)
            for href in links:
                self.offer_link(href)
            return
        if status != 200:
            self.tried.setdefault(route, []).append(f"{path}: status {status}")
            if not self.candidates[route]:
                self.report.problems[path] = self.tried[route]
                self.report.checked[route] = path
            return
        self.check(route, path, visitor)

    def check(self, route: str, path: str, visitor: Visitor, status: int = 200) -> None:
        started = time.monotonic()
        try:
            self._check(route, path, visitor, status)
        except Exception as exc:  # a crash is reported with the page, the walk goes on
            self.report.problems[path] = [f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"]
            self.report.checked[route] = path
        self.report.seconds[path] = time.monotonic() - started

    def _check(self, route: str, path: str, visitor: Visitor, status: int) -> None:
        page = visitor.page
        page.set_viewport_size({"width": PHONE, "height": 800})
        response = visitor.goto(visitor.url(path))
        found: list[str] = []
        if response is None or response.status != status:
            found.append(f"status {response.status if response else 0}")
        found += phone_problems(visitor)
        if self.shots:
            name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "inicio"
            page.screenshot(path=str(Path(self.shots) / f"{name}-{PHONE}.png"), full_page=True)
        found += [f"axe a {PHONE}px: {v.describe()}" for v in run_axe(page) if v.impact in BLOCK]
        page.set_viewport_size({"width": DESKTOP, "height": 800})
        found += [f"axe a {DESKTOP}px: {v.describe()}" for v in run_axe(page) if v.impact in BLOCK]
        if found:
            self.report.problems[path] = found
        self.report.checked[route] = path
        if visitor is self.staff:
            self.report.staff.add(route)
        links = page.eval_on_selector_all("a[href]", "els => els.map((a) => a.href)")
        if visitor is self.anonymous:  # what staff see on the same page (edit links…)
            links += self.links_of(self.staff, path)
        for href in links:
            self.offer_link(href)

    def offer_link(self, href: str) -> None:
        own = own_path(href, self.base_url)
        if own is not None:
            self.offer(own)

    def links_of(self, visitor: Visitor, path: str) -> list[str]:
        """The links of a page as ``visitor`` gets it, read without rendering it."""
        response = visitor.context.request.get(visitor.url(path))
        reader = LinkReader()
        if response.ok and "text/html" in response.headers.get("content-type", ""):
            reader.feed(response.text())
        response.dispose()
        return [self.base_url + h if h.startswith("/") else h for h in reader.hrefs]

    def check_not_found(self) -> None:
        before = len(self.report.checked)
        self.check("<404>", NOT_FOUND_PATH, self.anonymous, status=404)
        assert len(self.report.checked) == before + 1


BLOCK = {"serious", "critical"}  # as the rest of the suite (support.BLOCKING_IMPACTS)


# --- what the walks need ---------------------------------------------------------------------
@contextmanager
def walk_data(django_db_blocker: Any) -> Iterator[list[str]]:
    """A staff user with every role of the demo town, a version waiting for the LGPD review,
    a request to open data and a receipt; yields the pages checked besides the walk's own
    instances."""
    from django.core.files.storage import default_storage

    from paco.accounts.actions import create_staff_user, grant_role
    from paco.accounts.models import Role
    from paco.atendimento import notify as atendimento_notify
    from paco.atendimento.actions import Requester, open_case
    from paco.datarequests import actions as request_actions
    from paco.datarequests import notify
    from paco.opendata import actions
    from paco.opendata.models import Resource
    from paco.opendata.pipeline.processing import import_now
    from paco.receipts.actions import issue_receipt
    from paco.tenancy.models import Municipality, Unit

    with django_db_blocker.unblock():
        town = Municipality.objects.get(slug="santa-rita-do-paco")
        user = create_staff_user(
            None, town, username=USERNAME, password=PASSWORD, first_name="Equipe",
            last_name="do Navegador", email="equipe@santaritadopaco.sc.gov.br",
        )  # fmt: skip
        for role in Role:
            grant_role(None, town, user, role, None)
        unit = Unit.objects.for_municipality(town).get(acronym="SEOB")
        dataset = actions.create_dataset(None, town, title="Bolsas da caminhada", unit=unit,
                                         name="bolsas-da-caminhada")  # fmt: skip
        resource = actions.create_resource(None, dataset, title="Tabela", name="tabela")
        review = import_now(resource, io.BytesIO(CPF_CSV.encode()), "bolsistas.csv")
        assert review.status == "needs_review", review.personal_data
        table = Resource.objects.filter(
            dataset__municipality=town, current_version__parquet__gt=""
        ).first()
        assert table is not None, "a demonstração deveria ter um recurso publicado"
        with atendimento_notify.muted():
            case = open_case(
                town, kind="esic", subject="Contratos da caminhada", unit=unit,
                description="Quero os contratos de limpeza.",
                requester=Requester(name="Equipe do Navegador", document="RG 1", citizen=user),
            ).case  # fmt: skip
        with notify.muted():
            data_request, token = request_actions.submit_request(
                town, title="Podas de árvores da caminhada", description="Por bairro.",
                name="Pessoa de Teste", email="teste@exemplo.org",
            )  # fmt: skip
        receipt = issue_receipt(
            town, kind="datarequests.pedido", subject=data_request, number=data_request.protocol,
            title="Comprovante de pedido", issued_at=data_request.received_at,
            lines=[("Pedido", data_request.title)], public_summary="Pedido de abertura de base.",
        )  # fmt: skip
    try:
        yield [
            f"/dados/gestao/recursos/{resource.pk}/v{review.number}/",
            f"/dados/embed/{table.pk}/",
            f"/dados/pedidos/acompanhar/{token}/",
            receipt.verification_path,  # nothing links to a code: it is typed or scanned
            f"/atendimento/{case.slug}/",
            # an online form with documents, a CPF question and appointment slots
            "/servicos/castracao-gratuita-de-caes-e-gatos/solicitar/",
        ]
    finally:
        with django_db_blocker.unblock():
            for name in (review.original, review.parquet):
                if name and default_storage.exists(name):
                    default_storage.delete(name)


def log_in(visitor: Visitor) -> None:
    page = visitor.page
    visitor.goto(visitor.url("/conta/entrar/?next=/gestao/"))
    page.locator("#id_username").fill(USERNAME)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Entrar", exact=True).click()
    assert urlsplit(page.url).path == "/gestao/", f"o login levou a {page.url}"


def run_walk(mode: str, browser: Any, base_url: str, also: list[str]) -> WalkReport:
    anonymous = Visitor(browser, base_url, width=PHONE, height=800)
    staff = Visitor(browser, base_url, width=PHONE, height=800)
    try:
        log_in(staff)
        report = Walker(mode, anonymous, staff, also).run()
    finally:
        anonymous.close()
        staff.close()
    log = os.environ.get("PACO_WALK_LOG")
    if log:  # for whoever tunes the walk: what was checked and where the time goes
        Path(f"{log}.{mode}.json").write_text(json.dumps(asdict(report), default=sorted, indent=1))
    return report


def unreached_message(report: WalkReport) -> str:
    return (
        "Padrões de URL que a caminhada não alcançou (nenhuma página tem link para eles): "
        "acrescente um endereço em EXTRA, ou o padrão em NOT_PAGES se não for uma página:\n  "
        + "\n  ".join(report.unreached)
    )
