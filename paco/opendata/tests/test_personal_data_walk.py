"""Walk test of issue 8 §1: no public address of a town shows personal data.

The fixture town (:mod:`.exposure_town`) holds personal data at every stage: a
version flagged and awaiting review, one treated and published, one superseded,
and a data request whose texts hold CPFs, e-mails and a name. The walk:

1. enumerates EVERY pattern of the URL resolver and instantiates its parameters
   from the fixture's objects (datasets, resources, every version number, units,
   themes, protocols…), plus every CKAN action with every kind of argument;
2. follows every same-site link found in the responses (HTML, JSON, RDF, Atom,
   CSV);
3. fails on any CPF with valid check digits, any e-mail that is not an
   institutional contact, or any planted name, in any body (Parquet is decoded
   with DuckDB).

A pattern the walk cannot instantiate fails the test, so a new page cannot be
forgotten: give it parameters in :func:`bindings`, or put it in
:data:`STAFF_ONLY` (then anonymous access must be refused) or in
:data:`NOT_WALKED` with the reason.
"""

from __future__ import annotations

import datetime
import html
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import duckdb
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from paco.atendimento.models import Case
from paco.catalog.models import Step
from paco.conftest import HOST_X
from paco.datarequests.models import DataRequest
from paco.opendata.ckan.handlers import HANDLERS
from paco.opendata.models import Dataset, Resource, ResourceVersion, Theme
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.exposure_town import CPFS, EMAILS, NAMES, ExposureTown, build
from paco.plans.models import Plan, Stage
from paco.privacy import cpf_is_valid
from paco.receipts.models import Receipt
from paco.tenancy.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

#: patterns only staff (or an API token) may use: anonymous access must be refused
STAFF_ONLY = {
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:two_factor",
    "plans:import",
    "plans:stage_edit",
    "catalog:staff_list",
    "catalog:staff_edit",
    "catalog:staff_step",
    "datarequests:staff_list",
    "datarequests:staff_detail",
    "dcat:readiness",
    "pipeline:home",
    "pipeline:dataset-create",
    "pipeline:dataset",
    "pipeline:dataset-edit",
    "pipeline:upload",
    "pipeline:version",
    "pipeline:version-status",
    "pipeline:version-lgpd",
    "pipeline:version-publish",
    "pipeline:dictionary",
    "pipeline:tokens",
    "pipeline:token-revoke",
    "pipeline:api-versions",  # the token upload API
    "pipeline:api-version",
}
#: every back-office route is staff-only too, except its sign-in page (walked)
ADMIN_PREFIX = "gestao/"
ADMIN_PUBLIC = {"admin:login"}

#: patterns not walked, and why (each is still checked as described)
NOT_WALKED = {
    # the requester's own page, reached only with the secret link e-mailed to them: it
    # shows them their contact details and their texts as written. Checked: a made-up
    # token gets a 404.
    "datarequests:track": "/dados/pedidos/acompanhar/nao-existe/",
}

#: formats every ``fmt`` parameter is tried with (a pattern keeps those it accepts)
FORMATS = ("csv", "tsv", "json", "ndjson", "parquet", "xml", "ttl", "rdf", "jsonld")
REFUSED = {302, 401, 403, 404, 405}
MAX_REQUESTS = 6000

_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>\w+)>")
_CPF = re.compile(r"(?<![0-9A-Za-z])(\d{3})\.?\s?(\d{3})\.?\s?(\d{3})[-.\s]?(\d{2})(?![0-9A-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LINK = re.compile(r"""(?:href|src|action)=["']([^"'#]+)""")
_ABSOLUTE = re.compile(r"https?://" + re.escape(HOST_X) + r"(/[^\s\"'<>\\)\]]*)")
#: the distinctive words of the planted names (ASCII, so escaping cannot hide them)
_NAME_WORDS = re.compile(r"\b(Quintanilha|Furtado|Vasconcellos|Brum|Zuleica)\b", re.I)


@dataclass
class Route:
    name: str
    route: str

    @property
    def params(self) -> list[tuple[str, str]]:
        return [(m["conv"] or "str", m["name"]) for m in _PARAM.finditer(self.route)]


def routes() -> list[Route]:
    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[Route]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace + (f"{p.namespace}:" if p.namespace else "")
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            else:
                assert isinstance(p, URLPattern)
                name = namespace + (p.name or f"<sem nome:{p.pattern}>")
                yield Route(name, prefix + str(p.pattern))

    return list(walk(get_resolver().url_patterns, "", ""))


@dataclass
class Fixture:
    town: ExposureTown
    datasets: list[Dataset]
    resources: list[Resource]
    versions: list[ResourceVersion]
    slugs: list[str]
    keys: list[str]
    protocols: list[str]
    pks: list[int]
    service_steps: list[dict[str, Any]] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    cases: list[tuple[str, str]] = field(default_factory=list)  # (number, slug)


def fixture_values(exposed: ExposureTown) -> Fixture:
    town = exposed.town
    datasets = list(Dataset.objects.for_municipality(town))
    resources = list(Resource.objects.for_municipality(town).select_related("dataset"))
    versions = list(ResourceVersion.objects.for_municipality(town).select_related("resource"))
    units = [u.slug for u in Unit.objects.for_municipality(town)]
    plans = [p.slug for p in Plan.objects.for_municipality(town)]
    return Fixture(
        town=exposed,
        datasets=datasets,
        resources=resources,
        versions=versions,
        slugs=units + plans,
        keys=list(Theme.objects.values_list("key", flat=True)),
        protocols=[r.protocol for r in DataRequest.objects.for_municipality(town)],
        codes=[r.display_code for r in Receipt.objects.for_municipality(town)],
        cases=[(c.number, c.slug) for c in Case.objects.for_municipality(town)],
        pks=[s.pk for s in Stage.objects.for_municipality(town)] + [1],
        service_steps=[
            {"slug": slug, "pk": pk}
            for slug, pk in Step.objects.filter(service__municipality=town).values_list(
                "service__slug", "pk"
            )
        ]
        or [{"slug": "nao-existe", "pk": 1}],
    )


def bindings(names: frozenset[str], fx: Fixture) -> list[dict[str, Any]] | None:
    """Every way to fill these parameters from the fixture; None: unknown parameters."""
    by_version = [
        {
            "resource_id": v.resource_id,
            "number": v.number,
            "name": v.resource.dataset.name,
            "resource": v.resource.name,
        }
        for v in fx.versions
    ]
    by_resource = [
        {"resource_id": r.pk, "name": r.dataset.name, "resource": r.name} for r in fx.resources
    ]
    table: dict[frozenset[str], list[dict[str, Any]]] = {
        frozenset(): [{}],
        frozenset({"resource_id", "number"}): by_version,
        frozenset({"name", "resource", "number"}): by_version,
        frozenset({"resource_id"}): by_resource,
        frozenset({"name", "resource"}): by_resource,
        frozenset({"name", "resource_id"}): by_resource,
        frozenset({"resource_id", "fmt"}): [{**r, "fmt": f} for r in by_resource for f in FORMATS],
        frozenset({"name"}): [{"name": d.name} for d in fx.datasets],
        frozenset({"name", "fmt"}): [
            {"name": d.name, "fmt": f} for d in fx.datasets for f in FORMATS
        ],
        frozenset({"fmt"}): [{"fmt": f} for f in FORMATS],
        frozenset({"slug"}): [{"slug": s} for s in fx.slugs],
        frozenset({"key"}): [{"key": k} for k in fx.keys],
        frozenset({"protocol"}): [{"protocol": p} for p in fx.protocols],
        # receipts' verification codes; Open311's service codes are slugs
        frozenset({"code"}): [{"code": c} for c in fx.codes] + [{"code": s} for s in fx.slugs],
        # Atendimento: the town's cases (by their address form), kinds, transitions
        frozenset({"number"}): [{"number": slug} for _, slug in fx.cases],
        frozenset({"number", "pk"}): [{"number": slug, "pk": 1} for _, slug in fx.cases],
        frozenset({"number", "action"}): [
            {"number": slug, "action": "note"} for _, slug in fx.cases
        ],
        frozenset({"kind_slug"}): [{"kind_slug": k} for k in ("servico", "ouvidoria", "esic")],
        frozenset({"token"}): [{"token": "invalido"}],  # the citizens' e-mail confirmation
        frozenset({"year"}): [{"year": datetime.date.today().year}],  # the panel's report
        frozenset({"pk"}): [{"pk": pk} for pk in fx.pks],
        frozenset({"slug", "pk"}): fx.service_steps,
        frozenset({"dataset_id"}): [{"dataset_id": d.pk} for d in fx.datasets],
        frozenset({"uidb64", "token"}): [{"uidb64": "MQ", "token": "invalido"}],
        # Open311: service codes are slugs; a request id is a NUP (the fixture has no case:
        # the listing and the service requests are screened in paco/open311/tests)
        frozenset({"request_id"}): [{"request_id": "00000.000001/2026-00"}]
        + [{"request_id": n} for n, _ in fx.cases],
        frozenset({"rest"}): [{"rest": "services.xml"}],
    }
    return table.get(names)


def fill(route: Route, values: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        return quote(str(values[match["name"]]), safe="")

    return "/" + _PARAM.sub(value, route.route)


def ckan_queries(fx: Fixture) -> list[str]:
    """Arguments for every CKAN action: ids of every kind, searches, SQL, formats."""
    queries = ["", "all_fields=true&include_datasets=true", "q=folha", "q=Quintanilha"]
    queries += [f"id={d.name}" for d in fx.datasets] + [f"id={d.pk}" for d in fx.datasets]
    queries += [f"id={s}&include_datasets=true" for s in fx.slugs]
    queries += [f"id={k}&include_datasets=true" for k in fx.keys]
    for r in fx.resources:
        queries += [f"id={r.pk}", f"resource_id={r.pk}", f'sql=SELECT * FROM "{r.pk}"']  # noqa: S608
        queries += [f"resource_id={r.pk}&records_format={f}" for f in ("csv", "tsv", "lists")]
    return queries


def instantiate(route: Route, fx: Fixture) -> list[str] | None:
    """The addresses that exercise ``route``; None when its parameters are unknown."""
    names = frozenset(n for _, n in route.params)
    if route.name.startswith("ckan:action"):
        paths = [fill(route, {"name": action}) for action in sorted(HANDLERS)]
        if route.name == "ckan:action":  # the same view: every argument once is enough
            return [f"{p}?{q}" if q else p for p in paths for q in ckan_queries(fx)]
        return paths
    if route.route.startswith(ADMIN_PREFIX):
        return [fill(route, {n: "1" for n in names})]
    found = bindings(names, fx)
    if found is None:
        return None
    out = []
    for values in found:
        path = fill(route, values)
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            continue
        if _route_of(match) == route.route:
            out.append(path)
    if "resource_id" in names and "number" not in names:  # every version of the table
        out += [f"{p}?versao={n}" for p in out for n in (1, 2, 3)]
        out += [f"{p}?format={f}" for p in out if "/dump/" in p for f in ("json", "xml", "tsv")]
    return sorted(set(out))


def _route_of(match: Any) -> str:
    return str(match.route)


# --- what must never appear --------------------------------------------------------
@dataclass
class Leaks:
    found: list[str] = field(default_factory=list)

    def report(self) -> str:
        """One line per address (its first finding), then the total."""
        first: dict[str, str] = {}
        for finding in self.found:
            url, what = finding.split(": ", 1)
            first.setdefault(url, what)
        lines = [f"{url}: {what}" for url, what in sorted(first.items())]
        return "\n".join([*lines[:200], f"{len(self.found)} achados em {len(first)} endereços"])

    def scan(self, url: str, text: str, allowed_emails: set[str]) -> None:
        for m in _CPF.finditer(text):
            if cpf_is_valid("".join(m.groups())):
                self.found.append(f"{url}: CPF {m.group(0)}")
        for cpf in CPFS:
            if cpf in text or re.sub(r"\D", "", cpf) in text:
                self.found.append(f"{url}: CPF plantado {cpf}")
        for m in _EMAIL.finditer(text):
            address = m.group(0).replace("%40", "@").lower()
            if address not in allowed_emails:
                self.found.append(f"{url}: e-mail {m.group(0)}")
        lowered = text.lower()
        for email in EMAILS:
            if email.split("@")[0] in lowered:
                self.found.append(f"{url}: e-mail plantado {email}")
        for name in NAMES:
            if name.lower() in lowered:
                self.found.append(f"{url}: nome {name}")
        for m in _NAME_WORDS.finditer(text):
            self.found.append(f"{url}: nome {m.group(0)}")


def body_text(response: Any) -> str:
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if raw.startswith(b"PAR1"):
        with tempfile.NamedTemporaryFile(suffix=".parquet") as fh:
            fh.write(raw)
            fh.flush()
            with duckdb.connect() as con:
                rows = con.execute("SELECT * FROM read_parquet(?)", [fh.name]).fetchall()
        return repr(rows)
    text = raw.decode("utf-8", errors="replace")
    return text + "\n" + html.unescape(text)


def links_in(text: str) -> Iterator[str]:
    for m in _LINK.finditer(text):
        link = html.unescape(m.group(1))
        if link.startswith("/") and not link.startswith("//"):
            yield link
        elif link.startswith(f"http://{HOST_X}/") or link.startswith(f"https://{HOST_X}/"):
            yield urlsplit(link)._replace(scheme="", netloc="").geturl()
    for m in _ABSOLUTE.finditer(text):
        yield html.unescape(m.group(1)).split("#")[0]


def allowed_emails(fx: Fixture) -> set[str]:
    """Institutional contact points staff publish on purpose (town, units, datasets)."""
    town = fx.town.town
    found = {town.email} | {u.email for u in Unit.objects.for_municipality(town)}
    found |= {d.contact_email for d in fx.datasets}
    return {e.lower() for e in found if e}


@dataclass
class Walk:
    client: Client
    fx: Fixture
    leaks: Leaks = field(default_factory=Leaks)
    seen: set[str] = field(default_factory=set)
    statuses: dict[str, int] = field(default_factory=dict)

    def visit(self, start: list[str]) -> None:
        queue = list(start)
        emails = allowed_emails(self.fx)
        while queue:
            url = queue.pop()
            if url in self.seen or url.startswith("/static/"):
                continue
            assert len(self.seen) < MAX_REQUESTS, "walk too big: check the link following"
            self.seen.add(url)
            response = self.client.get(url)
            self.statuses[url] = response.status_code
            if response.status_code in (301, 302, 303, 307, 308):
                queue.append(response["Location"])
                continue
            text = body_text(response)
            self.leaks.scan(url, text, emails)
            queue.extend(link for link in links_in(text) if link not in self.seen)


@pytest.fixture
def exposed(town_x, unit_x_a, data_editor_x, admin_x) -> ExposureTown:
    return build(town_x, unit_x_a, data_editor_x, admin_x)


def test_walk_every_public_address_finds_no_personal_data(exposed, anon_x):
    fx = fixture_values(exposed)
    public: list[str] = []
    staff: list[tuple[str, str]] = []
    unknown: list[str] = []
    all_routes = routes()
    for route in all_routes:
        if route.name in NOT_WALKED:
            continue
        paths = instantiate(route, fx)
        if not paths:
            unknown.append(f"{route.name} ({route.route})")
            continue
        admin = route.route.startswith(ADMIN_PREFIX) and route.name not in ADMIN_PUBLIC
        if route.name in STAFF_ONLY or admin:
            staff += [(route.name, p) for p in paths]
        else:
            public += paths
    assert not unknown, (
        "Endereços que o passeio não sabe instanciar (dê parâmetros em bindings(), ou "
        f"ponha em STAFF_ONLY/NOT_WALKED com o motivo): {unknown}"
    )
    names = {r.name for r in all_routes}
    stale = (STAFF_ONLY | set(NOT_WALKED) | ADMIN_PUBLIC) - names
    assert not stale, f"listas com rotas que não existem mais: {stale}"

    walk = Walk(anon_x, fx)
    walk.visit(public)
    assert not walk.leaks.found, walk.leaks.report()

    # the walk really reached the data: treated tables, old versions, the request, the
    # open dataset of requests, originals of clean versions
    ok = {u for u, s in walk.statuses.items() if s == 200}
    folha = exposed.folha.pk
    for expected in (
        f"/dados/recurso/{folha}/dados.csv?versao=1",
        f"/dados/recurso/{folha}/dados.parquet?versao=2",
        f"/dados/pedidos/{exposed.data_request.protocol}/",
        "/dataset/pedidos-de-abertura/",
        f"/dados/recurso/{exposed.clean.pk}/v1/original",
        "/api/3/action/package_show?id=servidores",
        "/dataset/servidores.ttl",
        "/dados/feeds/conjuntos.atom",
        f"/dados/embed/{folha}/",
        "/sitemap.xml",
    ):
        assert expected in ok, expected
    for version in (exposed.superseded, exposed.published, exposed.pending):
        original = f"/dados/recurso/{version.resource_id}/v{version.number}/original"
        assert walk.statuses.get(original) == 404, original
    assert len(walk.seen) > 500, len(walk.seen)

    # staff-only addresses refuse anonymous visitors; the secret link refuses a made-up one
    for name, path in staff:
        status = anon_x.get(path).status_code
        assert status in REFUSED, (name, path, status)
    for path in NOT_WALKED.values():
        assert anon_x.get(path).status_code == 404


def test_the_oracle_sees_what_it_looks_for():
    """The scanner itself: formatted, bare and encoded forms are found; hashes are not."""
    leaks = Leaks()
    leaks.scan("a", "x 52998224725 y", set())
    leaks.scan("b", '{"e": "maria.quintanilha%40exemplo.org"}', set())
    leaks.scan("c", "Jo\\u00e3o Barcelos Furtado", set())
    leaks.scan("d", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", set())
    leaks.scan("e", "contato@x.paco.test", {"contato@x.paco.test"})
    assert {f.split(":")[0] for f in leaks.found} == {"a", "b", "c"}


def test_a_new_pattern_the_walk_cannot_fill_is_reported(exposed):
    """A page added with a parameter the walk does not know is not silently skipped."""
    fx = fixture_values(exposed)
    assert instantiate(Route("novo:pagina", "dados/processos/<int:processo>/"), fx) is None
    assert instantiate(Route("novo:caso", "dados/casos/<slug:caso>/"), fx) is None
    known = instantiate(Route("datastore:original", _original_route()), fx)
    assert known and len(known) == len(fx.versions)


def _original_route() -> str:
    return next(r.route for r in routes() if r.name == "datastore:original")
