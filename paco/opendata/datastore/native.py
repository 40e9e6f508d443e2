"""The native JSON API over a table: filters, full text, sort, facets and keyset pagination.

``GET /api/v1/datasets/{name}/resources/{resource}/records`` (resource by name)
and ``GET /api/v1/tables/{resource_id}`` (by id) answer the same thing; see
:mod:`paco.opendata.datastore.openapi` for the contract.

Pagination is by keyset: every row has the stable key ``_id`` (its ordinal in
the version's Parquet file; versions never change). A page ends with ``next``,
a URL carrying ``after=<cursor>`` — the sort values and ``_id`` of the last row,
base64url-encoded JSON — so the next page starts right after that row however
deep it is, with no OFFSET scan and no duplicates or gaps.

Every answer is JSON, errors included: ``{"erro": "…", "campo": …}`` with 400
for a bad parameter, ``{"erro": "…"}`` with 404 for a dataset, resource or
version that does not exist or is not published, 405 for a method other than
GET/HEAD (:func:`json_api`). Unknown ``/api/v1/`` URLs get a JSON 404 too
(:func:`paco.core.http.page_not_found`).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import uuid
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec

from django.http import Http404, HttpRequest, HttpResponse

from paco.core import jsoninput
from paco.core.http import json_error, not_found_message, public_json
from paco.opendata import access
from paco.opendata.datastore.engine import ROW_KEY, QueryError, current_version, parse_bool
from paco.opendata.datastore.params import split_commas, table_query, version_number
from paco.opendata.datastore.query import facet_counts, query_table
from paco.opendata.models import Resource, ResourceVersion
from paco.tenancy.access import current_municipality

DEFAULT_LIMIT = 100
MAX_LIMIT = 10000
MAX_FACETS = 5
SAFE_METHODS = ("GET", "HEAD")

P = ParamSpec("P")


def json_api(
    view: Callable[Concatenate[HttpRequest, P], HttpResponse],
) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A GET/HEAD view of the native API whose errors are JSON too (pt-BR messages).

    ``Http404`` → 404 ``{"erro"}``; :class:`QueryError` → 400 ``{"erro", "campo"}``;
    another method → 405 with ``Allow``.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        if request.method not in SAFE_METHODS:
            response = json_error("Método não permitido: use GET.", status=405)
            response["Allow"] = ", ".join(SAFE_METHODS)
            return response
        try:
            return view(request, *args, **kwargs)
        except Http404 as exc:
            return json_error(not_found_message(exc), status=404)
        except QueryError as exc:
            return json_error(exc.message, status=400, campo=exc.field)

    return wrapped


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        values = jsoninput.loads(raw, where="no cursor “after”")
    except (ValueError, binascii.Error):
        raise QueryError("Cursor “after” inválido.") from None
    if not isinstance(values, list):
        raise QueryError("Cursor “after” inválido.")
    return values


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit", "")
    if not raw:
        return DEFAULT_LIMIT
    try:
        value = int(raw)
    except ValueError:
        raise QueryError("“limit” deve ser um número inteiro.") from None
    if not 1 <= value <= MAX_LIMIT:
        raise QueryError(f"“limit” deve estar entre 1 e {MAX_LIMIT}.")
    return value


def _include_total(request: HttpRequest) -> bool:
    """``total=false`` skips counting the matching rows (the count costs a scan)."""
    raw = request.GET.get("total", "")
    if raw == "":
        return True
    value = parse_bool(raw)
    if value is None:
        raise QueryError("“total” deve ser true ou false.")
    return value


def records_page(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    number = version_number(request.GET)
    version: ResourceVersion | None
    if number is None:
        version = current_version(resource)
    else:
        version = access.public_version(request, resource.pk, number)
    if version is None or not version.parquet:
        raise Http404("Este recurso não tem dados tabulares.")
    limit = _limit(request)
    after = request.GET.get("after")
    include_total = _include_total(request)
    query = table_query(
        request.GET,
        limit=limit + 1,  # one more row tells whether there is a next page
        include_total=include_total and not after,
        include_id=True,
        after=decode_cursor(after) if after else None,
    )
    wanted = query.fields
    if wanted is not None:
        # the cursor needs the row key and the sort columns; dropped from the answer below
        query.fields = list(dict.fromkeys([ROW_KEY, *wanted, *(name for name, _ in query.sort)]))
    result = query_table(version, query)
    records = result.records[:limit]
    next_url = None
    if len(result.records) > limit:
        last = records[-1]
        cursor = encode_cursor([last[name] for name, _ in query.sort] + [last[ROW_KEY]])
        params = request.GET.copy()
        params["after"] = cursor
        next_url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    fields = result.fields
    if wanted is not None:
        keep = [ROW_KEY, *wanted]
        fields = [f for f in fields if f["id"] in keep]
        records = [{k: r[k] for k in keep if k in r} for r in records]
    body: dict[str, Any] = {
        "dataset": resource.dataset.name,
        "resource": resource.name,
        "resource_id": str(resource.pk),
        "version": version.number,
        "fields": fields,
        "records": records,
        "next": next_url,
    }
    if query.include_total:
        body["total"] = result.total
    facet_names = split_commas(request.GET.get("facets", ""))
    if len(facet_names) > MAX_FACETS:
        raise QueryError(f"No máximo {MAX_FACETS} colunas em “facets”.")
    if facet_names:
        base = table_query(request.GET)
        body["facets"] = {name: facet_counts(version, base, name) for name in facet_names}
    return body


@json_api
def records_by_name(request: HttpRequest, name: str, resource: str) -> HttpResponse:
    dataset = access.public_dataset(request, name)
    found = (
        Resource.objects.for_municipality(current_municipality(request))
        .with_datastore()
        .select_related("dataset", "current_version")
        .filter(dataset=dataset, name=resource)
        .first()
    )
    if found is None:
        raise Http404("Recurso não encontrado.")
    return public_json(records_page(request, found))


@json_api
def records_by_id(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponse:
    found = access.public_resource(request, resource_id)
    if not found.has_datastore:
        raise Http404("Este recurso não tem dados tabulares.")
    return public_json(records_page(request, found))
