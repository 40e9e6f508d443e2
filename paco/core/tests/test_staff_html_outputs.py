"""Staff HTML never reaches a machine-readable output (paco.core.sanitize.plain_*).

Stores a script and an event handler in every staff text field of a fixture
town — written with ``update()``, as a row saved before any rule would be — and
fetches every address of the URL map (every CKAN action with each kind of id):
no machine-readable answer may carry a tag, and no page may carry it unescaped.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from paco.catalog.tests.conftest import add, detail
from paco.opendata.models import Dataset, Resource, Theme
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.plans.actions import import_plan
from paco.plans.tests.conftest import parsed_plan
from paco.testing.urlwalk import concrete_paths

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)><b>Texto</b>"
#: what must not survive, in any encoding a format uses for "<"
FORBIDDEN = ("<script", "&lt;script", "\\u003cscript", "onerror", "alert(", "<img", "&lt;img")
APPS = ("catalog", "opendata", "plans", "tenancy", "accounts")
#: text fields that are not staff prose (machine values, kept as typed)
NOT_PROSE = {"hosts", "error", "search_document", "search_name", "popular_names"}


def _prose_fields(model: type[models.Model]) -> list[str]:
    names = []
    for field in model._meta.concrete_fields:
        if field.choices or isinstance(field, models.SlugField) or field.name in NOT_PROSE:
            continue
        if (isinstance(field, models.TextField) and field.editable) or (
            isinstance(field, models.CharField) and field.name in ("title", "name")
        ):
            names.append(field.name)
    return names


def poison_every_staff_text() -> int:
    """Write PAYLOAD into every staff text field of every row; how many fields were hit."""
    hit = 0
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        fields = _prose_fields(model)
        for pk in model._default_manager.values_list("pk", flat=True):
            values: dict[str, Any] = {name: f"{PAYLOAD} {pk}" for name in fields}
            if values:
                model._default_manager.filter(pk=pk).update(**values)
                hit += len(values)
    for resource in Resource.objects.all():
        dictionary = {"valor": {"title": PAYLOAD, "description": PAYLOAD}}
        Resource.objects.filter(pk=resource.pk).update(dictionary=dictionary)
    return hit


@pytest.fixture
def town(town_x, unit_x_a):
    resource = publish_table(town_x, unit_x_a, title="Despesas")
    dataset = Dataset.objects.get(pk=resource.dataset_id)
    dataset.themes.add(*Theme.objects.filter(key="educacao"))
    add(town_x, detail("Alvará", unit_x_a))
    import_plan(None, town_x, parsed_plan(3))
    assert poison_every_staff_text() > 30
    return resource


def ckan_queries(resource: Resource) -> list[dict[str, str]]:
    ids = [resource.dataset.name, str(resource.pk), "sa", "educacao", str(resource.dataset_id)]
    queries = [{"id": i} for i in ids]
    return [*queries, {"all_fields": "true", "include_datasets": "true", "q": ""}]


def test_no_output_carries_staff_markup(town, anon_x):
    paths = concrete_paths(resource_id=str(town.pk), dataset_id=str(town.dataset_id), slug="sa")
    checked, leaks = 0, []
    for path in paths:
        queries = ckan_queries(town) if "/action/" in path else [{}]
        for query in queries:
            response = anon_x.get(path, query)
            if response.status_code != 200 or getattr(response, "streaming", False):
                continue
            checked += 1
            leak = _leak(response)
            if leak:
                leaks.append(f"{path} {query}: {leak}")
    assert checked > 60  # the walk reached the outputs
    assert leaks == [], "\n".join(leaks)


def _leak(response: Any) -> str | None:
    body = response.content.decode("utf-8", errors="replace")
    if response["Content-Type"].startswith("text/html"):
        # pages escape staff text; a raw tag would be a leak, and so would markup inside
        # the page's schema.org JSON-LD (machine-readable, escaped as \u003c)
        raw = [t for t in ("<script>alert", "<img src=x", "\\u003cscript") if t in body]
        return ", ".join(raw) or None
    low = body.lower()
    found = [t for t in FORBIDDEN if t in low]
    return ", ".join(found) or None


def test_the_walk_sees_the_payload_where_text_is_not_machine_readable(town):
    """Control: the staff page shows the payload escaped, so the fields were really poisoned."""
    body = Client(HTTP_HOST="x.paco.test").get("/dataset/despesas/").content.decode()
    assert "&lt;script&gt;alert(1)" in body
