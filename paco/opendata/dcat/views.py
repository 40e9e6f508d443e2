"""DCAT-BR catalogue and dataset documents (Turtle, RDF/XML, JSON-LD) and datapackage.json."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from paco.core.cache import public_page
from paco.core.http import allow_any_origin
from paco.core.lazy import lazy_module
from paco.opendata.access import public_dataset
from paco.opendata.dcat import common
from paco.opendata.models import Dataset
from paco.tenancy.access import current_municipality

if TYPE_CHECKING:
    from paco.opendata.dcat import graph, paging, rdf
else:  # rdflib (~17 MB) is imported by the first DCAT request, not at start-up
    graph = lazy_module("paco.opendata.dcat.graph")
    paging = lazy_module("paco.opendata.dcat.paging")
    rdf = lazy_module("paco.opendata.dcat.rdf")


def parse_since(value: str) -> datetime.datetime | None:
    """An ISO 8601 date or date-time; naive values are in the local time zone."""
    value = value.strip().replace(" ", "+")  # a "+" in a query string arrives as a space
    when = parse_datetime(value)
    if when is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(value)
        when = datetime.datetime.combine(day, datetime.time.min)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    return when


def _rdf_response(data: bytes, fmt: str, status: int = 200) -> HttpResponse:
    return allow_any_origin(HttpResponse(data, content_type=rdf.CONTENT_TYPES[fmt], status=status))


def _bad_request(message: str) -> HttpResponse:
    return allow_any_origin(
        HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    )


@public_page
def catalog(request: HttpRequest, fmt: str) -> HttpResponse:
    town = current_municipality(request)
    since = None
    if request.GET.get("modified_since"):
        try:
            since = parse_since(request.GET["modified_since"])
        except ValueError:
            return _bad_request(
                "Parâmetro modified_since inválido: use uma data ISO 8601, "
                "por exemplo 2024-01-01 ou 2024-01-01T00:00:00Z."
            )
    raw_page = request.GET.get("page", "1")
    if not raw_page.isdigit():
        return _bad_request("Parâmetro page inválido: use um número a partir de 1.")
    try:
        g, _page = paging.catalog_graph(request, town, int(raw_page), since)
    except ValueError:
        response = _bad_request("Esta página do catálogo não existe.")
        response.status_code = 404
        return response
    return _rdf_response(rdf.serialize(g, fmt), fmt)


@public_page
def dataset(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    found = public_dataset(request, name)
    obj = common.with_related(Dataset.objects.filter(pk=found.pk)).get()
    return _rdf_response(rdf.serialize(graph.dataset_graph(request, obj), fmt), fmt)
