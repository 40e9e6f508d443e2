"""Demo-like datasets for the DCAT-BR, SHACL, datapackage and readiness tests."""

from __future__ import annotations

import datetime

from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState, Resource, ResourceKind
from paco.opendata.testing import publish_table
from paco.tenancy.models import Municipality, Unit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def rich_dataset(town: Municipality, unit: Unit, name: str = "despesas") -> Dataset:
    """Every optional field filled; a table, a PDF file and an external link."""
    table = publish_table(town, unit, dataset=name, resource="dados", title="Despesas municipais")
    dataset = table.dataset
    actions.update_dataset(
        None,
        dataset,
        description="Despesas empenhadas e pagas pela prefeitura, por fornecedor e elemento.",
        contact_name="Maria da Silva",
        contact_email="maria@prefeitura.example",
        keywords=["despesas", "empenho", "transparência"],
        license="cc-zero",
        access_rights="1",
        periodicity="MENSAL",
        next_update_due=datetime.date.today() + datetime.timedelta(days=20),
        temporal_start=datetime.date(2025, 1, 1),
        temporal_end=datetime.date(2025, 3, 31),
        version="2025.1",
        themes=["economia-e-financas", "administracao"],
    )
    actions.update_dictionary(
        None,
        table,
        {
            "valor": {"title": "Valor", "description": "Valor empenhado", "unit": "R$"},
            "data": {"title": "Data", "description": "Data do empenho"},
        },
    )
    publish_table(
        town,
        unit,
        dataset=name,
        resource="nota-tecnica",
        filename="nota.pdf",
        content=PDF,
    )
    actions.create_resource(
        None,
        dataset,
        title="Portal da transparência",
        kind=ResourceKind.LINK,
        url="https://transparencia.example/despesas",
        format="html",
    )
    return Dataset.objects.get(pk=dataset.pk)


def bare_dataset(town: Municipality, unit: Unit, name: str = "frota") -> Dataset:
    """Only a title and one external link: every optional field blank."""
    dataset = actions.create_dataset(None, town, title="Frota", unit=unit, name=name)
    actions.create_resource(
        None, dataset, title="Lista", kind=ResourceKind.LINK, url="https://frota.example/x"
    )
    actions.set_dataset_state(None, dataset, DatasetState.PUBLISHED)
    return Dataset.objects.get(pk=dataset.pk)


def draft_dataset(town: Municipality, unit: Unit, name: str = "rascunho") -> Dataset:
    return actions.create_dataset(None, town, title="Rascunho interno", unit=unit, name=name)


def resources_of(dataset: Dataset) -> list[Resource]:
    return list(Resource.objects.for_municipality(dataset.municipality).filter(dataset=dataset))
