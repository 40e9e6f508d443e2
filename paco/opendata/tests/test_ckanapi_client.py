"""The real ``ckanapi`` client, unmodified, against a running Paço server.

``ckanapi.RemoteCKAN`` POSTs JSON bodies (no CSRF cookie) to ``/api/action/<name>``
and turns CKAN's error envelopes back into its own exceptions; these tests go
through a real HTTP server (pytest-django's ``live_server``).
"""

from __future__ import annotations

import datetime

import ckanapi
import pytest

from paco.opendata.models import Dataset
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.opendata.tests.ckan_support import UTC, make_dataset
from paco.tenancy.middleware import forget_hosts
from paco.tenancy.models import Municipality

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("opendata_storage"),
]


@pytest.fixture
def ckan(live_server, town_x, town_y, unit_x_a, unit_x_b, unit_y):
    """A RemoteCKAN client for town X (served as ``localhost``), with a small catalogue."""
    Municipality.objects.filter(pk=town_x.pk).update(hosts="x.paco.test\nlocalhost")
    forget_hosts()
    table = publish_table(town_x, unit_x_a, title="Despesas municipais")
    Dataset.objects.filter(pk=table.dataset_id).update(
        modified_at=datetime.datetime(2024, 5, 1, tzinfo=UTC)
    )
    make_dataset(
        town_x,
        unit_x_b,
        "obras",
        title="Obras públicas",
        keywords=["obras"],
        themes=["urbanismo"],
        formats=["csv"],
        modified=datetime.datetime(2025, 2, 1, tzinfo=UTC),
    )
    make_dataset(town_x, unit_x_a, "rascunho", keywords=["segredo"], published=False)
    make_dataset(town_y, unit_y, "frota-y", keywords=["frota"], formats=["csv"])
    with ckanapi.RemoteCKAN(live_server.url, user_agent="paco-tests") as client:
        client.table = table
        yield client


def test_catalogue_through_ckanapi(ckan, unit_x_a, unit_x_b):
    action = ckan.action
    assert action.package_list() == ["despesas", "obras"]
    pkg = action.package_show(id="despesas")
    assert pkg["title"] == "Despesas municipais"
    assert pkg["organization"]["name"] == unit_x_a.slug
    resource = pkg["resources"][0]
    assert resource["datastore_active"] is True and resource["format"] == "CSV"
    assert action.resource_show(id=resource["id"]) == resource
    assert action.package_show(id=pkg["id"])["name"] == "despesas"

    found = action.package_search(
        fq="metadata_modified:[2025-01-01T00:00:00Z TO *]", sort="metadata_modified desc"
    )
    assert found["count"] == 1 and [p["name"] for p in found["results"]] == ["obras"]
    found = action.package_search(q="despesa", sort="id asc", rows=10, start=0)
    assert [p["name"] for p in found["results"]] == ["despesas"]
    facets = action.package_search(**{"facet.field": '["organization"]'})["facets"]
    assert facets["organization"] == {unit_x_a.slug: 1, unit_x_b.slug: 1}

    assert action.organization_list() == sorted([unit_x_a.slug, unit_x_b.slug])
    org = action.organization_show(id=unit_x_b.slug, include_datasets=True)
    assert [p["name"] for p in org["packages"]] == ["obras"]
    assert "urbanismo" in action.group_list()
    assert action.group_show(id="urbanismo")["package_count"] == 1
    assert action.tag_list() == ["obras"]
    status = action.status_show()
    assert status["ckan_version"].startswith("2.10") and "datastore" in status["extensions"]
    assert len(action.current_package_list_with_resources(limit=10)) == 2


def test_ckanapi_get_only_mode(live_server, ckan):
    with ckanapi.RemoteCKAN(live_server.url, get_only=True) as client:
        assert client.action.package_list() == ["despesas", "obras"]
        assert client.action.package_search(fq="tags:obras")["count"] == 1


def test_errors_map_to_ckanapi_exceptions(ckan):
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="rascunho")  # a draft
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="frota-y")  # another town
    with pytest.raises(ckanapi.NotFound):
        ckan.action.resource_show(id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ckanapi.ValidationError) as invalid:
        ckan.action.package_show()
    assert invalid.value.error_dict["id"] == ["Valor ausente"]
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(rows=-1)
    with pytest.raises(ckanapi.SearchError):
        ckan.action.package_search(fq="organization:(sa")
    with pytest.raises(ckanapi.CKANAPIError):
        ckan.action.package_create(name="nao-pode")  # no write actions


def test_datastore_search_through_ckanapi(ckan):
    table = ckan.table
    found = ckan.action.datastore_search(resource_id=str(table.pk), limit=2)
    assert found["total"] == table.current_version.rows == 5
    assert len(found["records"]) == 2
    assert {"fornecedor", "valor"} <= {f["id"] for f in found["fields"]}
    filtered = ckan.action.datastore_search(
        resource_id=str(table.pk), filters={"fornecedor": "Papelaria Central Ltda"}
    )
    assert filtered["total"] == 2
    with pytest.raises(ckanapi.NotFound):
        ckan.action.datastore_search(resource_id="00000000-0000-0000-0000-000000000000")
