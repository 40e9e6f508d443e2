"""CKAN datastore_search and datastore_info through the Action API."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import hidden_tables, publish_parquet
from paco.tenancy.models import Municipality, Unit

URL = "/api/3/action/datastore_search"


pytestmark = pytest.mark.usefixtures("opendata_storage")


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a)


def get(client: Client, url: str = URL, **params: Any) -> Any:
    encoded = {k: v if isinstance(v, str | int) else json.dumps(v) for k, v in params.items()}
    return client.get(url, encoded)


def test_default_page_has_ckan_shape(anon_x: Client, version: ResourceVersion) -> None:
    response = get(anon_x, resource_id=str(version.resource_id))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["success"] is True and "help" in body
    result = body["result"]
    assert result["resource_id"] == str(version.resource_id)
    assert result["total"] == 6 and result["limit"] == 100 and result["offset"] == 0
    assert result["records_format"] == "objects" and result["include_total"] is True
    assert [f["id"] for f in result["fields"]][:3] == ["_id", "id", "orgao"]
    assert result["records"][0]["_id"] == 1 and result["records"][0]["data"] == "2024-01-15"
    links = result["_links"]
    assert links["start"].startswith(URL + "?") and "offset" not in links["start"]
    assert "offset=100" in links["next"] and f"resource_id={version.resource_id}" in links["next"]


def test_filters_q_sort_fields_limit_offset(anon_x: Client, version: ResourceVersion) -> None:
    result = get(
        anon_x,
        resource_id=str(version.resource_id),
        filters={"orgao": ["Secretaria de Saúde", "Gabinete"]},
        q="saude",
        sort="valor desc, id",
        fields="id,valor",
        limit=2,
        offset=1,
    ).json()["result"]
    assert result["records"] == [{"id": 6, "valor": 10.0}, {"id": 3, "valor": -12.5}]
    assert result["total"] == 3
    assert [f["id"] for f in result["fields"]] == ["id", "valor"]
    assert result["filters"] == {"orgao": ["Secretaria de Saúde", "Gabinete"]}


def test_post_json_like_ckanapi(anon_x: Client, version: ResourceVersion) -> None:
    response = anon_x.post(
        URL,
        json.dumps(
            {
                "resource_id": str(version.resource_id),
                "filters": {"pago": True},
                "q": {"descricao": "vacinação"},
                "include_total": False,
                "records_format": "lists",
                "fields": ["id", "orgao"],
            }
        ),
        content_type="application/json",
    )
    result = response.json()["result"]
    assert result["records"] == [[6, "Secretaria de Saúde"]]
    assert "total" not in result


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_records(anon_x: Client, version: ResourceVersion, fmt: str) -> None:
    result = get(
        anon_x,
        resource_id=str(version.resource_id),
        records_format=fmt,
        sort="id",
        fields="id,descricao",
    ).json()["result"]
    rows = list(csv.reader(io.StringIO(result["records"]), delimiter="," if fmt == "csv" else "\t"))
    assert rows[4] == ["5", 'Pavimentação da rua "Central"']
    assert len(rows) == 6


def test_distinct(anon_x: Client, version: ResourceVersion) -> None:
    result = get(
        anon_x, resource_id=str(version.resource_id), fields="orgao", distinct="true", sort="orgao"
    ).json()["result"]
    assert result["total"] == 4 and len(result["records"]) == 4


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"limit": 32001}, "limit"),
        ({"limit": "dez"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"records_format": "xml"}, "records_format"),
        ({"filters": "{nope"}, "filters"),
        ({"filters": {"coluna_que_nao_existe": 1}}, "coluna_que_nao_existe"),
        ({"sort": "valor; drop"}, "valor; drop"),
        ({"filters": {"valor": "muito"}}, "valor"),
    ],
)
def test_validation_errors(
    anon_x: Client, version: ResourceVersion, params: dict[str, Any], key: str
) -> None:
    response = get(anon_x, resource_id=str(version.resource_id), **params)
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["__type"] == "Validation Error" and key in error


def test_limit_maximum_is_accepted(anon_x: Client, version: ResourceVersion) -> None:
    assert get(anon_x, resource_id=str(version.resource_id), limit=32000).status_code == 200


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
        assert get(client, resource_id=str(version.resource_id)).status_code == 200
        for table in hidden:
            response = get(client, resource_id=str(table.resource_id))
            assert response.status_code == 404, (user, table)
            assert response.json()["error"]["__type"] == "Not Found Error"
    client_y = client_for(None, town_y)
    assert get(client_y, resource_id=str(version.resource_id)).status_code == 404
    assert get(client_y, resource_id=str(hidden.other_town.resource_id)).status_code == 200
    assert get(client_for(None, town_x), resource_id="not-a-uuid").status_code == 404
    assert get(client_for(None, town_x)).status_code == 409


def test_history_version_is_not_served_but_current_is(
    anon_x: Client, version: ResourceVersion, town_x: Municipality, unit_x_a: Unit
) -> None:
    newer_sql = "SELECT 1 AS id, 'só uma linha' AS orgao"
    publish_parquet(town_x, unit_x_a, sql=newer_sql, resource_obj=version.resource)
    result = get(anon_x, resource_id=str(version.resource_id)).json()["result"]
    assert result["total"] == 1 and result["records"][0]["orgao"] == "só uma linha"


def test_datastore_info(anon_x: Client, version: ResourceVersion) -> None:
    result = get(anon_x, "/api/3/action/datastore_info", id=str(version.resource_id)).json()[
        "result"
    ]
    assert result["meta"]["count"] == 6
    assert [f["id"] for f in result["fields"]][:2] == ["id", "orgao"]
    assert result["fields"][1]["info"]["label"] == "Órgão"
    assert result["schema"]["valor"] == "numeric"
    assert result["fields"][3]["schema"]["native_type"] == "DOUBLE"


def test_page_queries_are_bounded(
    anon_x: Client, version: ResourceVersion, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        assert get(anon_x, resource_id=str(version.resource_id), limit=1000).status_code == 200
