"""The Atendimento endpoints of ``/api/v1/openapi.json`` (joined to the document's one list)."""

from __future__ import annotations

from typing import Any

from paco.atendimento.api import TRANSITIONS

_STR: dict[str, Any] = {"type": "string"}
_NULL_STR: dict[str, Any] = {"type": ["string", "null"]}
ERROR = {"type": "object", "properties": {"erro": _STR, "campo": _NULL_STR}}
EVENT = {
    "type": "object",
    "properties": {
        "at": {"type": "string", "format": "date-time"},
        "code": _STR,
        "label": _STR,
        "text": _STR,
        "public": {"type": "boolean"},
        "unit": _NULL_STR,
    },
}
CASE = {
    "type": "object",
    "required": ["number", "kind", "status"],
    "properties": {
        "number": {"type": "string", "description": "Protocolo (NUP) 00000.000000/0000-00."},
        "kind": {"enum": ["servico", "ouvidoria", "esic", "dados"]},
        "kind_label": _STR,
        "subject": _STR,
        "status": _STR,
        "status_label": _STR,
        "unit": _NULL_STR,
        "submitted_at": {"type": "string", "format": "date-time"},
        "received_on": {"type": "string", "format": "date"},
        "due_on": {"type": ["string", "null"], "format": "date"},
        "extended": {"type": "boolean"},
        "outcome": _NULL_STR,
        "conclusion": _NULL_STR,
        "description": _STR,
        "timeline": {"type": "array", "items": EVENT},
        "attachments": {"type": "array", "items": {"type": "object"}},
        "access_code": {"type": ["string", "null"], "description": "Só na criação."},
        "requester": {"type": "object", "description": "Só para servidores; oculto se preservado."},
    },
}
LIST = {"type": "object", "properties": {"results": {"type": "array", "items": CASE}}}
NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "Protocolo (NUP), com ou sem pontuação, ex.: 12345000123202645.",
    "schema": _STR,
}
ACTION = {
    "name": "action",
    "in": "path",
    "required": True,
    "description": "A ação do servidor.",
    "schema": {"enum": list(TRANSITIONS)},
}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _responses(ok: str, schema: dict[str, Any], *errors: tuple[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {ok: {"description": "Sucesso", "content": _json(schema)}}
    for code, description in (("401", "Sem sessão nem token válido"), *errors):
        out[code] = {"description": description, "content": _json(ERROR)}
    return out


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema = {"type": "object", "properties": properties, "required": required}
    return {
        "required": True,
        "content": {
            "application/json": {"schema": schema},
            "multipart/form-data": {"schema": schema},
        },
    }


def endpoints(endpoint: Any) -> list[Any]:
    """The endpoints, built with the document's own ``Endpoint`` class (no import cycle)."""
    tags = ("atendimento",)
    not_found = ("404", "Atendimento inexistente ou de outra pessoa")
    invalid = ("400", "Dados inválidos (mensagem e campo)")
    return [
        endpoint(
            "/api/v1/atendimento/casos",
            "get",
            "atendimento:api-cases",
            "Meus atendimentos (sessão do cidadão ou token)",
            responses=_responses("200", LIST),
            tags=tags,
            security=True,
        ),
        endpoint(
            "/api/v1/atendimento/casos",
            "post",
            "atendimento:api-cases",
            "Abrir um atendimento com a conta do cidadão",
            "Sem motivo exigido para pedidos de informação (LAI art. 10 § 3º). "
            "Documentos em `documents` (multipart).",
            responses=_responses("201", CASE, invalid),
            tags=tags,
            operation_id="atendimento_api_cases_create",
            request_body=_body(
                {
                    "kind": {"enum": ["servico", "ouvidoria", "esic"]},
                    "service": {"type": "string", "description": "Slug do serviço (servico)."},
                    "subject": _STR,
                    "description": _STR,
                    "identity_mode": {"enum": ["identificado", "preservado"]},
                    "ombudsman_type": _STR,
                    "name": _STR,
                    "document": _STR,
                    "email": _STR,
                    "phone": _STR,
                },
                ["kind", "subject", "description"],
            ),
            security=True,
        ),
        endpoint(
            "/api/v1/atendimento/casos/{number}",
            "get",
            "atendimento:api-case",
            "Um atendimento do cidadão, com a linha do tempo pública",
            parameters=[NUMBER],
            responses=_responses("200", CASE, not_found),
            tags=tags,
            security=True,
        ),
        endpoint(
            "/api/v1/atendimento/casos/{number}/documentos",
            "post",
            "atendimento:api-documents",
            "Enviar documentos (multipart, campo `documents`)",
            parameters=[NUMBER],
            responses=_responses("201", CASE, invalid, not_found),
            tags=tags,
            request_body={"required": True, "content": {"multipart/form-data": {"schema": {}}}},
            security=True,
        ),
        endpoint(
            "/api/v1/atendimento/casos/{number}/avaliacao",
            "post",
            "atendimento:api-rating",
            "Avaliar um atendimento concluído (uma vez)",
            parameters=[NUMBER],
            responses=_responses("201", {"type": "object"}, invalid, not_found),
            tags=tags,
            request_body=_body(
                {
                    "score": {"type": "integer", "minimum": 1, "maximum": 5},
                    "resolved": {"enum": ["sim", "parcialmente", "nao"]},
                    "dimension": _STR,
                    "comment": _STR,
                },
                ["score", "resolved"],
            ),
            security=True,
        ),
        endpoint(
            "/api/v1/atendimento/caixa",
            "get",
            "atendimento:api-inbox",
            "Caixa do servidor: atendimentos em aberto das suas unidades",
            responses=_responses("200", LIST),
            tags=tags,
            security=True,
        ),
        endpoint(
            "/api/v1/atendimento/caixa/{number}",
            "get",
            "atendimento:api-staff-case",
            "Um atendimento da unidade, com o histórico completo",
            parameters=[NUMBER],
            responses=_responses("200", CASE, not_found),
            tags=tags,
            security=True,
        ),
        endpoint(
            "/api/v1/atendimento/caixa/{number}/{action}",
            "post",
            "atendimento:api-transition",
            "Ação do servidor: atribuir, encaminhar, nota, pedir informação, prorrogar, "
            "concluir, arquivar, encaminhar a outro órgão",
            parameters=[NUMBER, ACTION],
            responses=_responses("200", CASE, invalid, not_found, ("403", "Sem permissão")),
            tags=tags,
            request_body=_body(
                {
                    "text": _STR,
                    "servant": {"type": "integer"},
                    "unit": {"type": "integer"},
                    "outcome": {"enum": ["deferido", "indeferido", "respondido", "parcial"]},
                    "body": _STR,
                },
                [],
            ),
            security=True,
        ),
    ]
