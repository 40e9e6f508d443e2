"""OpenAPI 3.1 description of the BNSP endpoints (served at ``/api/bnsp/openapi.json``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

_STR = {"type": "string"}
_ITEMS = {
    "type": "object",
    "properties": {
        "item": {
            "type": "array",
            "items": {"type": "object", "properties": {"item": _STR}},
        }
    },
}
SUMMARY: dict[str, Any] = {
    "type": "object",
    "required": [
        "id", "name", "description", "url", "date", "organization", "popular_names", "keywords",
    ],
    "properties": {
        "id": {"type": "integer"},
        "name": _STR,
        "description": _STR,
        "url": {"type": "string", "format": "uri"},
        "date": {"type": "string", "format": "date"},
        "organization": {
            "type": "object",
            "properties": {"name": _STR, "id": _STR, "url": {"type": "string", "format": "uri"}},
        },
        "popular_names": {
            "type": "array",
            "items": {"type": "object", "properties": {"name": _STR}},
        },
        "keywords": {"type": "array", "items": _STR},
    },
}  # fmt: skip
DETAIL: dict[str, Any] = {
    "type": "object",
    "description": "Serviço no vocabulário do Portal de Serviços do Governo Federal.",
    "properties": {
        "nome": _STR,
        "sigla": _STR,
        "nomesPopulares": _ITEMS,
        "descricao": _STR,
        "contato": _STR,
        "gratuito": {"type": "boolean"},
        "solicitantes": {"type": "object"},
        "tempoTotalEstimado": {"type": "object"},
        "etapas": {"type": "array", "items": {"type": "object"}},
        "orgao": {"type": "object", "properties": {"id": _STR, "nomeOrgao": _STR}},
        "segmentosDaSociedade": _ITEMS,
        "areasDeInteresse": _ITEMS,
        "palavrasChave": _ITEMS,
        "legislacoes": _ITEMS,
        "condicoesAcessibilidade": _STR,
        "tratamentoPrioritario": _STR,
        "tratamentoDispensadoAtendimento": _STR,
        "servicoDigital": {"type": "boolean"},
        "linkServicoDigital": _STR,
    },
}


def spec() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Carta de Serviços — Base Nacional de Serviços Públicos",
            "version": "1.0",
        },
        "paths": {
            "/api/bnsp/servicos.json": {
                "get": {
                    "summary": "Serviços publicados do município",
                    "responses": {
                        "200": {
                            "description": "Lista de serviços",
                            "content": {
                                "application/json": {"schema": {"type": "array", "items": SUMMARY}}
                            },
                        }
                    },
                }
            },
            "/api/bnsp/servicos/{id}.json": {
                "get": {
                    "summary": "Um serviço, completo",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "O serviço",
                            "content": {"application/json": {"schema": DETAIL}},
                        },
                        "404": {"description": "Serviço não encontrado neste município"},
                    },
                }
            },
        },
    }


def openapi_view(request: HttpRequest) -> JsonResponse:
    return JsonResponse(spec(), json_dumps_params={"ensure_ascii": False})
