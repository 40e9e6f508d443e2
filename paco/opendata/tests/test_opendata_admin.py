"""Open data in the back office: who sees and changes what, and that saves go through actions."""

from __future__ import annotations

import pytest

from paco.accounts.models import ApiToken
from paco.audit.models import AuditEntry
from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState, InventoryItem, Resource, Theme

pytestmark = pytest.mark.django_db

BASE = "/gestao/opendata"


@pytest.fixture
def ds_a(town_x, unit_x_a):
    return actions.create_dataset(None, town_x, title="Despesas da Secretaria A", unit=unit_x_a)


@pytest.fixture
def ds_b(town_x, unit_x_b):
    return actions.create_dataset(None, town_x, title="Frota da Secretaria B", unit=unit_x_b)


@pytest.fixture
def ds_y(town_y, unit_y):
    return actions.create_dataset(None, town_y, title="Segredo de Y", unit=unit_y)


def dataset_post(unit, **extra):
    data = {
        "title": "Obras públicas",
        "name": "obras-publicas",
        "description": "Obras contratadas pela prefeitura.",
        "unit": str(unit.pk),
        "contact_name": "João",
        "contact_email": "joao@example.org",
        "themes": [str(Theme.objects.get(key="urbanismo").pk)],
        "keywords": "Obras, contratos",
        "license": "cc-by",
        "access_rights": "1",
        "periodicity": "MENSAL",
        "next_update_due": "",
        "temporal_start": "",
        "temporal_end": "",
        "spatial": "",
        "version": "",
        "resources-TOTAL_FORMS": "0",
        "resources-INITIAL_FORMS": "0",
        "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    "who, status, sees_a, sees_b",
    [
        (None, 302, False, False),
        ("citizen_a", 302, False, False),
        ("plain_staff_x", 403, False, False),
        ("plan_editor_x", 403, False, False),
        ("data_editor_x", 200, True, False),
        ("data_editor_x_other", 200, False, True),
        ("admin_x", 200, True, True),
        ("admin_y", 302, False, False),
    ],
)
def test_dataset_list_matrix(
    request, client_for, town_x, ds_a, ds_b, ds_y, who, status, sees_a, sees_b
):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user, town_x).get(f"{BASE}/dataset/")
    assert response.status_code == status
    html = response.content.decode()
    assert ("Despesas da Secretaria A" in html) is sees_a
    assert ("Frota da Secretaria B" in html) is sees_b
    assert "Segredo de Y" not in html


def test_change_page_of_another_unit_or_town_is_not_reachable(
    client_for, town_x, data_editor_x, admin_x, ds_a, ds_b, ds_y
):
    client = client_for(data_editor_x, town_x)
    assert client.get(f"{BASE}/dataset/{ds_a.pk}/change/").status_code == 200
    assert client.get(f"{BASE}/dataset/{ds_b.pk}/change/").status_code in (302, 404)
    admin = client_for(admin_x, town_x)
    assert admin.get(f"{BASE}/dataset/{ds_y.pk}/change/").status_code in (302, 404)


def test_editor_creates_dataset_through_the_action(
    client_for, town_x, unit_x_a, unit_x_b, data_editor_x
):
    client = client_for(data_editor_x, town_x)
    # a unit outside the editor's role is not offered
    refused = client.post(f"{BASE}/dataset/add/", dataset_post(unit_x_b))
    assert refused.status_code == 200 and not Dataset.objects.filter(name="obras-publicas").exists()

    response = client.post(f"{BASE}/dataset/add/", dataset_post(unit_x_a))
    assert response.status_code == 302, response.content.decode()[:2000]
    ds = Dataset.objects.get(name="obras-publicas")
    assert ds.municipality == town_x and ds.unit == unit_x_a and ds.state == DatasetState.DRAFT
    assert ds.keywords == ["obras", "contratos"]
    assert list(ds.themes.values_list("key", flat=True)) == ["urbanismo"]
    entry = AuditEntry.objects.get(action="dataset.create")
    assert entry.actor == data_editor_x

    again = client.post(f"{BASE}/dataset/add/", dataset_post(unit_x_a))
    assert again.status_code == 200 and "Já existe" in again.content.decode()


def test_editor_updates_dataset_and_adds_a_link_resource(
    client_for, town_x, unit_x_a, data_editor_x, ds_a
):
    client = client_for(data_editor_x, town_x)
    data = dataset_post(
        unit_x_a,
        title="Despesas (revisado)",
        name=ds_a.name,
        **{
            "resources-TOTAL_FORMS": "1",
            "resources-0-name": "portal",
            "resources-0-title": "Portal da transparência",
            "resources-0-kind": "link",
            "resources-0-url": "https://transparencia.example/",
            "resources-0-format": "html",
            "resources-0-media_type": "",
            "resources-0-position": "0",
            "resources-0-description": "",
        },
    )
    response = client.post(f"{BASE}/dataset/{ds_a.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    ds_a.refresh_from_db()
    assert ds_a.title == "Despesas (revisado)"
    update = AuditEntry.objects.filter(action="dataset.update").latest("pk")
    assert "Despesas da Secretaria A" in str(update.changes)  # the before value, not the form's
    resource = Resource.objects.get(dataset=ds_a, name="portal")
    assert resource.kind == "link"
    assert AuditEntry.objects.filter(action="resource.create", actor=data_editor_x).exists()


def test_other_unit_editor_cannot_post_changes(
    client_for, town_x, unit_x_a, data_editor_x_other, ds_a
):
    client = client_for(data_editor_x_other, town_x)
    response = client.post(
        f"{BASE}/dataset/{ds_a.pk}/change/", dataset_post(unit_x_a, name=ds_a.name)
    )
    assert response.status_code in (302, 403, 404)
    ds_a.refresh_from_db()
    assert ds_a.title == "Despesas da Secretaria A"


def test_publish_action(client_for, town_x, data_editor_x, ds_a):
    client = client_for(data_editor_x, town_x)
    response = client.post(
        f"{BASE}/dataset/", {"action": "publish", "_selected_action": [str(ds_a.pk)]}
    )
    assert response.status_code == 302
    ds_a.refresh_from_db()
    assert ds_a.state == DatasetState.PUBLISHED
    assert AuditEntry.objects.filter(action="dataset.published", actor=data_editor_x).exists()


def test_inventory_item_saved_through_the_action(
    client_for, town_x, unit_x_a, unit_x_b, data_editor_x, ds_a
):
    client = client_for(data_editor_x, town_x)
    data = {
        "name": "Cadastro de alvarás",
        "description": "",
        "unit": str(unit_x_a.pk),
        "system": "Sistema tributário",
        "planned_opening": "2026-06-30",
        "status": "planejada",
        "restriction_reason": "",
        "dataset": str(ds_a.pk),
        "stage": "",
    }
    response = client.post(f"{BASE}/inventoryitem/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item = InventoryItem.objects.get(name="Cadastro de alvarás")
    assert item.municipality == town_x and item.dataset == ds_a
    assert AuditEntry.objects.filter(action="inventory.create", actor=data_editor_x).exists()
    data["status"] = "em_preparacao"
    response = client.post(f"{BASE}/inventoryitem/{item.pk}/change/", data)
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="inventory.update").latest("pk")
    assert "planejada" in str(entry.changes) and "em_preparacao" in str(entry.changes)
    # a unit the editor does not cover is refused
    data.update(name="Outra base", unit=str(unit_x_b.pk))
    assert client.post(f"{BASE}/inventoryitem/add/", data).status_code == 200
    assert not InventoryItem.objects.filter(name="Outra base").exists()


@pytest.mark.parametrize("model", ["resourceversion", "apitoken", "theme"])
def test_read_only_pages(client_for, town_x, admin_x, data_editor_x, plain_staff_x, model):
    assert (
        client_for(admin_x, town_x)
        .get(f"{BASE}/{model}/".replace("opendata/apitoken", "accounts/apitoken"))
        .status_code
        == 200
    )
    url = f"{BASE}/{model}/".replace("opendata/apitoken", "accounts/apitoken")
    assert client_for(data_editor_x, town_x).get(url).status_code == 200
    assert client_for(admin_x, town_x).get(url + "add/").status_code == 403
    assert client_for(plain_staff_x, town_x).get(url).status_code == 403


def test_tokens_of_others_are_only_listed_for_the_administrator(
    client_for, town_x, admin_x, data_editor_x, data_editor_x_other
):
    ApiToken.objects.create(
        municipality=town_x,
        user=data_editor_x_other,
        name="Script da B",
        digest="b" * 64,
        prefix="bbbb",
    )
    ApiToken.objects.create(
        municipality=town_x, user=data_editor_x, name="Script da A", digest="a" * 64, prefix="aaaa"
    )
    url = "/gestao/accounts/apitoken/"
    mine = client_for(data_editor_x, town_x).get(url).content.decode()
    assert "Script da A" in mine and "Script da B" not in mine
    every = client_for(admin_x, town_x).get(url).content.decode()
    assert "Script da A" in every and "Script da B" in every
    assert "a" * 64 not in every
