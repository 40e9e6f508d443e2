"""Helpers of the browser suite: visit a page, record what went wrong, crawl the site.

Everything here drives Debian's chromium through Playwright's sync API. A
:class:`Visitor` owns one browser context and one page, reused for every visit;
each visit returns a :class:`PageReport` with what a test may assert on.
"""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
MAX_PAGES = 120

# The pages that must exist and be reached; a service page is found by crawling.
MUST_HAVE = ["/", "/servicos/", "/cronograma/", "/acessibilidade/", "/conta/entrar/"]
SERVICE_PAGE = re.compile(r"^/servicos/[^/?#]+/$")
# Open data: file downloads and dumps, and the iframe widget (no site chrome: it is checked on
# its own in test_open_data_pages.py).
SKIP_PREFIXES = (
    "/gestao/", "/conta/", "/static/", "/arquivos/", "/api/", "/contraste/",
    "/dados/recurso/", "/datastore/", "/dados/embed/", "/dados/gestao/",
)  # fmt: skip
# Public pages of the account area, checked too (the rest of /conta/ needs a login).
ALSO_VISIT = ["/conta/senha/esqueci/", "/conta/senha/esqueci/enviado/"]
ALLOWED_UNDER_SKIPPED = {"/conta/entrar/", *ALSO_VISIT}
FILE_SUFFIXES = (
    ".csv", ".ics", ".json", ".xml", ".pdf", ".xlsx", ".ods", ".odt", ".txt", ".zip",
    ".png", ".jpg", ".jpeg", ".svg", ".webp", ".ico",
    ".ttl", ".rdf", ".jsonld", ".atom", ".parquet", ".ndjson", ".geojson", ".gif",
)  # fmt: skip

_axe = Axe()
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# What every page report needs, in one round trip to the browser.
PAGE_FACTS = """(() => ({
  lang: document.documentElement.getAttribute('lang') || '',
  h1: document.querySelectorAll('h1').length,
  styled: getComputedStyle(document.body).fontFamily.indexOf('system-ui') !== -1,
  links: Array.from(document.querySelectorAll('a[href]'), (a) => a.href),
}))()"""

# The first element reached by Tab, in document order (tabindex >= 0, rendered, enabled).
FIRST_FOCUSABLE = """(() => {
  const selector = 'a[href], area[href], button, input:not([type=hidden]), select, textarea,'
    + ' iframe, summary, [tabindex], [contenteditable]';
  for (const el of document.querySelectorAll(selector)) {
    if (el.tabIndex < 0 || el.disabled || el.closest('[inert], [hidden]')) continue;
    if (el.getClientRects().length === 0) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    return el.outerHTML.slice(0, 160);
  }
  return '';
})()"""


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    targets: list[str]

    def describe(self) -> str:
        where = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return f"{self.rule} [{self.impact}] {self.help} → {where}"


@dataclass
class PageReport:
    url: str
    path: str
    status: int = 0
    error: str = ""
    violations: list[Violation] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    transfer_bytes: int = 0
    lang: str = ""
    h1_count: int = 0
    styled: bool = False
    skip_link: str = ""  # empty when the skip link works, else what went wrong
    links: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> list[Violation]:
        return [v for v in self.violations if v.impact in BLOCKING_IMPACTS]


def launch_options(executable: str) -> dict[str, object]:
    return {"executable_path": executable, "args": CHROMIUM_ARGS}


class Visitor:
    """One browser context and page against the live server, reused across visits."""

    def __init__(
        self,
        browser: Browser,
        base_url: str,
        *,
        width: int = 1280,
        height: int = 800,
        javascript: bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.context: BrowserContext = browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            locale="pt-BR",
        )
        self.context.set_default_timeout(30_000)
        if javascript:  # axe-core in every page, sent to the browser once (not per visit)
            self.context.add_init_script(script=_axe.axe_script)
        self.external: list[str] = []
        self.context.route(self._is_external, self._abort_external)
        self.page: Page = self.context.new_page()
        self.console: list[ConsoleMessage] = []
        self.requests: list[Request] = []
        self.page_errors: list[str] = []
        self.page.on("console", lambda message: self.console.append(message))
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        self.page.on("requestfinished", lambda request: self.requests.append(request))

    def _is_external(self, url: str) -> bool:
        return not (url.startswith(self.base_url + "/") or url == self.base_url)

    def _abort_external(self, route: Route) -> None:
        self.external.append(route.request.url)
        route.abort()

    def close(self) -> None:
        self.context.close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def reset_records(self) -> None:
        self.console.clear()
        self.requests.clear()
        self.page_errors.clear()
        self.external.clear()

    def visit(self, path: str, *, axe: bool = True, check_skip_link: bool = True) -> PageReport:
        """Load one page and record everything the suite checks."""
        report = PageReport(url=self.url(path), path=path)
        self.reset_records()
        try:
            response = self.goto(report.url)
            report.status = response.status if response else 0
            self.collect(report, axe=axe)
            if check_skip_link:
                report.skip_link = self.skip_link_problem()
        except Exception as exc:  # a crash is reported, not raised, so the crawl goes on
            report.error = f"{exc.__class__.__name__}: {str(exc).splitlines()[0]}"
        return report

    def goto(self, url: str) -> Response | None:
        """Navigate, retrying once: a loaded CI machine may stall one request."""
        try:
            return self.page.goto(url, wait_until="load")
        except PlaywrightTimeoutError:
            return self.page.goto(url, wait_until="load")

    def collect(self, report: PageReport, *, axe: bool = True, shot_suffix: str = "") -> None:
        """Fill ``report`` from the page as it is now."""
        page = self.page
        facts = page.evaluate(PAGE_FACTS)
        report.lang, report.h1_count = facts["lang"], facts["h1"]
        report.styled, report.links = facts["styled"], facts["links"]
        for message in self.console:
            text = message.text
            if "Refused to" in text or "Content Security Policy" in text:
                report.csp_violations.append(text)
            elif message.type == "error" and not self._is_own_status_error(message, report):
                report.console_errors.append(text)
        report.console_errors += self.page_errors
        report.external_requests = list(self.external)
        if report.path == "/":  # only the home page has a weight budget; sizes cost a round trip
            report.transfer_bytes = sum(self._size(r) for r in self.requests)
        if axe:
            report.violations = run_axe(page)
        shots = os.environ.get("PACO_SCREENSHOTS_DIR")
        if shots:
            self.screenshot(Path(shots), report.path, shot_suffix)

    def _is_own_status_error(self, message: ConsoleMessage, report: PageReport) -> bool:
        """Chromium logs the page's own 4xx status as a console error; that is expected."""
        return (
            report.status >= 400
            and message.text.startswith("Failed to load resource")
            and message.location.get("url") == report.url
        )

    @staticmethod
    def _size(request: Request) -> int:
        sizes = request.sizes()
        return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])

    def skip_link_problem(self) -> str:
        """The skip link must be the first focusable element and move focus to #conteudo."""
        page = self.page
        first = page.evaluate(FIRST_FOCUSABLE)
        if 'href="#conteudo"' not in first:
            return f"primeiro elemento focável não é o link de pular: {first!r}"
        if page.evaluate("document.activeElement === document.body"):
            page.keyboard.press("Tab")  # a fresh page: the first Tab must reach the link
        else:  # something took focus on load (autofocus): start from the link itself
            page.focus("a.pular, a[href='#conteudo']")
        if 'href="#conteudo"' not in page.evaluate("document.activeElement.outerHTML"):
            return "a primeira tecla Tab não levou ao link de pular"
        if page.evaluate("document.activeElement.getBoundingClientRect().top") < 0:
            return "o link de pular não fica visível quando recebe o foco"
        page.keyboard.press("Enter")
        target = page.evaluate("document.activeElement ? document.activeElement.id : ''")
        if target != "conteudo":
            return f"Enter no link de pular levou o foco a #{target!r}, não a #conteudo"
        return ""

    def screenshot(self, directory: Path, path: str, suffix: str = "") -> None:
        directory.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size or {"width": 0}
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "inicio"
        self.page.screenshot(
            path=str(directory / f"{name}-{size['width']}{suffix}.png"), full_page=True
        )


def run_axe(page: Page) -> list[Violation]:
    """axe-core on the current page; the script is preloaded by the context when possible."""
    if page.evaluate("typeof axe === 'undefined'"):
        page.evaluate(_axe.axe_script)
    response = page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)
    return [
        Violation(
            rule=item["id"],
            impact=item.get("impact") or "",
            help=item.get("help", ""),
            targets=[", ".join(map(str, node.get("target", []))) for node in item["nodes"]],
        )
        for item in response["violations"]
    ]


def crawlable(url: str, base_url: str) -> str | None:
    """The path (with query) to visit for ``url``, or None when the crawl skips it."""
    url, _fragment = urldefrag(url)
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES) and path not in ALLOWED_UNDER_SKIPPED:
        return None
    if path.lower().endswith(FILE_SUFFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(visitor: Visitor, start: list[str], limit: int = MAX_PAGES) -> list[PageReport]:
    """Breadth-first visit of every public page reachable from ``start``."""
    queue: deque[str] = deque(start)
    seen: set[str] = set(start)
    reports: list[PageReport] = []
    while queue and len(reports) < limit:
        report = visitor.visit(queue.popleft())
        reports.append(report)
        for link in report.links:
            path = crawlable(link, visitor.base_url)
            if path is not None and path not in seen:
                seen.add(path)
                queue.append(path)
    return reports


def service_paths(reports: list[PageReport]) -> list[str]:
    return [r.path for r in reports if SERVICE_PAGE.match(r.path)]


def problems_of(page: PageReport) -> list[str]:
    """Everything wrong with one visited page: axe (serious/critical), CSP, console, requests
    to other hosts, status, document basics and the skip link."""
    found = [v.describe() for v in page.blocking]
    found += [f"CSP: {t}" for t in page.csp_violations]
    found += [f"console: {t}" for t in page.console_errors]
    found += [f"externo: {u}" for u in page.external_requests]
    if page.status != 200 or page.error:
        found.append(f"status {page.status} {page.error}")
    if page.h1_count != 1:
        found.append(f"{page.h1_count} elementos h1")
    if page.lang != "pt-BR" or not page.styled:
        found.append("sem lang pt-BR ou sem paco.css")
    if page.skip_link:
        found.append(page.skip_link)
    return found


def listing(problems: dict[str, list[str]]) -> str:
    """A readable failure message: one block per page."""
    lines = []
    for path, items in problems.items():
        lines.append(f"\n{path}")
        lines += [f"  - {item}" for item in items]
    return "\n".join(lines)
