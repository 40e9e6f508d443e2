"""Atom feeds of new and updated datasets (overall, per organization, per theme) and services.

Each entry keeps a stable ``id`` (the page address) and carries ``published``
(first publication) and ``updated`` (last change), so feed readers show a new
dataset once and mark it again when it is updated (Atom semantics).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from paco.catalog.models import Service
from paco.core.cache import public_page
from paco.core.sanitize import plain_tree
from paco.opendata.models import Dataset, Theme
from paco.opendata.portal.views import theme_or_404
from paco.tenancy.access import current_municipality, get_for_request
from paco.tenancy.models import Municipality, Unit

FEED_SIZE = 50


@dataclass
class Scope:
    town: Municipality
    title: str
    link: str
    description: str
    unit: Unit | None = None
    theme: Theme | None = None


class PlainFeed(Feed):
    """Every value a feed takes from its attributes (titles, descriptions, authors,
    categories…) leaves as plain text: feed readers render Atom ``summary`` as HTML."""

    def _get_dynamic_attr(self, attname: str, obj: Any, default: Any = None) -> Any:
        return plain_tree(super()._get_dynamic_attr(attname, obj, default))  # type: ignore[misc]


class DatasetFeed(PlainFeed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        town = current_municipality(request)
        return Scope(
            town=town,
            title=f"Dados abertos — {town.display_name}",
            link=reverse("portal:news"),
            description="Conjuntos de dados novos e atualizados.",
        )

    def title(self, obj: Scope) -> str:
        return obj.title

    def link(self, obj: Scope) -> str:
        return obj.link

    def subtitle(self, obj: Scope) -> str:
        return obj.description

    def items(self, obj: Scope) -> QuerySet[Dataset]:
        qs = Dataset.objects.for_municipality(obj.town).published()
        if obj.unit is not None:
            qs = qs.filter(unit=obj.unit)
        if obj.theme is not None:
            qs = qs.filter(themes=obj.theme)
        return (
            qs.select_related("unit")
            .prefetch_related("themes")
            .order_by("-modified_at")[:FEED_SIZE]
        )

    def item_title(self, item: Dataset) -> str:
        return item.title

    def item_description(self, item: Dataset) -> str:
        return item.description

    def item_link(self, item: Dataset) -> str:
        return reverse("portal:dataset", args=[item.name])

    def item_pubdate(self, item: Dataset) -> datetime.datetime:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Dataset) -> datetime.datetime:
        return item.modified_at

    def item_author_name(self, item: Dataset) -> str:
        return item.unit.name

    def item_categories(self, item: Dataset) -> list[str]:
        return [t.label for t in item.themes.all()]


class OrganizationFeed(DatasetFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        unit = get_for_request(request, Unit, slug=kwargs["slug"])
        return Scope(
            town=unit.municipality,
            title=f"Dados abertos de {unit.name} — {unit.municipality.display_name}",
            link=reverse("portal:organization", args=[unit.slug]),
            description=f"Conjuntos de dados novos e atualizados de {unit.name}.",
            unit=unit,
        )


class ThemeFeed(DatasetFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        town = current_municipality(request)
        theme = theme_or_404(kwargs["key"])
        return Scope(
            town=town,
            title=f"Dados abertos: {theme.label} — {town.display_name}",
            link=reverse("portal:group", args=[theme.key]),
            description=f"Conjuntos de dados novos e atualizados do tema {theme.label}.",
            theme=theme,
        )


class ServiceFeed(PlainFeed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Municipality:
        return current_municipality(request)

    def title(self, obj: Municipality) -> str:
        return f"Carta de Serviços — {obj.display_name}"

    def link(self, obj: Municipality) -> str:
        return reverse("catalog:list")

    def subtitle(self, obj: Municipality) -> str:
        return "Serviços novos e atualizados da Carta de Serviços."

    def items(self, obj: Municipality) -> QuerySet[Service]:
        return (
            Service.objects.for_municipality(obj)
            .published()
            .select_related("unit")
            .order_by("-updated_at")[:FEED_SIZE]
        )

    def item_title(self, item: Service) -> str:
        return item.name

    def item_description(self, item: Service) -> str:
        return item.description

    def item_link(self, item: Service) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Service) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Service) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Service) -> str:
        return item.unit.name


datasets_feed = public_page(DatasetFeed())
organization_feed = public_page(OrganizationFeed())
theme_feed = public_page(ThemeFeed())
services_feed = public_page(ServiceFeed())
