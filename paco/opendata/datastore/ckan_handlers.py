"""CKAN DataStore read handlers, by CKAN action name: ``datastore_search``, ``…_search_sql``,
``datastore_info``.

Each is ``(request, params) -> result`` and raises the CKAN errors of
:mod:`paco.opendata.ckan.errors`; the CKAN dispatcher (``paco.opendata.ckan``)
wraps the result in ``{help, success, result}``. ``params`` come from the query
string (strings; JSON for ``filters``/``q``/``fields`` accepted) or from a JSON
body (typed). Shapes follow CKAN 2.10's ``ckanext.datastore``.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest

from paco.core import csvsafe, jsoninput
from paco.opendata import storage
from paco.opendata.ckan.errors import NotAuthorized, NotFound, TryAgain, ValidationError, missing
from paco.opendata.datastore import sandbox
from paco.opendata.datastore.engine import QueryError, current_version, parse_bool, table_for
from paco.opendata.datastore.query import MAX_LIMIT, TableQuery, field_specs, query_table
from paco.opendata.models import Resource, ResourceVersion
from paco.tenancy.access import current_municipality

RECORDS_FORMATS = ("objects", "lists", "csv", "tsv")
#: size cap of one datastore_search_sql result's JSON (setting ``PACO_SQL_MAX_BYTES``)
DEFAULT_SQL_MAX_BYTES = 20_000_000


# --- parameters -----------------------------------------------------------------
def _bool(params: dict[str, Any], key: str, default: bool) -> bool:
    value = params.get(key)
    if value is None:
        return default
    flag = False if value == "" else parse_bool(value)
    if flag is None:
        raise ValidationError({key: ["Valor booleano inválido (use true ou false)."]})
    return flag


def _int(params: dict[str, Any], key: str, default: int, *, low: int, high: int) -> int:
    value = params.get(key)
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValidationError({key: ["Número inteiro inválido."]}) from None
    if isinstance(value, bool) or not low <= number <= high:
        raise ValidationError({key: [f"Deve estar entre {low} e {high}."]})
    return number


def _json(params: dict[str, Any], key: str) -> Any:
    value = params.get(key)
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return jsoninput.loads(value, where=f"em “{key}”")
        except jsoninput.JSONInputError as exc:
            raise ValidationError({key: [str(exc)]}) from None
    return value


def _names(params: dict[str, Any], key: str) -> list[str] | None:
    value = _json(params, key)
    if value in (None, "", []):
        return None
    if isinstance(value, str):
        return [part for part in _split_list(value) if part]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValidationError({key: ["Lista de nomes de colunas inválida."]})


def _split_list(text: str) -> list[str]:
    """Comma-separated names; double quotes allow commas inside a name (``"a, b"``)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            if quoted and text[i + 1 : i + 2] == '"':
                current.append('"')
                i += 2
                continue
            quoted = not quoted
        elif ch == "," and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current).strip())
    return parts


def parse_sort(value: Any) -> list[tuple[str, bool]]:
    """CKAN's ``sort``: ``"col desc, col2"`` (or a list of such strings)."""
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else _split_sort(str(value))
    out = []
    for item in items:
        text = str(item).strip()
        desc = False
        lower = text.lower()
        for suffix, is_desc in ((" desc", True), (" asc", False)):
            if lower.endswith(suffix):
                text, desc = text[: -len(suffix)].strip(), is_desc
                break
        if len(text) >= 2 and text[0] == text[-1] == '"':
            text = text[1:-1].replace('""', '"')
        if text:
            out.append((text, desc))
    return out


def _split_sort(text: str) -> list[str]:
    parts: list[str] = []
    current = ""
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


# --- the resource ---------------------------------------------------------------
def datastore_resource(request: HttpRequest, resource_id: Any) -> tuple[Resource, ResourceVersion]:
    """A published tabular resource of the request's municipality and its current version.

    Raises CKAN's NotFound otherwise.
    """
    if resource_id in (None, ""):
        raise missing("resource_id")
    try:
        pk = uuid.UUID(str(resource_id).strip())
    except ValueError:
        raise NotFound(f"Recurso “{resource_id}” não encontrado.") from None
    town = current_municipality(request)
    resource = (
        Resource.objects.for_municipality(town)
        .with_datastore()
        .select_related("current_version", "dataset")
        .filter(pk=pk)
        .first()
    )
    version = current_version(resource) if resource is not None else None
    if resource is None or version is None:
        raise NotFound(f"Recurso “{resource_id}” não encontrado.")
    return resource, version


def _query_error(exc: QueryError) -> ValidationError:
    return ValidationError({exc.field or "query": [exc.message]})


# --- datastore_search -----------------------------------------------------------
def datastore_search(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    resource, version = datastore_resource(request, params.get("resource_id") or params.get("id"))
    filters = _json(params, "filters") or {}
    if not isinstance(filters, dict):
        raise ValidationError({"filters": ["Deve ser um objeto JSON {coluna: valor}."]})
    q = _json(params, "q") or ""
    if not isinstance(q, str | dict):
        raise ValidationError({"q": ["Deve ser um texto ou um objeto {coluna: texto}."]})
    limit = _int(params, "limit", 100, low=0, high=MAX_LIMIT)
    offset = _int(params, "offset", 0, low=0, high=2**62)
    records_format = str(params.get("records_format") or "objects")
    if records_format not in RECORDS_FORMATS:
        raise ValidationError({"records_format": [f"Use um de: {', '.join(RECORDS_FORMATS)}."]})
    include_total = _bool(params, "include_total", True)
    query = TableQuery(
        filters=filters,
        q=q,
        fields=_names(params, "fields"),
        sort=parse_sort(_json(params, "sort")),
        limit=limit,
        offset=offset,
        include_total=include_total,
        distinct=_bool(params, "distinct", False),
        include_id=True,
    )
    try:
        result = query_table(version, query)
    except QueryError as exc:
        raise _query_error(exc) from None
    names = [f["id"] for f in result.fields]
    records: Any = result.records
    if records_format == "lists":
        records = [[r[n] for n in names] for r in result.records]
    elif records_format in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csvsafe.writer(buffer, delimiter="," if records_format == "csv" else "\t")
        for r in result.records:
            writer.writerow(["" if r[n] is None else r[n] for n in names])
        records = buffer.getvalue()
    out: dict[str, Any] = {
        "include_total": include_total,
        "resource_id": str(resource.pk),
        "fields": result.fields,
        "records_format": records_format,
        "records": records,
        "limit": limit,
        "offset": offset,
        "_links": _links(request, params, limit, offset),
    }
    if include_total:
        out["total"] = result.total
        out["total_was_estimated"] = False
    for key in ("filters", "q", "sort", "distinct"):
        if params.get(key) not in (None, "", {}):
            out[key] = _json(params, key)
    return out


def _links(request: HttpRequest, params: dict[str, Any], limit: int, offset: int) -> dict[str, str]:
    base = {k: v for k, v in params.items() if k != "offset" and v not in (None, "")}
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in base.items()}
    path = request.path
    start = f"{path}?{urlencode(encoded)}"
    following = f"{path}?{urlencode({**encoded, 'offset': offset + limit})}"
    return {"start": start, "next": following}


# --- datastore_info -------------------------------------------------------------
def datastore_info(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    resource, version = datastore_resource(request, params.get("id") or params.get("resource_id"))
    try:
        table = table_for(version)
    except QueryError as exc:
        raise _query_error(exc) from None
    specs = field_specs(version, list(table.columns))
    fields = [
        {**spec, "schema": {"native_type": column.duck_type}}
        for spec, column in zip(specs, table.columns, strict=True)
    ]
    return {
        "meta": {
            "id": str(resource.pk),
            "count": version.rows,
            "table_type": "BASE TABLE",
            "aliases": [],
            "version": version.number,
            "size": version.size,
        },
        "fields": fields,
        "schema": {f["id"]: f["type"] for f in specs},
    }


# --- datastore_search_sql -------------------------------------------------------
def datastore_search_sql(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    if not getattr(settings, "PACO_SQL_API", True):
        raise NotAuthorized("A consulta SQL (datastore_search_sql) está desativada neste portal.")
    sql = params.get("sql")
    if not isinstance(sql, str) or not sql.strip():
        raise missing("sql")
    town = current_municipality(request)
    published = dict(
        Resource.objects.for_municipality(town)
        .with_datastore()
        .values_list("pk", "current_version__parquet")
    )
    allowed = {str(pk): name for pk, name in published.items()}
    try:
        text, used = sandbox.check(sql, set(allowed))
        tables = {name: str(storage.local_path(allowed[name])) for name in used}
        result = sandbox.execute(
            text,
            tables,
            timeout=float(getattr(settings, "PACO_SQL_TIMEOUT_SECONDS", 10)),
            max_rows=int(getattr(settings, "PACO_SQL_MAX_ROWS", 32000)),
            max_bytes=int(getattr(settings, "PACO_SQL_MAX_BYTES", DEFAULT_SQL_MAX_BYTES)),
        )
    except sandbox.SqlBusy as exc:
        raise TryAgain(exc.message) from None
    except sandbox.SqlRefused as exc:
        raise ValidationError({"query": [exc.message], "message": exc.message}) from None
    return {
        "sql": sql,
        "fields": result.fields,
        "records": result.records,
        "records_truncated": result.truncated,
    }


Handler = Callable[[HttpRequest, dict[str, Any]], dict[str, Any]]

HANDLERS: dict[str, Handler] = {
    "datastore_search": datastore_search,
    "datastore_search_sql": datastore_search_sql,
    "datastore_info": datastore_info,
}
