"""Downloads: each version's original file, streamed exports and CKAN's bulk dump.

Every object is reached through :mod:`paco.opendata.access` (404 for drafts,
other towns and never-published versions). Responses carry an ETag (from the
version's SHA-256 and the request), ``Access-Control-Allow-Origin: *`` and,
for a numbered version (immutable), a long public cache lifetime.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TypeVar

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.views.decorators.http import require_safe

from paco.core import csvsafe, jsoninput
from paco.core.http import allow_any_origin, json_error
from paco.opendata import access, storage
from paco.opendata.datastore import artifacts, exports, files
from paco.opendata.datastore.ckan_handlers import parse_sort
from paco.opendata.datastore.engine import QueryError, current_version, parse_bool, table_for
from paco.opendata.datastore.params import split_commas, table_query, version_number
from paco.opendata.datastore.query import TableQuery, compile_query, field_specs
from paco.opendata.models import Resource, ResourceVersion

IMMUTABLE = "public, max-age=31536000, immutable"
CURRENT = "public, max-age=300"
#: an original withheld from the public, served to staff: never stored by any cache
RESTRICTED = "private, no-store"

R = TypeVar("R", bound=HttpResponseBase)


def _cors(response: R) -> R:
    allow_any_origin(response)["Access-Control-Expose-Headers"] = (
        "Content-Disposition, ETag, Content-Range, Accept-Ranges"
    )
    return response


def error_response(message: str, status: int = 400) -> HttpResponse:
    """``{"erro": message}`` (pt-BR), readable by any site like the downloads themselves."""
    return _cors(json_error(message, status=status))


def _wants_bom(request: HttpRequest) -> bool:
    return parse_bool(request.GET.get("bom", "")) is True


def _etag(version: ResourceVersion, *parts: str) -> str:
    digest = hashlib.sha256("|".join([version.sha256, str(version.pk), *parts]).encode())
    return f'"{digest.hexdigest()[:32]}"'


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = request.headers.get("If-None-Match", "")
    return etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]


def _finish(
    response: HttpResponseBase, etag: str, *, immutable: bool, filename: str | None = None
) -> HttpResponseBase:
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE if immutable else CURRENT
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _cors(response)


def _version(
    request: HttpRequest, resource_id: uuid.UUID | str
) -> tuple[Resource, ResourceVersion, bool]:
    """The requested (``?versao=N``) or current version; True when it was numbered."""
    number = version_number(request.GET)
    if number is not None:
        numbered = access.public_version(request, resource_id, number)
        return numbered.resource, numbered, True  # reached through the resource: no query
    resource = access.public_resource(request, resource_id)
    version = current_version(resource)
    if version is None:
        raise Http404("Recurso sem versão publicada.")
    return resource, version, False


def _not_modified_response(etag: str, immutable: bool) -> HttpResponseBase:
    return _finish(HttpResponse(status=304), etag, immutable=immutable)


@require_safe
def original(request: HttpRequest, resource_id: uuid.UUID, number: int) -> HttpResponseBase:
    """A version's original file, as uploaded, with its own name.

    Public (and cached for a year) only when ``ResourceVersion.original_is_public``;
    staff of the dataset's unit get a withheld original, never cached nor shared.
    """
    version, public = access.original_for(request, resource_id, number)
    etag = f'"{version.sha256}"' if version.sha256 else _etag(version, "original")
    if public and _not_modified(request, etag):
        return _not_modified_response(etag, True)
    name = version.original_name or PurePosixPath(version.original).name
    response = FileResponse(
        default_storage.open(version.original, "rb"),
        as_attachment=True,
        filename=PurePosixPath(name).name,
        content_type=version.media_type or "application/octet-stream",
    )
    if version.size:
        response["Content-Length"] = str(version.size)
    if not public:
        response["Cache-Control"] = RESTRICTED
        response["X-Robots-Tag"] = "noindex"
        return response
    return _finish(response, etag, immutable=True)


def _is_whole_table(request: HttpRequest) -> bool:
    return not any(key not in ("versao", "bom", csvsafe.EXCEL_PARAM) for key in request.GET)


@require_safe
def export(request: HttpRequest, resource_id: uuid.UUID, fmt: str) -> HttpResponseBase:
    """The table (or the filtered subset) as csv | tsv | json | ndjson | parquet, streamed."""
    fmt_spec = exports.FORMATS.get(fmt)
    if fmt_spec is None:
        raise Http404("Formato desconhecido.")
    try:
        resource, version, numbered = _version(request, resource_id)
    except QueryError as exc:
        return error_response(exc.message)
    if not version.parquet:
        raise Http404("Este recurso não tem dados tabulares.")
    etag = _etag(version, fmt, request.GET.urlencode())
    if _not_modified(request, etag):
        return _not_modified_response(etag, numbered)
    if fmt == "csv" and csvsafe.wants_excel(request):
        fmt_spec = exports.EXCEL_CSV
    whole = _is_whole_table(request)
    stem = f"{resource.dataset.name}-{resource.name}-v{version.number}" + (
        "" if whole else "-filtrado"
    )
    if fmt_spec.excel:
        stem += "-excel"
    filename = f"{stem}.{fmt_spec.extension}"
    built = _built_file(version, fmt) if whole and not fmt_spec.excel else None
    if built is not None and not _wants_bom(request):
        response = files.serve(request, built, fmt_spec.content_type, etag)
        return _finish(response, etag, immutable=numbered, filename=filename)
    if fmt == "parquet" and whole:
        chunks: Iterator[bytes] = exports.stored_file(version.parquet)
    else:
        try:
            table = table_for(version)
            compiled = compile_query(
                table, table_query(request.GET, limit=None, include_total=False)
            )
        except QueryError as exc:
            return error_response(exc.message)
        chunks = exports.stream(compiled, fmt_spec, bom=_wants_bom(request))
    response = StreamingHttpResponse(chunks, content_type=fmt_spec.content_type)
    return _finish(response, etag, immutable=numbered, filename=filename)


def _built_file(version: ResourceVersion, fmt: str) -> Path | None:
    """The whole table as a file on disk: built at publication, or the Parquet file itself."""
    if fmt == "parquet":
        try:
            return storage.local_path(version.parquet)
        except OSError:
            return None
    if fmt in artifacts.EXPORTS:
        return artifacts.export_file(version, fmt)
    return None


DUMP_FORMATS = {
    "csv": exports.FORMATS["csv"],
    "tsv": exports.FORMATS["tsv"],
    "json": exports.FORMATS["json"],
    "xml": exports.XML_LINES,
}


@require_safe
def dump(request: HttpRequest, resource_id: uuid.UUID) -> HttpResponseBase:
    """CKAN's ``/datastore/dump/{id}?format=csv|tsv|json|xml&bom=true`` (with CKAN's ``_id``).

    Also accepts CKAN's ``q``, ``sort``, ``fields``, ``limit``, ``offset`` and
    ``filters`` (JSON) parameters. XML is CKAN's: ``<data>`` holding one
    ``<row _id="…">`` per row, an element per column, ``xsi:nil`` for a missing value.
    """
    fmt = (request.GET.get("format") or "csv").lower()
    fmt_spec = DUMP_FORMATS.get(fmt)
    if fmt_spec is None:
        return error_response(f"Formato “{fmt[:20]}” não suportado: use csv, tsv, json ou xml.")
    try:
        resource, version, numbered = _version(request, resource_id)
        query = _dump_query(request)
        table = table_for(version)
        compiled = compile_query(table, query)
    except QueryError as exc:
        return error_response(exc.message)
    etag = _etag(version, "dump", request.GET.urlencode())
    if _not_modified(request, etag):
        return _not_modified_response(etag, numbered)
    compiled = dataclasses.replace(compiled, limit=query.limit, offset=query.offset)
    if fmt == "json":
        chunks = exports.ckan_json_dump(compiled, field_specs(version, compiled.columns))
    elif fmt == "xml":
        chunks = exports.ckan_xml_dump(compiled, bom=_wants_bom(request))
    else:
        chunks = exports.stream(compiled, fmt_spec, bom=_wants_bom(request))
    response = StreamingHttpResponse(chunks, content_type=fmt_spec.content_type)
    filename = f"{resource.pk}.{fmt}"
    return _finish(response, etag, immutable=numbered, filename=filename)


def _dump_query(request: HttpRequest) -> TableQuery:
    params = request.GET
    filters = {}
    if params.get("filters"):
        try:
            filters = jsoninput.loads(params["filters"], where="em “filters”")
        except jsoninput.JSONInputError as exc:
            raise QueryError(str(exc)) from None
        if not isinstance(filters, dict):
            raise QueryError("“filters” deve ser um objeto JSON.")
    limit = offset = None
    try:
        if params.get("limit"):
            limit = int(params["limit"])
        if params.get("offset"):
            offset = int(params["offset"])
    except ValueError:
        raise QueryError("“limit” e “offset” devem ser números inteiros.") from None
    if (limit is not None and limit < 0) or (offset is not None and offset < 0):
        raise QueryError("“limit” e “offset” não podem ser negativos.")
    return TableQuery(
        filters=filters,
        q=params.get("q", ""),
        sort=parse_sort(params.get("sort", "")),
        fields=split_commas(params.get("fields", "")) or None,
        limit=limit,
        offset=offset or 0,
        include_total=False,
        include_id=True,
    )
