"""``/sitemap.xml`` for the request's municipality."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from paco.catalog.models import Category, LifeEvent, Service
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality


class StaticPages(Sitemap):
    def items(self) -> list[str]:
        return ["/", reverse("catalog:list"), "/cronograma/"]

    def location(self, item: str) -> str:
        return item


class Services(Sitemap):
    def __init__(self, town: Municipality) -> None:
        self.town = town

    def items(self) -> Any:
        return (
            Service.objects.for_municipality(self.town)
            .published()
            .only("slug", "updated_at")
            .order_by("name")
        )

    def lastmod(self, obj: Service) -> Any:
        return obj.updated_at


class Taxonomy(Sitemap):
    def __init__(self, town: Municipality, model: type[Category] | type[LifeEvent]) -> None:
        self.town = town
        self.model = model

    def items(self) -> Any:
        return self.model.objects.for_municipality(self.town).order_by("name")


def sitemap_view(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    maps: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
        "paginas": StaticPages(),
        "servicos": Services(town),
        "categorias": Taxonomy(town, Category),
        "eventos": Taxonomy(town, LifeEvent),
    }
    return sitemap(request, sitemaps=maps)
