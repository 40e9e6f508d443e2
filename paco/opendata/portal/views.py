"""Public pages of the open-data portal: home, search, organizations, themes, visit counter.

Every page here is the same for every anonymous visitor (``@public_page``) and
reads through :mod:`paco.opendata.portal.search`, whose cached index makes the
lists cost a constant, small number of queries.

Visits (``Dataset.view_count``, the home page's "mais visitados") are counted by
a 1×1 image at the bottom of the dataset page, :func:`visit`: the page itself stays
in the anonymous page cache, every real view in a browser still counts (cached or
not), and clients that only fetch HTML — most crawlers — do not. One
``UPDATE … SET view_count = view_count + 1`` per view, no read.
"""

from __future__ import annotations

import base64
import uuid
from collections import Counter
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from paco.core.cache import public_page
from paco.opendata import vocab
from paco.opendata.models import Dataset, InventoryItem, Theme
from paco.opendata.portal import search
from paco.plans.dates import today_local
from paco.plans.models import Plan, PlanKind
from paco.tenancy.access import current_municipality, get_for_request
from paco.tenancy.models import Municipality, Unit

PAGE_SIZE = 20
HOME_LIST_SIZE = 6
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def open_data_plan(town: Municipality) -> Plan | None:
    """The public Plano de Dados Abertos (a plan of kind ``open_data``), if there is one."""
    plan: Plan | None = (
        Plan.objects.for_municipality(town).public().filter(kind=PlanKind.OPEN_DATA).first()
    )
    return plan


def request_links() -> dict[str, str]:
    """The art. 30 request pages (``paco.datarequests``)."""
    return {
        "new_request_url": reverse("datarequests:new"),
        "requests_url": reverse("datarequests:list"),
    }


def theme_or_404(key: str) -> Theme:
    theme = Theme.objects.filter(key=key).first()
    if theme is None:
        raise Http404("Tema não encontrado.")
    return theme


def _counts(index: list[search.IndexedDataset]) -> tuple[list[Any], list[Any]]:
    themes: Counter[tuple[str, str]] = Counter(t for entry in index for t in entry.themes)
    units: Counter[tuple[str, str]] = Counter((e.unit_slug, e.unit_name) for e in index)
    by_label = sorted(themes.items(), key=lambda kv: search.text.unaccent(kv[0][1]))
    return (
        [{"key": k, "label": label, "n": n} for (k, label), n in by_label],
        [
            {"slug": slug, "name": name, "n": n}
            for (slug, name), n in sorted(units.items(), key=lambda kv: kv[0][1])
        ],
    )


@public_page
def home(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    index = search.index_for(town)
    themes, organizations = _counts(index)
    recent = sorted(index, key=lambda e: e.published_at or e.modified_at, reverse=True)
    visited = sorted(
        (e for e in index if e.view_count), key=lambda e: (-e.view_count, e.title.casefold())
    )
    today = today_local()
    inventory = InventoryItem.objects.for_municipality(town).aggregate(
        total=Count("pk"), late=Count("pk", filter=Q(pk__in=InventoryItem.objects.late(today)))
    )
    context = {
        "total": len(index),
        "themes": themes,
        "organizations": organizations,
        "recent": recent[:HOME_LIST_SIZE],
        "visited": visited[:HOME_LIST_SIZE],
        "today": today,
        "inventory": inventory,
        "plan": open_data_plan(town),
        "late_updates": sum(1 for e in index if e.update_is_late(today)),
        **request_links(),
    }
    return render(request, "portal/home.html", context)


def _search_page(
    request: HttpRequest,
    *,
    title: str,
    intro: str = "",
    fixed: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    town = current_municipality(request)
    query = search.parse_query(request.GET, fixed=fixed)
    result = search.run_search(town, query, fixed=fixed)
    page = Paginator(result.results, PAGE_SIZE).get_page(request.GET.get("pagina"))
    keep = query.params()
    context = {
        "title": title,
        "intro": intro,
        "result": result,
        "query": query,
        "page": page,
        "sorts": search.SORTS,
        "today": today_local(),
        "fixed": fixed or {},
        "keep": search.urlencode(keep),
        "without_text": search.urlencode(query.without_text().params()),
        **(extra or {}),
    }
    return render(request, "portal/search.html", context)


@public_page
def dataset_search(request: HttpRequest) -> HttpResponse:
    return _search_page(
        request,
        title="Conjuntos de dados",
        intro="Busque nos dados abertos da Prefeitura e refine por tema, organização, formato, "
        "licença ou palavra-chave.",
    )


@public_page
def organizations(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    units = (
        Unit.objects.for_municipality(town)
        .annotate(n=Count("datasets", filter=Q(datasets__state="published")))
        .filter(n__gt=0)
        .order_by("name")
    )
    return render(request, "portal/organizations.html", {"units": units})


@public_page
def organization(request: HttpRequest, slug: str) -> HttpResponse:
    unit = get_for_request(request, Unit, slug=slug)
    if (
        not Dataset.objects.for_municipality(unit.municipality)
        .published()
        .filter(unit=unit)
        .exists()
    ):
        raise Http404("Esta organização não publica dados.")
    feed = reverse("portal:feed_organization", args=[unit.slug])
    return _search_page(
        request,
        title=unit.name,
        intro=" — ".join(x for x in (unit.address, unit.phone, unit.email) if x),
        fixed={"organizacao": unit.slug},
        extra={"unit": unit, "feed_url": feed, "feed_title": f"Novidades de {unit.name}"},
    )


@public_page
def group(request: HttpRequest, key: str) -> HttpResponse:
    theme = theme_or_404(key)
    feed = reverse("portal:feed_theme", args=[theme.key])
    return _search_page(
        request,
        title=f"Tema: {theme.label}",
        fixed={"tema": theme.key},
        extra={"theme": theme, "feed_url": feed, "feed_title": f"Novidades do tema {theme.label}"},
    )


@public_page
def groups(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    themes, _orgs = _counts(search.index_for(town))
    counted = {t["key"] for t in themes}
    others = [t for t in vocab.themes() if t.key not in counted]
    return render(request, "portal/groups.html", {"themes": themes, "others": others})


@require_GET
def visit(request: HttpRequest, dataset_id: uuid.UUID) -> HttpResponse:
    """Count one view of a published dataset and answer a transparent 1×1 GIF."""
    town = current_municipality(request)
    Dataset.objects.for_municipality(town).published().filter(pk=dataset_id).update(
        view_count=F("view_count") + 1
    )
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response
