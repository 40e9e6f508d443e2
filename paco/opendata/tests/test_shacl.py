"""Every dataset and distribution the catalogue publishes passes the DCAT-BR SHACL shapes.

Offline: the shapes and the data are read from local files and responses; pyshacl
never follows ``owl:imports``. ``shapes.ttl`` (cardinalities, literals, node kinds)
must conform strictly. ``range.ttl`` (classes of values) and
``mdr-vocabularies.shape.ttl`` (controlled vocabularies) must give no violation:
their only tolerated results are the profile's own info/warning notes (a
``mailto:`` e-mail is not a ``vcard:Email`` resource; Parquet is not in the
format vocabulary yet).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Namespace, URIRef

from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState, ResourceKind
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.opendata.tests.dcat_support import PDF, bare_dataset, rich_dataset

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

# plain namespaces (rdflib's closed ones warn when pytest inspects the module)
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
SH = Namespace("http://www.w3.org/ns/shacl#")

SHAPES_DIR = Path(__file__).resolve().parents[1] / "data" / "dcat-br" / "shacl" / "1.0"


@cache
def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES_DIR / name, format="turtle")
    return graph


def check(data: Graph, *names: str, allow_warnings: bool = False) -> tuple[bool, Graph, str]:
    conforms, report, text = validate(
        data,
        shacl_graph=shapes(*names),
        inference="none",
        allow_warnings=allow_warnings,
        do_owl_imports=False,
    )
    return bool(conforms), report, text


def violations(report: Graph) -> list[str]:
    """Messages of the report's top-level violations (not the details of a warning)."""
    return [
        str(report.value(r, SH.resultMessage))
        for r in report.objects(None, SH.result)
        if report.value(r, SH.resultSeverity) == SH.Violation
    ]


def assert_dcat_br(data: Graph) -> None:
    conforms, _, text = check(data, "shapes.ttl")
    assert conforms, text
    for names in (("range.ttl",), ("mdr-vocabularies.shape.ttl",)):
        conforms, report, text = check(data, *names, allow_warnings=True)
        assert conforms and not violations(report), text


def fetch(client, url: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200, url
    return Graph().parse(data=response.content, format="turtle")


def file_only(town, unit):
    resource = publish_table(
        town, unit, dataset="leis", resource="lei", filename="lei.pdf", content=PDF
    )
    return resource.dataset


def link_only(town, unit):
    ds = actions.create_dataset(
        None,
        town,
        title="Obras públicas",
        unit=unit,
        description="Obras contratadas pela prefeitura.",
        periodicity="SOB_DEMANDA",
        themes=["urbanismo"],
    )
    actions.create_resource(
        None, ds, title="Painel", kind=ResourceKind.LINK, url="https://obras.example/painel.xlsx",
        format="xlsx",
    )  # fmt: skip
    actions.create_resource(
        None, ds, title="Mapa das obras", kind=ResourceKind.LINK,
        url="https://obras.example/mapa.geojson", format="geojson",
    )  # fmt: skip
    actions.set_dataset_state(None, ds, DatasetState.PUBLISHED)
    return ds


def tabular_only(town, unit):
    return publish_table(town, unit, dataset="frota-veiculos", resource="veiculos").dataset


BUILDERS = {
    "rich": rich_dataset,
    "bare": bare_dataset,
    "file_only": file_only,
    "link_only": link_only,
    "tabular_only": tabular_only,
}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_dataset_document_conforms(anon_x, town_x, unit_x_a, kind):
    dataset = BUILDERS[kind](town_x, unit_x_a)
    data = fetch(anon_x, f"/dataset/{dataset.name}.ttl")
    assert (None, RDF.type, DCAT.Dataset) in data
    assert_dcat_br(data)


def test_catalog_page_conforms(anon_x, town_x, unit_x_a):
    for build in BUILDERS.values():
        build(town_x, unit_x_a)
    data = fetch(anon_x, "/catalog.ttl")
    assert len(set(data.subjects(RDF.type, DCAT.Dataset))) == len(BUILDERS)
    assert len(set(data.subjects(RDF.type, DCAT.Distribution))) >= 10
    assert (None, RDF.type, DCAT.DataService) in data
    assert_dcat_br(data)


def test_rdfxml_and_jsonld_carry_the_same_graph(anon_x, town_x, unit_x_a):
    rich_dataset(town_x, unit_x_a)
    turtle = fetch(anon_x, "/dataset/despesas.ttl")
    for fmt, parser in (("rdf", "xml"), ("jsonld", "json-ld")):
        other = Graph().parse(data=anon_x.get(f"/dataset/despesas.{fmt}").content, format=parser)
        assert len(other) == len(turtle)
        assert_dcat_br(other)


def test_a_broken_graph_is_reported(anon_x, town_x, unit_x_a):
    """The check can fail: without a title, or with a second periodicity, it does not conform."""
    rich_dataset(town_x, unit_x_a)
    data = fetch(anon_x, "/dataset/despesas.ttl")
    node = next(data.subjects(RDF.type, DCAT.Dataset))
    data.remove((node, DCTERMS["title"], None))
    conforms, report, _ = check(data, "shapes.ttl")
    assert not conforms
    assert any("dct:title" in message for message in violations(report))

    data = fetch(anon_x, "/dataset/despesas.ttl")
    node = next(data.subjects(RDF.type, DCAT.Dataset))
    bogus = URIRef("https://example.org/frequencia/quando-der")
    data.set((node, DCTERMS.accrualPeriodicity, bogus))
    conforms, report, _ = check(data, "mdr-vocabularies.shape.ttl", allow_warnings=True)
    assert not conforms and violations(report)


def test_the_demo_catalogue_conforms(client, settings):
    """``paco demo``'s municipality: its datasets (real files through the pipeline) and the
    datasets the platform publishes about itself."""
    from paco.tenancy.demo import load_demo

    settings.PACO_SELF_PUBLISH = True
    town = load_demo().municipality
    data = fetch(client, "/catalog.ttl")
    published = Dataset.objects.for_municipality(town).published().count()
    assert published >= 4
    assert len(set(data.subjects(RDF.type, DCAT.Dataset))) == published
    assert_dcat_br(data)
