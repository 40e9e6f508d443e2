"""The native JSON API: filters, sort, fields, facets, full text and keyset pagination."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import hidden_tables, publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a)


def by_name(v: ResourceVersion) -> str:
    return reverse("datastore:records", args=[v.resource.dataset.name, v.resource.name])


def by_id(v: ResourceVersion) -> str:
    return reverse("datastore:table", args=[v.resource_id])


def ids(body: dict[str, Any]) -> list[int]:
    return [r["id"] for r in body["records"]]


def test_default_page(anon_x: Client, version: ResourceVersion) -> None:
    response = anon_x.get(by_name(version))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["resource_id"] == str(version.resource_id) and body["version"] == 1
    assert body["total"] == 6 and body["next"] is None
    assert [r["_id"] for r in body["records"]] == [1, 2, 3, 4, 5, 6]
    assert anon_x.get(by_id(version)).json() == body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"orgao": "Secretaria de Saúde"}, [1, 3, 6]),
        ({"orgao__eq": "Gabinete"}, [4]),
        ({"orgao__ne": "Secretaria de Saúde"}, [2, 4, 5]),
        ({"valor__lt": "0"}, [3]),
        ({"valor__lte": "10"}, [3, 6]),
        ({"valor__gt": "500"}, [1, 5]),
        ({"valor__gte": "500,0"}, [1, 2, 5]),
        ({"id__in": "2,4,6"}, [2, 4, 6]),
        ({"descricao__contains": "VACINACAO"}, [6]),
        ({"valor__isnull": "true"}, [4]),
        ({"data__gte": "01/02/2024", "data__lt": "2024-03-10"}, [2]),
        ({"q": "saúde seringas"}, [1]),
        ({"sort": "-valor"}, [5, 1, 2, 6, 3, 4]),
        ({"sort": "orgao,-id"}, [4, 2, 5, 6, 3, 1]),
    ],
)
def test_filters_and_sort(
    anon_x: Client, version: ResourceVersion, params: dict[str, str], expected: list[int]
) -> None:
    body = anon_x.get(by_name(version), params).json()
    assert ids(body) == expected
    assert body["total"] == len(expected)


def test_fields_keep_the_row_key(anon_x: Client, version: ResourceVersion) -> None:
    body = anon_x.get(by_name(version), {"fields": "valor", "sort": "-data", "limit": "2"}).json()
    assert body["records"] == [{"_id": 3, "valor": -12.5}, {"_id": 6, "valor": 10.0}]
    assert [f["id"] for f in body["fields"]] == ["_id", "valor"]


@pytest.mark.parametrize("sort", ["", "-valor", "data,-orgao", "pago"])
def test_keyset_pagination_visits_every_row_once(
    anon_x: Client, version: ResourceVersion, sort: str
) -> None:
    params = {"limit": "2", **({"sort": sort} if sort else {})}
    expected = ids(anon_x.get(by_name(version), {"sort": sort} if sort else {}).json())
    seen: list[int] = []
    url: str | None = by_name(version)
    first = True
    while url:
        body = anon_x.get(url, params if first else None).json()
        first = False
        seen += ids(body)
        url = body["next"]
        if url:
            parts = urlsplit(url)
            assert parts.netloc == "x.paco.test"
            url = f"{parts.path}?{parts.query}"
        assert len(seen) <= 6
    assert seen == expected and sorted(seen) == [1, 2, 3, 4, 5, 6]


def test_facets(anon_x: Client, version: ResourceVersion) -> None:
    body = anon_x.get(by_name(version), {"facets": "orgao,pago", "valor__gt": "0"}).json()
    orgao = {f["value"]: f["count"] for f in body["facets"]["orgao"]}
    assert orgao == {
        "Secretaria de Saúde": 2,
        "Secretaria de Educação": 1,
        "Secretaria de Obras": 1,
    }
    assert {f["value"]: f["count"] for f in body["facets"]["pago"]} == {True: 2, False: 2}


def test_versions(
    anon_x: Client, version: ResourceVersion, town_x: Municipality, unit_x_a: Unit
) -> None:
    publish_parquet(town_x, unit_x_a, sql="SELECT 7 AS id", resource_obj=version.resource)
    assert ids(anon_x.get(by_name(version)).json()) == [7]
    old = anon_x.get(by_name(version), {"versao": "1"}).json()
    assert old["version"] == 1 and old["total"] == 6
    assert anon_x.get(by_name(version), {"versao": "3"}).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"nope": "1"},
        {"valor__gt": "x"},
        {"sort": "nope"},
        {"limit": "0"},
        {"limit": "10001"},
        {"after": "!!!"},
        {"after": "WzEsMl0"},  # [1, 2]: one value too many without a sort
        {"facets": "a,b,c,d,e,f"},
    ],
)
def test_bad_parameters(anon_x: Client, version: ResourceVersion, params: dict[str, str]) -> None:
    response = anon_x.get(by_name(version), params)
    assert response.status_code == 400
    assert response.json()["erro"]


def test_access_matrix(
    client_for: Any,
    version: ResourceVersion,
    town_x: Municipality,
    town_y: Municipality,
    unit_x_a: Unit,
    unit_y: Unit,
    admin_x: Any,
    data_editor_x: Any,
    citizen_a: Any,
) -> None:
    hidden = hidden_tables(town_x, unit_x_a, town_y, unit_y)
    for user in (None, citizen_a, data_editor_x, admin_x):
        client = client_for(user, town_x)
        assert client.get(by_name(version)).status_code == 200
        for table in hidden:
            assert client.get(by_name(table)).status_code == 404
            assert client.get(by_id(table)).status_code == 404
    assert client_for(None, town_y).get(by_id(version)).status_code == 404
    assert client_for(None, town_y).get(by_id(hidden.other_town)).status_code == 200


def test_queries_are_bounded(
    anon_x: Client, version: ResourceVersion, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        assert anon_x.get(by_name(version), {"limit": "1000", "facets": "orgao"}).status_code == 200
