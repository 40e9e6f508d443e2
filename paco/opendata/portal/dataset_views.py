"""The dataset page, the bigger preview of one resource, and the embeddable widget."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, cast

from csp.decorators import csp_replace
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from paco.core.cache import public_page
from paco.opendata import links
from paco.opendata.access import public_dataset, public_resource
from paco.opendata.models import Resource
from paco.opendata.portal import detail
from paco.opendata.portal.views import open_data_plan
from paco.plans.dates import today_local

EMBED_PAGE_SIZE = 15
RESOURCE_PAGE_SIZE = 50


def _resources(dataset_id: uuid.UUID, town_id: int) -> list[Resource]:
    return list(
        Resource.objects.filter(municipality_id=town_id, dataset_id=dataset_id)
        .public()
        .select_related("current_version")
        .order_by("position", "created_at")
    )


@public_page
def dataset_page(request: HttpRequest, name: str) -> HttpResponse:
    dataset = public_dataset(request, name)
    town = dataset.municipality
    resources = _resources(dataset.pk, town.pk)
    for r in resources:
        r.dataset = dataset  # the pages link back to it: no query per resource
    versions = detail.published_versions(resources)
    chosen = request.GET.get("recurso", "")
    views: list[detail.ResourceView] = []
    for r in resources:
        active = str(r.pk) == chosen or (not chosen and not views)
        views.append(
            detail.resource_view(
                request,
                r,
                versions.get(r.pk, []),
                preview_params=request.GET if active else None,
                base_params=[("recurso", str(r.pk))],
            )
        )
    first_table = next((v for v in views if v.tabular), None)
    today = today_local()
    canonical = links.dataset_page_url(request, dataset)
    context = {
        "dataset": dataset,
        "themes": list(dataset.themes.all()),
        "unit": dataset.unit,
        "meta": detail.metadata(dataset, today),
        "resources": views,
        "api_examples": detail.api_examples(request, dataset, first_table),
        "alternates": detail.alternates(request, dataset),
        "jsonld": detail.schemaorg(request, dataset),
        "canonical_url": canonical,
        "share_image": request.build_absolute_uri(static("portal/compartilhar.png")),
        "og_site": f"{town.display_name} — Dados abertos",
        "og_image_alt": f"Dados abertos de {town.name}",
        "plan": open_data_plan(town),
        "inventory_items": list(dataset.inventory_items.all()[:5]),
        "today": today,
    }
    return render(request, "portal/dataset.html", context)


def _dataset_resource(request: HttpRequest, name: str, resource_id: uuid.UUID) -> Resource:
    resource = public_resource(request, resource_id)
    if resource.dataset.name != name:
        raise Http404("Recurso não encontrado neste conjunto.")
    return resource


@public_page
def resource_page(request: HttpRequest, name: str, resource_id: uuid.UUID) -> HttpResponse:
    resource = _dataset_resource(request, name, resource_id)
    versions = detail.published_versions([resource])
    view = detail.resource_view(
        request,
        resource,
        versions.get(resource.pk, []),
        preview_params=request.GET,
        page_size=RESOURCE_PAGE_SIZE,
    )
    context = {
        "dataset": resource.dataset,
        "resource": resource,
        "r": view,
        "api_examples": detail.api_examples(request, resource.dataset, view),
    }
    return render(request, "portal/resource.html", context)


EMBED_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["*"],
    "script-src": None,
    "font-src": None,
    "connect-src": None,
    "object-src": None,
}


def _embed(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponse:
    """A small page with the table preview, for an ``<iframe>`` on any site.

    Its own policy: nothing but this page's stylesheet and same-site links, and
    any site may frame it (``frame-ancestors *``); the rest of the site keeps
    ``frame-ancestors 'none'``. No form posts, no session: it sets no cookie.
    """
    resource = public_resource(request, resource_id)
    if not resource.has_datastore:
        raise Http404("Este recurso não tem tabela para mostrar.")
    assert resource.current_version is not None
    preview = detail.build_preview(resource.current_version, request.GET, page_size=EMBED_PAGE_SIZE)
    dataset_url = request.build_absolute_uri(
        reverse("portal:dataset", args=[resource.dataset.name])
    )
    context = {"resource": resource, "preview": preview, "dataset_url": dataset_url}
    return render(request, "portal/embed.html", context)


embed = public_page(
    xframe_options_exempt(
        cast(Callable[..., HttpResponse], csp_replace(EMBED_CSP)(cast(Any, _embed)))
    )
)
