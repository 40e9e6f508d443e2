"""``/dataset/<name>/datapackage.json``: a valid Frictionless Data Package with the dictionary."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.urls import reverse
from frictionless import Package, validate

from paco.opendata.dcat.datapackage import export_schema
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.opendata.tests.dcat_support import bare_dataset, draft_dataset, rich_dataset

pytestmark = [pytest.mark.usefixtures("opendata_storage")]


def report_errors(report) -> list:
    return report.flatten(["type", "note"])


def test_url_name():
    assert reverse("dcat:datapackage", args=["despesas"]) == "/dataset/despesas/datapackage.json"


@pytest.mark.django_db
def test_descriptor_metadata_is_valid_and_complete(anon_x, town_x, unit_x_a):
    ds = rich_dataset(town_x, unit_x_a)
    response = anon_x.get("/dataset/despesas/datapackage.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)

    report = Package.validate_descriptor(data)
    assert report.valid, report_errors(report)
    assert data["name"] == "despesas"
    assert data["title"] == "Despesas municipais"
    assert data["licenses"][0]["name"] == "CC0-1.0"
    assert data["licenses"][0]["path"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert {
        "title": "Maria da Silva",
        "role": "maintainer",
        "email": "maria@prefeitura.example",
    } in (data["contributors"])
    assert data["keywords"] == ["despesas", "empenho", "transparência"]
    assert data["version"] == "2025.1"

    table = ds.resources.get(name="dados")
    resources = {r["name"]: r for r in data["resources"]}
    assert set(resources) == {"dados", "nota-tecnica", "portal-da-transparencia"}
    dados = resources["dados"]
    assert dados["path"] == f"http://x.paco.test/dados/recurso/{table.pk}/dados.csv"
    assert (dados["format"], dados["mediatype"], dados["encoding"]) == ("csv", "text/csv", "utf-8")
    fields = {f["name"]: f for f in dados["schema"]["fields"]}
    assert list(fields) == ["data", "fornecedor", "elemento", "valor", "pago"]
    assert fields["valor"]["type"] == "number"
    assert fields["valor"]["title"] == "Valor"
    assert fields["valor"]["description"] == "Valor empenhado"
    assert fields["valor"]["unit"] == "R$"
    # the export holds normalized values: no Brazilian reading hints
    assert "decimalChar" not in fields["valor"] and "format" not in fields["data"]
    pdf = resources["nota-tecnica"]
    version = ds.resources.get(name="nota-tecnica").current_version
    assert pdf["hash"] == f"sha256:{version.sha256}" and pdf["bytes"] == version.size
    assert pdf["mediatype"] == "application/pdf"
    assert resources["portal-da-transparencia"]["path"] == "https://transparencia.example/despesas"


def test_export_schema_keeps_string_formats_and_constraints():
    schema = export_schema(
        {
            "fields": [
                {"name": "d", "type": "date", "format": "%d/%m/%Y"},
                {"name": "e", "type": "string", "format": "email"},
                {"name": "t", "type": "datetime", "format": "%d/%m/%Y %H:%M"},
                {"name": "v", "type": "number", "decimalChar": ",", "constraints": {"minimum": 0}},
            ],
            "missingValues": ["", "-", "N/D"],
        }
    )
    fields = {f["name"]: f for f in schema["fields"]}
    assert "format" not in fields["d"]
    assert fields["e"]["format"] == "email"
    assert fields["t"]["format"] == "any"
    assert fields["v"] == {"name": "v", "type": "number", "constraints": {"minimum": 0}}
    assert schema["missingValues"] == [""]


@pytest.mark.django_db
def test_only_published_datasets(client_for, anon_x, admin_x, town_x, unit_x_a, town_y):
    draft_dataset(town_x, unit_x_a)
    bare_dataset(town_x, unit_x_a)
    assert anon_x.get("/dataset/rascunho/datapackage.json").status_code == 404
    assert client_for(admin_x, town_x).get("/dataset/rascunho/datapackage.json").status_code == 404
    assert client_for(None, town_y).get("/dataset/frota/datapackage.json").status_code == 404
    data = json.loads(anon_x.get("/dataset/frota/datapackage.json").content)
    assert Package.validate_descriptor(data).valid
    assert data["profile"] == "data-package"


def _download(client, resource) -> bytes:
    response = client.get(f"/dados/recurso/{resource.pk}/dados.csv")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_publishing_stores_the_csv_export_figures(
    anon_x, town_x, unit_x_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = publish_table(town_x, unit_x_a, dataset="compras")
    version = resource.versions.get()
    body = _download(anon_x, resource)
    assert version.csv_sha256 == hashlib.sha256(body).hexdigest()
    assert version.csv_bytes == len(body)
    data = json.loads(anon_x.get("/dataset/compras/datapackage.json").content)
    assert data["resources"][0]["hash"] == f"sha256:{version.csv_sha256}"
    assert data["resources"][0]["bytes"] == len(body)


@pytest.mark.django_db
def test_a_version_published_without_the_figures_is_measured_once(anon_x, town_x, unit_x_a):
    resource = publish_table(town_x, unit_x_a, dataset="compras")  # on_commit never runs here
    version = resource.versions.get()
    assert (version.csv_sha256, version.csv_bytes) == ("", None)
    data = json.loads(anon_x.get("/dataset/compras/datapackage.json").content)
    body = _download(anon_x, resource)
    assert data["resources"][0]["hash"] == f"sha256:{hashlib.sha256(body).hexdigest()}"
    version.refresh_from_db()
    assert version.csv_sha256 == hashlib.sha256(body).hexdigest()
    assert version.csv_bytes == len(body)


@pytest.mark.django_db(transaction=True)
def test_frictionless_validates_the_data_from_a_live_server(live_server, town_x, unit_x_a):
    """frictionless downloads the CSV export over loopback HTTP and checks it against the schema."""
    # absolute links use the town's configured host names (paco.core.origin): the live
    # server's name must be one of them
    from paco.tenancy.middleware import forget_hosts
    from paco.tenancy.models import Municipality

    Municipality.objects.filter(pk=town_x.pk).update(hosts="x.paco.test\nlocalhost")
    forget_hosts()
    csv_text = (
        "data;fornecedor;valor;pago;quantidade\n"
        "05/01/2025;Papelaria Central Ltda;1.234,56;Sim;3\n"
        "12/01/2025;Auto Peças Serra;987,10;Não;\n"
        '20/02/2025;=HYPERLINK("x");-152,00;Sim;7\n'
    )
    resource = publish_table(town_x, unit_x_a, dataset="compras", csv_text=csv_text)
    from paco.opendata import actions

    actions.update_dictionary(
        None,
        resource,
        {"valor": {"title": "Valor pago", "unit": "R$"}, "quantidade": {"title": "Qtd."}},
    )
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/dataset/compras/datapackage.json") as fh:
        descriptor = json.load(fh)
    dados = descriptor["resources"][0]
    assert dados["path"].startswith(live_server.url)
    assert dados["hash"].startswith("sha256:") and dados["bytes"] > 0

    report = validate(descriptor)
    assert report.valid, report_errors(report)
    task = report.tasks[0]
    assert task.stats["rows"] == 3

    # and it can fail: a schema that does not match the data is reported
    dados["schema"]["fields"][2]["type"] = "integer"
    assert not validate(descriptor).valid
