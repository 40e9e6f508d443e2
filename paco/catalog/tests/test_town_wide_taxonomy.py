"""Categories and life events are town-wide: a unit-scoped charter editor neither
renames nor deletes them; deleting them in the back office is audited.

Reproduction (issue 8, "Why → Tenancy"): a unit-scoped Carta editor could rename
or delete town-wide categories.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from paco.audit.models import AuditEntry
from paco.catalog.actions import delete_taxonomy, save_taxonomy
from paco.catalog.models import Category, LifeEvent
from paco.core.cache import content_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(town_x):
    return save_taxonomy(None, Category(municipality=town_x, name="Saúde", slug="saude"))


@pytest.fixture
def life_event(town_x):
    return save_taxonomy(None, LifeEvent(municipality=town_x, name="Ter um filho", slug="filho"))


@pytest.mark.parametrize("kind", ["category", "lifeevent"])
def test_reproduction_unit_editor_cannot_rename_or_delete_town_wide_entries(
    request, client_for, plain_staff_x, town_x, category, life_event, kind
):
    obj = category if kind == "category" else life_event
    client = client_for(plain_staff_x, town_x)  # charter editor of unit B only
    url = f"/gestao/catalog/{kind}/{obj.pk}/"
    rename = client.post(f"{url}change/", {"name": "Renomeada", "slug": obj.slug})
    assert rename.status_code == 403
    assert client.post(f"{url}delete/", {"post": "yes"}).status_code == 403
    client.post(
        f"/gestao/catalog/{kind}/",
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    obj.refresh_from_db()
    assert obj.name != "Renomeada"
    obj.name = "Renomeada"
    with pytest.raises(PermissionDenied, match="sem unidade"):
        save_taxonomy(plain_staff_x, obj)
    with pytest.raises(PermissionDenied):
        delete_taxonomy(plain_staff_x, obj)
    with pytest.raises(PermissionDenied):
        save_taxonomy(plain_staff_x, Category(municipality=town_x, name="Nova"))


@pytest.mark.parametrize("kind", ["category", "lifeevent"])
def test_deleting_in_the_back_office_is_audited_and_refreshes_pages(
    client_for,
    catalog_editor_x,
    town_x,
    category,
    life_event,
    kind,
    django_capture_on_commit_callbacks,
):
    obj = category if kind == "category" else life_event
    version = content_version(town_x.pk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(catalog_editor_x, town_x).post(
            f"/gestao/catalog/{kind}/{obj.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()
    entry = AuditEntry.objects.get(action=f"{kind}.delete", object_id=str(obj.pk))
    assert entry.actor == catalog_editor_x
    assert content_version(town_x.pk) != version
