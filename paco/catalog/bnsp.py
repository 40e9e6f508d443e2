"""The service in the vocabulary of the federal catalogue (Base Nacional de Serviços Públicos).

:func:`detail` renders a service as the federal ``servicos/{id}`` JSON;
``slug``, ``situacao``, ``statusDigital``, ``eventosDaVida``, ``tempoEstimadoEspera``,
``manifestacoes``, ``dataUltimaRevisao`` and ``inventarioDigital`` are Paço extensions
that keep an export → import round trip lossless. The service-level
``tempoEstimadoEspera`` is a summary of the channels' own (“Presencial: até 15
minutos; Telefone: até 5 minutos”): the waiting time is kept on each channel only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from paco.catalog.models import DigitalStatus, Service, TimeKind, lines
from paco.core.sanitize import plain_output

JSON = dict[str, Any]


def items(values: list[str]) -> JSON:
    return {"item": [{"item": v} for v in values]}


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def estimated_time(service: Service) -> JSON:
    kind = service.time_kind
    body: JSON
    if kind == TimeKind.BETWEEN:
        body = {
            "min": str(service.time_min or ""),
            "max": str(service.time_max or ""),
            "unidade": service.time_unit,
        }
    elif kind in (TimeKind.UP_TO, TimeKind.AVERAGE):
        body = {"max": str(service.time_max or ""), "unidade": service.time_unit}
    else:
        body = {}
    return {kind: body, "descricao": service.time_description}


def step_json(step: Any) -> JSON:
    return {
        "titulo": step.title,
        "descricao": step.description,
        "documentos": {
            "documentos": [{"nome": d} for d in step.document_list()],
            "casos": [],
        },
        "custos": {
            "custos": [
                {
                    "descricao": c.description,
                    "moeda": "R$",
                    "valor": _money(c.value),
                    "valorVariavel": c.variable,
                }
                for c in step.costs.all()
            ],
            "casos": [],
        },
        "canaisDePrestacao": {
            "canaisDePrestacao": [
                {
                    "tipo": ch.kind,
                    "descricao": ch.description,
                    "tempoEstimadoEspera": ch.waiting_time,
                }
                for ch in step.channels.all()
            ],
            "casos": [],
        },
    }


@plain_output
def detail(service: Service) -> JSON:
    """The full service (use ``Service.objects.for_detail()`` to avoid extra queries)."""
    unit = service.unit
    return {
        "id": service.pk,
        "slug": service.slug,
        "nome": service.name,
        "sigla": service.acronym,
        "nomesPopulares": items(service.popular_name_list()),
        "descricao": service.description,
        "contato": service.contact,
        "gratuito": service.is_free,
        "solicitantes": {
            "solicitante": [
                {"tipo": r.kind, "requisitos": r.requirements} for r in service.requesters.all()
            ]
        },
        "tempoTotalEstimado": estimated_time(service),
        "tempoEstimadoEspera": "; ".join(service.waiting_times()),
        "etapas": [step_json(s) for s in service.steps.all()],
        "orgao": {"id": unit.slug, "nomeOrgao": unit.name},
        "segmentosDaSociedade": items([a.name for a in service.audiences.all()]),
        "areasDeInteresse": items([c.name for c in service.categories.all()]),
        "eventosDaVida": items([e.name for e in service.life_events.all()]),
        "palavrasChave": items(service.keyword_list()),
        "legislacoes": items(service.legislation_list()),
        "condicoesAcessibilidade": service.accessibility,
        "tratamentoPrioritario": service.priority,
        "tratamentoDispensadoAtendimento": service.service_standards,
        "manifestacoes": service.complaints,
        "servicoDigital": service.digital_status == DigitalStatus.DIGITAL,
        "statusDigital": service.digital_status,
        "linkServicoDigital": service.digital_url,
        "situacao": service.status,
        "dataUltimaRevisao": service.last_reviewed.isoformat() if service.last_reviewed else None,
        "inventarioDigital": {
            "observacao": service.digitization_note,
            "previsao": (
                service.digitization_planned_for.isoformat()
                if service.digitization_planned_for
                else None
            ),
        },
    }


@plain_output
def summary(service: Service, request: HttpRequest) -> JSON:
    unit = service.unit
    return {
        "id": service.pk,
        "name": service.name,
        "description": service.description,
        "url": request.build_absolute_uri(service.get_absolute_url()),
        "date": (service.last_reviewed or service.updated_at.date()).isoformat(),
        "organization": {
            "name": unit.name,
            "id": unit.slug,
            "url": request.build_absolute_uri(reverse("catalog:unit", args=[unit.slug])),
        },
        "popular_names": [{"name": n} for n in service.popular_name_list()],
        "keywords": service.keyword_list(),
    }


def item_values(value: Any) -> list[str]:
    """Read ``{"item": [{"item": "x"}]}`` (or a plain list of strings) as ``["x"]``."""
    if value in (None, ""):
        return []
    if isinstance(value, dict):
        value = value.get("item", [])
    if not isinstance(value, list):
        raise ValueError("lista em formato inválido")
    out = []
    for entry in value:
        text = entry.get("item") if isinstance(entry, dict) else entry
        if not isinstance(text, str):
            raise ValueError("item de lista em formato inválido")
        if text.strip():
            out.append(text.strip())
    return out


def join_lines(values: list[str]) -> str:
    return "\n".join(values)


__all__ = ["detail", "item_values", "items", "join_lines", "lines", "summary"]
