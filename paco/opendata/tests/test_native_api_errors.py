"""The native API (``/api/v1/``) answers its errors in JSON with pt-BR messages, never HTML."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from paco.conftest import HOST_X
from paco.opendata.datastore import native
from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import hidden_tables, publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a)


def records(dataset: str, resource: str) -> str:
    return reverse("datastore:records", args=[dataset, resource])


def table(resource_id: Any) -> str:
    return reverse("datastore:table", args=[resource_id])


def json_error(response: Any, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    message = response.json()["erro"]
    assert isinstance(message, str) and message
    return message


def test_unknown_dataset_resource_and_version(anon_x: Client, version: ResourceVersion) -> None:
    assert (
        json_error(anon_x.get(records("nao-existe", "dados")), 404)
        == "Conjunto de dados não encontrado."
    )
    assert json_error(anon_x.get(records("despesas", "nada")), 404) == "Recurso não encontrado."
    assert json_error(anon_x.get(table(uuid.uuid4())), 404) == "Recurso não encontrado."
    old = anon_x.get(records("despesas", "dados"), {"versao": "9"})
    assert json_error(old, 404) == "Versão não encontrada."


def test_hidden_tables_are_json_404s(
    anon_x: Client,
    version: ResourceVersion,
    town_x: Municipality,
    unit_x_a: Unit,
    town_y: Municipality,
    unit_y: Unit,
) -> None:
    hidden = hidden_tables(town_x, unit_x_a, town_y, unit_y)
    # a draft dataset, a version never published, another town's table
    for hidden_version in hidden:
        resource = hidden_version.resource
        by_name = anon_x.get(records(resource.dataset.name, resource.name))
        assert "não encontrad" in json_error(by_name, 404)
        assert "não encontrad" in json_error(anon_x.get(table(resource.pk)), 404)


def test_unknown_api_urls_are_json_404s(anon_x: Client, version: ResourceVersion) -> None:
    for url in ("/api/v1/nada", "/api/v1/tables/nao-e-um-uuid", "/api/v1/datasets/despesas"):
        assert json_error(anon_x.get(url), 404) == "Endereço não encontrado na API."
    # elsewhere the 404 is still the HTML page
    page = anon_x.get("/pagina-que-nao-existe/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_other_methods_are_json_405s(anon_x: Client, version: ResourceVersion) -> None:
    for url in (records("despesas", "dados"), table(version.resource_id), "/api/v1/openapi.json"):
        response = anon_x.post(url)
        assert "GET" in json_error(response, 405)
        assert response["Allow"] == "GET, HEAD"


def test_bad_parameters_name_the_column(anon_x: Client, version: ResourceVersion) -> None:
    response = anon_x.get(records("despesas", "dados"), {"valor__gt": "abc"})
    assert "valor" in json_error(response, 400)
    assert response.json()["campo"] == "valor"


def test_unexpected_errors_are_json_500s(
    version: ResourceVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(native, "records_page", broken)
    client = Client(HTTP_HOST=HOST_X, raise_request_exception=False)
    response = client.get(records("despesas", "dados"))
    assert "Erro interno" in json_error(response, 500)
    assert "boom" not in response.content.decode()
