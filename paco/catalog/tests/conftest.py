"""Helpers for the charter tests: services built through the import action."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from paco.catalog.actions import import_services
from paco.catalog.demo import demo_payload
from paco.catalog.models import Service
from paco.tenancy.models import Municipality, Unit


def detail(name: str, unit: Unit, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nome": name,
        "descricao": f"Descrição do serviço {name}.",
        "orgao": {"id": unit.slug, "nomeOrgao": unit.name},
        "situacao": "published",
        "segmentosDaSociedade": {"item": [{"item": "Cidadãos"}]},
        "areasDeInteresse": {"item": [{"item": "Geral"}]},
        "etapas": [
            {
                "titulo": "Pedir",
                "descricao": "Faça o pedido.",
                "documentos": {"documentos": [{"nome": "RG"}], "casos": []},
                "custos": {"custos": [], "casos": []},
                "canaisDePrestacao": {
                    "canaisDePrestacao": [
                        {"tipo": "presencial", "descricao": "Praça 1", "tempoEstimadoEspera": ""}
                    ],
                    "casos": [],
                },
            }
        ],
    }
    data.update(extra)
    return data


def add(town: Municipality, *items: dict[str, Any]) -> list[Service]:
    import_services(None, town, list(items))
    names = [i["nome"] for i in items]
    return list(Service.objects.for_municipality(town).filter(name__in=names))


DEMO_UNITS = {
    "gab": "Gabinete do Prefeito",
    "dtrib": "Departamento de Tributação",
    "seob": "Secretaria de Obras e Serviços Urbanos",
    "sema": "Secretaria de Meio Ambiente",
    "seduc": "Secretaria de Educação, Cultura e Esporte",
    "sms": "Secretaria de Saúde",
    "sedes": "Secretaria de Desenvolvimento Econômico",
    "sas": "Secretaria de Assistência Social",
    "ouv": "Ouvidoria Municipal",
}


def demo_units(town: Municipality) -> None:
    for slug, name in DEMO_UNITS.items():
        Unit.objects.get_or_create(
            municipality=town,
            slug=slug,
            defaults={"name": name, "acronym": slug.upper(), "address": "Praça 1"},
        )


@pytest.fixture
def demo_x(town_x: Municipality) -> Municipality:
    demo_units(town_x)
    import_services(None, town_x, copy.deepcopy(demo_payload()))
    return town_x
