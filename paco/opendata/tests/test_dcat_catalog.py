"""DCAT-BR documents: /catalog.{ttl,rdf,jsonld} and /dataset/<name>.{ttl,rdf,jsonld}."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rdflib import Graph, Literal, Namespace, URIRef

from paco.opendata.models import Dataset, DatasetState
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.dcat_support import bare_dataset, draft_dataset, rich_dataset

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

# plain namespaces (rdflib's closed ones warn when pytest inspects the module)
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
RDFLIB_FORMAT = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
CONTENT_TYPE = {
    "ttl": "text/turtle",
    "rdf": "application/rdf+xml",
    "jsonld": "application/ld+json",
}


def parse(response, fmt: str) -> Graph:
    return Graph().parse(data=response.content, format=RDFLIB_FORMAT[fmt])


def datasets_in(graph: Graph) -> set[str]:
    return {str(graph.value(s, DCTERMS.identifier)) for s in graph.subjects(RDF.type, DCAT.Dataset)}


def test_url_names():
    assert reverse("dcat:catalog", args=["ttl"]) == "/catalog.ttl"
    assert reverse("dcat:dataset", args=["despesas", "jsonld"]) == "/dataset/despesas.jsonld"


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_catalog_in_each_format(anon_x, town_x, unit_x_a, town_y, unit_y, fmt):
    rich = rich_dataset(town_x, unit_x_a)
    bare = bare_dataset(town_x, unit_x_a)
    draft_dataset(town_x, unit_x_a)
    other = bare_dataset(town_y, unit_y, name="frota-y")

    response = anon_x.get(f"/catalog.{fmt}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith(CONTENT_TYPE[fmt])
    assert response["Access-Control-Allow-Origin"] == "*"
    g = parse(response, fmt)
    assert datasets_in(g) == {str(rich.pk), str(bare.pk)}  # no draft, nothing from town Y
    assert str(other.pk) not in response.content.decode()
    catalog = g.value(predicate=RDF.type, object=DCAT.Catalog, any=False)
    assert catalog is not None
    publisher = g.value(catalog, DCTERMS.publisher)
    assert str(g.value(publisher, FOAF.name)) == "Prefeitura Municipal de Xanxerê do Teste"
    assert str(g.value(publisher, DCTERMS.identifier)) == "11222333000181"
    assert g.value(catalog, DCAT.themeTaxonomy) == URIRef(
        "https://dcat-br.github.io/dcat-br/docs/vocabularies/themes/"
    )


def test_jsonld_has_an_inline_context(anon_x, town_x, unit_x_a):
    bare_dataset(town_x, unit_x_a)
    for url in ("/catalog.jsonld", "/dataset/frota.jsonld"):
        data = json.loads(anon_x.get(url).content)
        context = data["@context"]
        assert isinstance(context, dict)  # inline: a remote context would be a URL string
        assert context["dcat"] == "http://www.w3.org/ns/dcat#"
        assert not any(isinstance(v, dict) and "@import" in v for v in context.values())
        assert Graph().parse(data=json.dumps(data), format="json-ld")


def test_dataset_document_has_the_dcat_br_fields(anon_x, town_x, unit_x_a):
    ds = rich_dataset(town_x, unit_x_a)
    response = anon_x.get(f"/dataset/{ds.name}.ttl")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    g = parse(response, "ttl")
    node = next(g.subjects(RDF.type, DCAT.Dataset))
    assert str(g.value(node, DCTERMS["title"])) == "Despesas municipais"
    assert {str(t) for t in g.objects(node, DCAT.theme)} == {
        "https://dcat-br.github.io/dcat-br/docs/vocabularies/themes/economia-e-financas",
        "https://dcat-br.github.io/dcat-br/docs/vocabularies/themes/administracao",
    }
    assert {str(k) for k in g.objects(node, DCAT.keyword)} == {
        "despesas",
        "empenho",
        "transparência",
    }
    assert (
        str(g.value(node, DCTERMS.license)) == "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    assert str(g.value(node, DCTERMS.accessRights)).endswith("/vocabularies/SEI/1")
    assert str(g.value(node, DCTERMS.accrualPeriodicity)).endswith("/VCR-FR/MENSAL")
    assert str(g.value(node, DCTERMS.spatial)).endswith("/municipios/4219507")
    period = g.value(node, DCTERMS.temporal)
    assert g.value(period, DCAT.startDate) == Literal(datetime.date(2025, 1, 1))
    assert g.value(period, DCAT.endDate) == Literal(datetime.date(2025, 3, 31))
    assert str(g.value(node, URIRef("http://www.w3.org/ns/dcat#version"))) == "2025.1"
    contact = g.value(node, DCAT.contactPoint)
    assert str(g.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"))) == (
        "mailto:maria@prefeitura.example"
    )
    publisher = g.value(node, DCTERMS.publisher)
    assert "Secretaria A" in str(g.value(publisher, FOAF.name))
    superior = g.value(publisher, URIRef("http://www.w3.org/ns/org#subOrganizationOf"))
    assert str(g.value(superior, DCTERMS.identifier)) == "11222333000181"
    assert str(g.value(node, DCAT.landingPage)) == "http://x.paco.test/dataset/despesas/"

    dists = list(g.objects(node, DCAT.distribution))
    titles = {str(g.value(d, DCTERMS["title"])) for d in dists}
    # table + its 3 exports, the PDF, the link, the data dictionary
    assert len(dists) == 7, titles
    table = ds.resources.get(name="dados")
    version = table.current_version
    original = next(d for d in dists if str(g.value(d, DCTERMS.identifier)) == str(table.pk))
    assert str(g.value(original, DCAT.downloadURL)).endswith(f"/{table.pk}/v1/original")
    assert int(g.value(original, DCAT.byteSize)) == version.size
    checksum = g.value(original, SPDX.checksum)
    assert str(g.value(checksum, SPDX.checksumValue)).lower() == version.sha256
    assert str(g.value(original, DCAT.mediaType)).endswith("/text/csv")
    exports = {str(g.value(d, DCAT.downloadURL)) for d in dists if g.value(d, DCAT.accessService)}
    assert exports == {
        f"http://x.paco.test/dados/recurso/{table.pk}/dados.{fmt}"
        for fmt in ("csv", "json", "parquet")
    }
    parquet = next(d for d in dists if str(g.value(d, DCAT.downloadURL)).endswith(".parquet"))
    assert str(g.value(parquet, DCTERMS["format"])) == (
        "https://www.iana.org/assignments/media-types/application/vnd.apache.parquet"
    )
    service = g.value(parquet, DCAT.accessService)
    assert (service, RDF.type, DCAT.DataService) in g
    assert (service, DCAT.servesDataset, node) in g
    link = ds.resources.get(kind="link")
    link_node = next(d for d in dists if str(g.value(d, DCTERMS.identifier)) == str(link.pk))
    assert str(g.value(link_node, DCAT.accessURL)) == "https://transparencia.example/despesas"


@pytest.mark.parametrize("fmt", ["ttl", "rdf", "jsonld"])
def test_dataset_documents_are_public_only(client_for, anon_x, admin_x, town_x, unit_x_a, fmt):
    draft = draft_dataset(town_x, unit_x_a)
    assert anon_x.get(f"/dataset/{draft.name}.{fmt}").status_code == 404
    # not even staff get a draft through the public document
    assert client_for(admin_x, town_x).get(f"/dataset/{draft.name}.{fmt}").status_code == 404
    assert anon_x.get(f"/dataset/nao-existe.{fmt}").status_code == 404


def test_dataset_of_another_town_is_not_found(client_for, town_x, unit_x_a, town_y):
    bare_dataset(town_x, unit_x_a)
    assert client_for(None, town_y).get("/dataset/frota.ttl").status_code == 404
    assert client_for(None, town_x).get("/dataset/frota.ttl").status_code == 200


def _many(town: Any, unit: Any, count: int) -> None:
    Dataset.objects.bulk_create(
        Dataset(
            municipality=town,
            unit=unit,
            name=f"conjunto-{i:03d}",
            title=f"Conjunto {i:03d}",
            state=DatasetState.PUBLISHED,
        )
        for i in range(count)
    )


def test_hydra_paging(anon_x, town_x, unit_x_a):
    _many(town_x, unit_x_a, 205)
    seen = set()
    url = "http://x.paco.test/catalog.ttl?page=1"
    pages = 0
    while url:
        response = anon_x.get(url.removeprefix("http://x.paco.test"))
        assert response.status_code == 200
        g = parse(response, "ttl")
        ids = datasets_in(g)
        assert len(ids) <= 100
        assert not (ids & seen)
        seen |= ids
        view = g.value(predicate=RDF.type, object=HYDRA.PartialCollectionView)
        assert int(g.value(view, HYDRA.totalItems)) == 205
        assert str(g.value(view, HYDRA.first)).endswith("page=1")
        assert str(g.value(view, HYDRA.last)).endswith("page=3")
        if pages:
            assert g.value(view, HYDRA.previous) is not None
        nxt = g.value(view, HYDRA.next)
        url = str(nxt) if nxt else ""
        pages += 1
    assert pages == 3
    assert len(seen) == 205
    assert anon_x.get("/catalog.ttl?page=4").status_code == 404
    assert anon_x.get("/catalog.ttl?page=abc").status_code == 400


def test_modified_since_filters_and_keeps_paging_links(anon_x, town_x, unit_x_a):
    old = bare_dataset(town_x, unit_x_a, name="antigo")
    Dataset.objects.filter(pk=old.pk).update(
        modified_at=timezone.make_aware(datetime.datetime(2023, 6, 1))
    )
    new = bare_dataset(town_x, unit_x_a, name="novo")
    response = anon_x.get("/catalog.ttl", {"modified_since": "2024-01-01T00:00:00Z"})
    g = parse(response, "ttl")
    assert datasets_in(g) == {str(new.pk)}
    view = g.value(predicate=RDF.type, object=HYDRA.PartialCollectionView)
    assert "modified_since=2024-01-01" in str(g.value(view, HYDRA.first))
    assert datasets_in(parse(anon_x.get("/catalog.ttl?modified_since=2023-01-01"), "ttl")) == {
        str(old.pk),
        str(new.pk),
    }
    bad = anon_x.get("/catalog.ttl?modified_since=ontem")
    assert bad.status_code == 400
    assert "modified_since" in bad.content.decode()


def test_catalog_queries_do_not_grow_with_datasets(
    anon_x, town_x, unit_x_a, django_assert_max_num_queries
):
    rich_dataset(town_x, unit_x_a)
    for i in range(6):
        bare_dataset(town_x, unit_x_a, name=f"frota-{i}")
    _many(town_x, unit_x_a, 40)
    with django_assert_max_num_queries(8):
        response = anon_x.get("/catalog.ttl")
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert anon_x.get("/dataset/despesas.rdf").status_code == 200
