"""The public inventory of databases (art. 29 §2 XI) and the "Novidades" page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from paco.catalog.models import Service
from paco.core.cache import public_page
from paco.opendata.models import Dataset, InventoryItem, InventoryStatus
from paco.opendata.portal.views import open_data_plan, request_links
from paco.plans.dates import today_local
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality

NEWS_SIZE = 50
#: a change this long after the first publication counts as an update
UPDATE_AFTER = datetime.timedelta(hours=1)


@public_page
def inventory(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    today = today_local()
    late_ids = set(
        InventoryItem.objects.for_municipality(town).late(today).values_list("pk", flat=True)
    )
    items = list(
        InventoryItem.objects.for_municipality(town)
        .select_related("unit", "dataset", "stage", "stage__plan")
        .order_by("planned_opening", "name")
    )
    rows = []
    for item in items:
        dataset = item.dataset if item.dataset and item.dataset.is_published else None
        stage_url = ""
        if item.stage is not None and item.stage.plan.is_public:
            stage_url = reverse("plans:detail", args=[item.stage.plan.slug])
        rows.append(
            {"item": item, "late": item.pk in late_ids, "dataset": dataset, "stage_url": stage_url}
        )
    summary = {
        "total": len(items),
        "published": sum(1 for i in items if i.status == InventoryStatus.PUBLISHED),
        "restricted": sum(1 for i in items if i.status == InventoryStatus.RESTRICTED),
        "late": len(late_ids),
    }
    context = {
        "rows": rows,
        "summary": summary,
        "today": today,
        "plan": open_data_plan(town),
        **request_links(),
    }
    return render(request, "portal/inventory.html", context)


@dataclass
class NewsItem:
    when: datetime.datetime
    kind: str  # "conjunto" | "serviço"
    new: bool
    title: str
    url: str
    summary: str
    unit: str


def news_items(town: Municipality, limit: int = NEWS_SIZE) -> list[NewsItem]:
    """New and updated datasets and services of ``town``, newest first (two queries)."""
    items = []
    datasets = (
        Dataset.objects.for_municipality(town)
        .published()
        .select_related("unit")
        .only("name", "title", "description", "modified_at", "published_at", "unit__name")
        .order_by("-modified_at")[:limit]
    )
    for d in datasets:
        first = d.published_at or d.modified_at
        items.append(
            NewsItem(
                when=d.modified_at,
                kind="conjunto",
                new=d.modified_at - first < UPDATE_AFTER,
                title=d.title,
                url=reverse("portal:dataset", args=[d.name]),
                summary=d.description,
                unit=d.unit.name,
            )
        )
    services = (
        Service.objects.for_municipality(town)
        .published()
        .for_cards()
        .only("slug", "name", "description", "created_at", "updated_at", "unit__name")
        .order_by("-updated_at")[:limit]
    )
    for s in services:
        items.append(
            NewsItem(
                when=s.updated_at,
                kind="serviço",
                new=s.updated_at - s.created_at < UPDATE_AFTER,
                title=s.name,
                url=s.get_absolute_url(),
                summary=s.description,
                unit=s.unit.name,
            )
        )
    items.sort(key=lambda i: i.when, reverse=True)
    return items[:limit]


@public_page
def news(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    return render(request, "portal/news.html", {"items": news_items(town)})
