"""OpenAPI 3.1 document of the ``/api/v1/`` API, built from one description of the endpoints.

:data:`ENDPOINTS` is the only description: the document served at
``/api/v1/openapi.json`` is generated from it, and a test checks that every
``/api/v1/`` URL pattern of the project appears in it (no drift).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse

from paco.core.http import public_json
from paco.opendata.datastore.native import DEFAULT_LIMIT, MAX_FACETS, MAX_LIMIT, json_api
from paco.opendata.models import VersionStatus

_STR: dict[str, Any] = {"type": "string"}
_INT: dict[str, Any] = {"type": "integer"}


def _param(
    name: str,
    where: str,
    description: str,
    schema: dict[str, Any] | None = None,
    *,
    required: bool = False,
) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": required or where == "path",
        "description": description,
        "schema": schema or _STR,
    }


NAME = _param("name", "path", "Identificador (slug) do conjunto de dados.")
RESOURCE = _param("resource", "path", "Identificador (slug) do recurso dentro do conjunto.")
RESOURCE_ID = _param(
    "resource_id", "path", "UUID do recurso.", {"type": "string", "format": "uuid"}
)
NUMBER = _param("number", "path", "Número da versão.", {"type": "integer", "minimum": 1})

QUERY_PARAMS = [
    _param(
        "filtros",
        "query",
        "Filtros por coluna, um parâmetro por condição: `coluna=valor` (igual; repita para "
        "“qualquer um”), `coluna__ne`, `__lt`, `__lte`, `__gt`, `__gte`, `coluna__in=a,b`, "
        "`coluna__contains=texto` (sem acento/maiúsculas), `coluna__isnull=true|false`. "
        "Valores no tipo da coluna (datas `aaaa-mm-dd` ou `dd/mm/aaaa`, números `1.5` ou `1,5`).",
        {"type": "object", "additionalProperties": {"type": "string"}},
    )
    | {"style": "form", "explode": True},
    _param("q", "query", "Busca textual em todas as colunas de texto (todas as palavras)."),
    _param("sort", "query", "Ordenação: `col,-col2` (`-` = decrescente; vazios por último)."),
    _param("fields", "query", "Colunas a devolver, separadas por vírgula."),
    _param("versao", "query", "Número de uma versão publicada (padrão: a atual).", _INT),
]

TABLE_PARAMS = [
    *QUERY_PARAMS,
    _param(
        "limit",
        "query",
        f"Linhas por página (1–{MAX_LIMIT}, padrão {DEFAULT_LIMIT}).",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    ),
    _param("after", "query", "Cursor opaco da página seguinte (use a URL em `next`)."),
    _param("facets", "query", f"Contagem de valores de até {MAX_FACETS} colunas: `col,col2`."),
    _param(
        "total",
        "query",
        "`false` dispensa a contagem total (a resposta vem sem `total`, mais rápida). "
        "Nas páginas seguintes (`after`) a contagem não é refeita. Para filtrar uma "
        "coluna chamada `total`, use `total__eq`.",
        {"type": "boolean", "default": True},
    ),
]

FIELD = {
    "type": "object",
    "required": ["id", "type"],
    "properties": {
        "id": _STR,
        "type": {"enum": ["text", "numeric", "int", "date", "timestamp", "bool"]},
        "info": {
            "type": "object",
            "properties": {"label": _STR, "notes": _STR, "unit": _STR},
        },
    },
}
PAGE = {
    "type": "object",
    "required": ["resource_id", "version", "fields", "records", "next"],
    "properties": {
        "dataset": _STR,
        "resource": _STR,
        "resource_id": {"type": "string", "format": "uuid"},
        "version": _INT,
        "fields": {"type": "array", "items": FIELD},
        "records": {
            "type": "array",
            "description": "Linhas; `_id` é a chave estável da linha (ordinal na versão).",
            "items": {"type": "object", "properties": {"_id": _INT}},
        },
        "total": {"type": "integer", "description": "Linhas que atendem aos filtros."},
        "next": {"type": ["string", "null"], "format": "uri"},
        "facets": {
            "type": "object",
            "additionalProperties": {
                "type": "array",
                "items": {"type": "object", "properties": {"value": {}, "count": _INT}},
            },
        },
    },
}
ERROR = {"type": "object", "properties": {"erro": _STR, "campo": {"type": ["string", "null"]}}}
VERSION_STATUS = {
    "type": "object",
    "properties": {
        "success": {"type": "boolean"},
        "status_url": {"type": "string", "format": "uri"},
        "dataset": _STR,
        "resource": _STR,
        "resource_id": {"type": "string", "format": "uuid"},
        "version": _INT,
        "status": {"enum": list(VersionStatus.values)},
        "progress": _INT,
        "rows": {"type": ["integer", "null"]},
        "errors": {"type": "array", "items": _STR},
        "personal_data": {"type": "array", "items": {"type": "object"}},
    },
}
UPLOAD_ERROR = {"type": "object", "properties": {"success": {"const": False}, "error": _STR}}


def _json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _responses(
    ok: str, schema: dict[str, Any], *codes: tuple[str, str, dict[str, Any]]
) -> dict[str, Any]:
    out = {ok: {"description": "Sucesso", "content": _json_content(schema)}}
    for code, description, error_schema in codes:
        out[code] = {"description": description, "content": _json_content(error_schema)}
    return out


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    url_name: str
    summary: str
    description: str = ""
    parameters: list[dict[str, Any]] = field(default_factory=list)
    responses: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ("dados",)
    request_body: dict[str, Any] | None = None
    security: bool = False
    #: when two methods share one URL name (GET and POST of a collection)
    operation_id: str = ""

    def operation(self) -> dict[str, Any]:
        op: dict[str, Any] = {
            "operationId": self.operation_id or self.url_name.replace(":", "_").replace("-", "_"),
            "summary": self.summary,
            "tags": list(self.tags),
            "parameters": self.parameters,
            "responses": self.responses,
        }
        if self.description:
            op["description"] = self.description
        if self.request_body:
            op["requestBody"] = self.request_body
        if self.security:
            op["security"] = [{"token": []}]
        return op


_PAGE_RESPONSES = _responses(
    "200",
    PAGE,
    ("400", "Parâmetro inválido (coluna, valor ou cursor)", ERROR),
    ("404", "Recurso inexistente, não publicado ou sem dados tabulares", ERROR),
)
_KEYSET = (
    "Paginação por cursor: siga `next` até que seja `null`. Cada linha tem `_id`, "
    "a posição estável da linha na versão; a ordem é a de `sort` e depois `_id`."
)

ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "/api/v1/datasets/{name}/resources/{resource}/records",
        "get",
        "datastore:records",
        "Linhas de uma tabela publicada (recurso pelo nome)",
        _KEYSET,
        [NAME, RESOURCE, *TABLE_PARAMS],
        _PAGE_RESPONSES,
    ),
    Endpoint(
        "/api/v1/tables/{resource_id}",
        "get",
        "datastore:table",
        "Linhas de uma tabela publicada (recurso pelo UUID, o mesmo do CKAN)",
        _KEYSET,
        [RESOURCE_ID, *TABLE_PARAMS],
        _PAGE_RESPONSES,
    ),
    Endpoint(
        "/api/v1/datasets/{name}/resources/{resource}/versions",
        "post",
        "pipeline:api-versions",
        "Envia um arquivo como nova versão do recurso (criado se não existir)",
        "Autenticação `Authorization: Token <segredo>`. O processamento é assíncrono: "
        "acompanhe pela URL em `status_url` (também no cabeçalho `Location`).",
        [NAME, RESOURCE],
        _responses(
            "202",
            VERSION_STATUS,
            ("400", "Arquivo ausente ou inválido", UPLOAD_ERROR),
            ("401", "Token ausente ou inválido", UPLOAD_ERROR),
            ("403", "O token não pode alterar este conjunto", UPLOAD_ERROR),
            ("404", "Conjunto de dados não encontrado", UPLOAD_ERROR),
            ("413", "Arquivo maior que o limite", UPLOAD_ERROR),
        ),
        ("envio",),
        {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "sheet": {"type": "string", "description": "Planilha (XLSX/ODS)."},
                            "title": {"type": "string", "description": "Título (recurso novo)."},
                            "publish": {"type": "string", "enum": ["1", "0"], "default": "1"},
                        },
                    }
                }
            },
        },
        security=True,
    ),
    Endpoint(
        "/api/v1/datasets/{name}/resources/{resource}/versions/{number}",
        "get",
        "pipeline:api-version",
        "Situação, progresso e relatório de uma versão enviada",
        "",
        [NAME, RESOURCE, NUMBER],
        _responses(
            "200",
            VERSION_STATUS,
            ("401", "Token ausente ou inválido", UPLOAD_ERROR),
            ("403", "O token não pode ver este conjunto", UPLOAD_ERROR),
            ("404", "Versão não encontrada", UPLOAD_ERROR),
        ),
        ("envio",),
        security=True,
    ),
    Endpoint(
        "/api/v1/openapi.json",
        "get",
        "datastore:openapi",
        "Este documento",
        "",
        [],
        {"200": {"description": "OpenAPI 3.1", "content": _json_content({"type": "object"})}},
        ("meta",),
    ),
]


def _joined() -> None:
    """Other apps' ``/api/v1/`` endpoints join the one list (Atendimento)."""
    from paco.atendimento.openapi import endpoints

    ENDPOINTS.extend(endpoints(Endpoint))


_joined()


def spec(server_url: str = "") -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in ENDPOINTS:
        paths.setdefault(endpoint.path, {})[endpoint.method] = endpoint.operation()
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": "Paço — API de dados abertos",
            "version": "1.0",
            "description": (
                "Consulta às tabelas publicadas (arquivos Parquet versionados) e envio de novas "
                "versões. A API compatível com CKAN fica em `/api/3/action/` (`datastore_search`, "
                "`datastore_search_sql`, `package_search`…) e os arquivos completos em "
                "`/dados/recurso/{id}/dados.{csv,json,ndjson,parquet}`."
            ),
            "license": {"name": "CC-BY-4.0", "identifier": "CC-BY-4.0"},
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`Token <segredo>`, criado em /dados/gestao/tokens/.",
                }
            }
        },
    }
    if server_url:
        document["servers"] = [{"url": server_url}]
    return document


@json_api
def openapi_json(request: HttpRequest) -> HttpResponse:
    return public_json(spec(request.build_absolute_uri("/").rstrip("/")))
