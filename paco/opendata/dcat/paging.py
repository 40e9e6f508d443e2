"""One page of the DCAT-BR catalogue, with Hydra paging and the ``modified_since`` filter.

Harvesters follow ``hydra:next`` from ``?page=1`` until there is none; each page
holds at most :data:`PAGE_SIZE` datasets, ordered by name (stable while paging).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.http import HttpRequest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from paco.opendata.dcat.common import with_related
from paco.opendata.dcat.graph import CatalogGraph
from paco.opendata.dcat.rdf import HYDRA
from paco.opendata.models import Dataset
from paco.tenancy.models import Municipality

PAGE_SIZE = 100


@dataclass(frozen=True)
class Page:
    number: int
    last: int
    total: int


def page_url(request: HttpRequest, number: int) -> str:
    params = request.GET.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def add_paging(builder: CatalogGraph, page: Page) -> None:
    g, request = builder.graph, builder.request
    view = URIRef(page_url(request, page.number))
    g.add((view, RDF.type, HYDRA.PartialCollectionView))
    g.add((view, HYDRA.totalItems, Literal(page.total, datatype=XSD.nonNegativeInteger)))
    g.add((view, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.nonNegativeInteger)))
    g.add((view, HYDRA.first, URIRef(page_url(request, 1))))
    g.add((view, HYDRA.last, URIRef(page_url(request, page.last))))
    if page.number > 1:
        g.add((view, HYDRA.previous, URIRef(page_url(request, page.number - 1))))
    if page.number < page.last:
        g.add((view, HYDRA.next, URIRef(page_url(request, page.number + 1))))


def catalog_graph(
    request: HttpRequest,
    town: Municipality,
    number: int = 1,
    modified_since: datetime.datetime | None = None,
) -> tuple[Graph, Page]:
    """One page of the catalogue; ``ValueError`` when the page does not exist."""
    base = Dataset.objects.for_municipality(town).published()
    modified = base.aggregate(m=Max("modified_at"))["m"]
    if modified_since is not None:
        base = base.modified_since(modified_since)
    total = base.count()
    last = max(1, -(-total // PAGE_SIZE))
    if number < 1 or number > last:
        raise ValueError("página inexistente")
    start = (number - 1) * PAGE_SIZE
    datasets = list(with_related(base.order_by("name"))[start : start + PAGE_SIZE])
    builder = CatalogGraph(request, town)
    builder.catalog(datasets, modified)
    page = Page(number, last, total)
    add_paging(builder, page)
    return builder.graph, page
