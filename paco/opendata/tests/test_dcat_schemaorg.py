"""schema.org ``Dataset`` JSON-LD that the dataset page embeds."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from paco.catalog.jsonld import script_content
from paco.opendata import actions
from paco.opendata.dcat.schemaorg import dataset_jsonld
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.dcat_support import bare_dataset, rich_dataset

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]


def request_for(town):
    return RequestFactory().get("/", HTTP_HOST=town.host_list()[0])


def test_rich_dataset(town_x, unit_x_a):
    ds = rich_dataset(town_x, unit_x_a)
    data = dataset_jsonld(request_for(town_x), ds)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Dataset"
    assert data["name"] == "Despesas municipais"
    assert data["description"].startswith("Despesas empenhadas")
    assert data["url"] == "http://x.paco.test/dataset/despesas/"
    assert data["identifier"] == str(ds.pk)
    assert {"despesas", "empenho", "transparência", "Administração"} <= set(data["keywords"])
    assert data["license"] == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert data["creator"]["@type"] == "GovernmentOrganization"
    assert data["creator"]["name"] == "Secretaria A"
    assert data["creator"]["contactPoint"]["email"] == "maria@prefeitura.example"
    assert data["publisher"]["name"] == "Prefeitura Municipal de Xanxerê do Teste"
    assert {"propertyID": "CNPJ", "value": "11222333000181", "@type": "PropertyValue"} in data[
        "publisher"
    ]["identifier"]
    assert data["temporalCoverage"] == "2025-01-01/2025-03-31"
    assert data["spatialCoverage"]["identifier"]["value"] == "4219507"
    assert data["version"] == "2025.1"
    assert data["dateModified"] == ds.modified_at.isoformat()

    table = ds.resources.get(name="dados")
    urls = {d["contentUrl"]: d for d in data["distribution"]}
    assert all(d["@type"] == "DataDownload" for d in data["distribution"])
    original = urls[f"http://x.paco.test/dados/recurso/{table.pk}/v1/original"]
    assert original["encodingFormat"] == "text/csv"
    for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
        assert (
            urls[f"http://x.paco.test/dados/recurso/{table.pk}/dados.{fmt}"]["encodingFormat"]
            == media
        )
    assert urls["https://transparencia.example/despesas"]["encodingFormat"] == "text/html"
    pdf = ds.resources.get(name="nota-tecnica")
    assert (
        urls[f"http://x.paco.test/dados/recurso/{pdf.pk}/v1/original"]["encodingFormat"]
        == "application/pdf"
    )
    variables = {v["name"]: v for v in data["variableMeasured"]}
    assert variables["valor"]["unitText"] == "R$"
    assert variables["valor"]["description"] == "Valor empenhado"
    assert set(variables) == {"data", "fornecedor", "elemento", "valor", "pago"}


def test_bare_dataset_has_no_empty_values(town_x, unit_x_a):
    ds = bare_dataset(town_x, unit_x_a)
    data = dataset_jsonld(request_for(town_x), ds)
    assert "temporalCoverage" not in data and "version" not in data
    assert "variableMeasured" not in data
    assert len(data["description"]) >= 10  # a generated sentence, not blank
    assert [d["contentUrl"] for d in data["distribution"]] == ["https://frota.example/x"]
    assert "encodingFormat" not in data["distribution"][0]
    # contact falls back to the unit, then the town
    assert data["creator"]["contactPoint"]["email"] == "contato@x.paco.test"


def test_open_ended_temporal_coverage(town_x, unit_x_a):
    import datetime

    ds = bare_dataset(town_x, unit_x_a)
    actions.update_dataset(None, ds, temporal_start=datetime.date(2020, 1, 1))
    assert dataset_jsonld(request_for(town_x), ds)["temporalCoverage"] == "2020-01-01/.."


def test_script_content_cannot_close_the_script_element(town_x, unit_x_a):
    ds = bare_dataset(town_x, unit_x_a)
    actions.update_dataset(None, ds, title="</script><script>alert(1)</script>")
    text = str(script_content(dataset_jsonld(request_for(town_x), ds)))
    assert "</script" not in text.lower()
    # and no markup at all: staff text leaves as plain text (paco.core.sanitize.plain_output)
    assert "script" not in json.loads(text)["name"]


def test_queries_are_bounded_with_prefetch(town_x, unit_x_a, django_assert_max_num_queries):
    from paco.opendata.dcat.common import with_related
    from paco.opendata.models import Dataset

    rich_dataset(town_x, unit_x_a)
    ds = with_related(Dataset.objects.filter(name="despesas")).get()
    request = request_for(town_x)  # reads the town's host names: not the page's queries
    with django_assert_max_num_queries(0):
        dataset_jsonld(request, ds)
