"""Reading services in the federal catalogue's detail shape (see :mod:`paco.catalog.bnsp`).

:func:`parse` turns one JSON item into plain values, or raises :class:`ItemError`
with a pt-BR message. Nothing here writes: :func:`paco.catalog.actions.import_services`
does, after every item has been read.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify

from paco.catalog.bnsp import item_values, join_lines
from paco.catalog.models import (
    AUDIENCES,
    ChannelKind,
    DigitalStatus,
    Status,
    TimeKind,
    TimeUnit,
)
from paco.tenancy.models import Municipality, Unit


class ItemError(ValueError):
    pass


@dataclass
class StepData:
    title: str
    description: str
    documents: str
    costs: list[dict[str, Any]] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ServiceData:
    fields: dict[str, Any]
    requesters: list[dict[str, str]]
    steps: list[StepData]
    categories: list[str]
    life_events: list[str]
    audiences: list[str]


def _text(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ItemError(f"o campo “{key}” deve ser um texto")
    if required and not value.strip():
        raise ItemError(f"o campo “{key}” é obrigatório")
    return value.strip()


def _dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise ItemError(f"o campo “{key}” deve ser um objeto")
    return value


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise ItemError(f"o campo “{key}” deve ser uma lista")
    return value


def _items(data: dict[str, Any], key: str) -> list[str]:
    try:
        return item_values(data.get(key))
    except ValueError as exc:
        raise ItemError(f"o campo “{key}”: {exc}") from exc


def _int(value: Any, what: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError as exc:
        raise ItemError(f"{what} deve ser um número inteiro (recebido: {value!r})") from exc
    if number < 0:
        raise ItemError(f"{what} não pode ser negativo")
    return number


def _time(data: dict[str, Any]) -> dict[str, Any]:
    block = _dict(data, "tempoTotalEstimado")
    kinds = [k for k in block if k in TimeKind.values]
    if len(kinds) > 1:
        raise ItemError("“tempoTotalEstimado” deve ter só um tipo de prazo")
    kind = kinds[0] if kinds else TimeKind.NOT_ESTIMATED
    body = block.get(kind) or {}
    if not isinstance(body, dict):
        raise ItemError("“tempoTotalEstimado” em formato inválido")
    unit = body.get("unidade") or ""
    if unit and unit not in TimeUnit.values:
        raise ItemError(f"unidade de prazo desconhecida: “{unit}”")
    result = {
        "time_kind": kind,
        "time_min": _int(body.get("min"), "o prazo mínimo"),
        "time_max": _int(body.get("max"), "o prazo máximo"),
        "time_unit": unit,
        "time_description": _text(block, "descricao"),
    }
    if kind in (TimeKind.UP_TO, TimeKind.AVERAGE, TimeKind.BETWEEN) and (
        result["time_max"] is None or not unit
    ):
        raise ItemError(f"o prazo “{kind}” precisa de quantidade máxima e unidade")
    if kind == TimeKind.BETWEEN and result["time_min"] is None:
        raise ItemError("o prazo “entre” precisa de quantidade mínima")
    return result


def _cost(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ItemError("custo em formato inválido")
    value = raw.get("valor")
    amount: Decimal | None = None
    if value not in (None, ""):
        try:
            amount = Decimal(str(value).replace("R$", "").strip().replace(",", "."))
        except InvalidOperation as exc:
            raise ItemError(f"valor de custo inválido: {value!r}") from exc
    return {
        "description": _text(raw, "descricao", required=True),
        "value": amount,
        "variable": bool(raw.get("valorVariavel", False)),
    }


def _channel(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ItemError("canal em formato inválido")
    kind = raw.get("tipo")
    if kind not in ChannelKind.values:
        raise ItemError(f"tipo de canal desconhecido: “{kind}”")
    return {
        "kind": kind,
        "description": _text(raw, "descricao", required=True),
        "waiting_time": _text(raw, "tempoEstimadoEspera"),
    }


def _step(raw: Any, number: int) -> StepData:
    if not isinstance(raw, dict):
        raise ItemError(f"a etapa {number} está em formato inválido")
    docs = _dict(raw, "documentos")
    names = []
    for doc in _list(docs, "documentos"):
        name = doc.get("nome") if isinstance(doc, dict) else doc
        if not isinstance(name, str):
            raise ItemError(f"documento inválido na etapa {number}")
        names.append(name.strip())
    return StepData(
        title=_text(raw, "titulo", required=True),
        description=_text(raw, "descricao"),
        documents=join_lines(names),
        costs=[_cost(c) for c in _list(_dict(raw, "custos"), "custos")],
        channels=[_channel(c) for c in _list(_dict(raw, "canaisDePrestacao"), "canaisDePrestacao")],
    )


def _date(value: Any, what: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ItemError(f"{what} deve ser uma data AAAA-MM-DD (recebido: {value!r})") from exc


def find_unit(town: Municipality, orgao: dict[str, Any]) -> Unit:
    units = Unit.objects.for_municipality(town)
    unit = None
    if orgao.get("id"):
        unit = units.filter(slug=str(orgao["id"])).first()
    if unit is None and orgao.get("nomeOrgao"):
        unit = units.filter(name__iexact=str(orgao["nomeOrgao"]).strip()).first()
    if unit is None:
        raise ItemError(
            f"unidade responsável não encontrada neste município: “{orgao.get('nomeOrgao', '')}”"
        )
    return unit


AUDIENCE_BY_NAME = {name.lower(): slug for slug, name in AUDIENCES} | {s: s for s, _ in AUDIENCES}


def parse(town: Municipality, raw: Any) -> ServiceData:
    if not isinstance(raw, dict):
        raise ItemError("o item deve ser um objeto JSON")
    name = _text(raw, "nome", required=True)
    slug = slugify(_text(raw, "slug") or name)[:120]
    # a catalogue from elsewhere is reviewed before it goes public
    status = raw.get("situacao") or Status.DRAFT
    if status not in Status.values:
        raise ItemError(f"situação desconhecida: “{status}”")
    digital = raw.get("statusDigital") or (
        DigitalStatus.DIGITAL if raw.get("servicoDigital") else DigitalStatus.IN_PERSON
    )
    if digital not in DigitalStatus.values:
        raise ItemError(f"situação digital desconhecida: “{digital}”")
    audiences = []
    for label in _items(raw, "segmentosDaSociedade"):
        slug_a = AUDIENCE_BY_NAME.get(label.lower())
        if slug_a is None:
            raise ItemError(f"segmento da sociedade desconhecido: “{label}”")
        audiences.append(slug_a)
    requesters = []
    for entry in _list(_dict(raw, "solicitantes"), "solicitante"):
        if not isinstance(entry, dict):
            raise ItemError("solicitante em formato inválido")
        requesters.append(
            {
                "kind": _text(entry, "tipo", required=True),
                "requirements": _text(entry, "requisitos"),
            }
        )
    inventory = _dict(raw, "inventarioDigital")
    fields: dict[str, Any] = {
        "name": name,
        "slug": slug,
        "acronym": _text(raw, "sigla"),
        "popular_names": join_lines(_items(raw, "nomesPopulares")),
        "description": _text(raw, "descricao", required=True),
        "contact": _text(raw, "contato"),
        "status": status,
        "unit": find_unit(town, _dict(raw, "orgao")),
        "keywords": join_lines(_items(raw, "palavrasChave")),
        "legislation": join_lines(_items(raw, "legislacoes")),
        "priority": _text(raw, "tratamentoPrioritario"),
        "accessibility": _text(raw, "condicoesAcessibilidade"),
        "service_standards": _text(raw, "tratamentoDispensadoAtendimento"),
        "complaints": _text(raw, "manifestacoes"),
        "digital_status": digital,
        "digital_url": _text(raw, "linkServicoDigital"),
        "last_reviewed": _date(raw.get("dataUltimaRevisao"), "a data da última revisão"),
        "digitization_note": _text(inventory, "observacao"),
        "digitization_planned_for": _date(inventory.get("previsao"), "a previsão"),
        **_time(raw),
    }
    steps = [_step(s, n) for n, s in enumerate(_list(raw, "etapas"), start=1)]
    _place_waiting_time(fields, steps, _text(raw, "tempoEstimadoEspera"))
    return ServiceData(
        fields=fields,
        requesters=requesters,
        steps=steps,
        categories=_items(raw, "areasDeInteresse"),
        life_events=_items(raw, "eventosDaVida"),
        audiences=audiences,
    )


WAITING_NOTE = "Tempo de espera previsto: {}"


def _place_waiting_time(fields: dict[str, Any], steps: list[StepData], text: str) -> None:
    """Put a service-level ``tempoEstimadoEspera`` where Paço keeps it: on the channels.

    When a channel states its own waiting time, the service-level text is the
    summary Paço exports (or an older duplicate) and is ignored. Otherwise it goes
    to the only channel, or, with several channels (or none), into the notes on
    the deadline, so nothing the file said is lost — the same rule as migration
    ``catalog.0003``.
    """
    if not text:
        return
    channels = [c for step in steps for c in step.channels]
    if any(c.get("waiting_time") for c in channels):
        return
    if len(channels) == 1:
        channels[0]["waiting_time"] = text[:200]
        return
    note = WAITING_NOTE.format(text)
    current = fields.get("time_description") or ""
    fields["time_description"] = f"{current}\n{note}" if current else note


def items_of(payload: Any) -> list[Any]:
    """The list of services in a file: a list, or ``{"servicos": [...]}``."""
    if isinstance(payload, dict) and isinstance(payload.get("servicos"), list):
        return list(payload["servicos"])
    if isinstance(payload, list):
        return payload
    raise ItemError('o arquivo deve conter uma lista de serviços ou {"servicos": [...]}')
