"""The upload API: ``POST /api/v1/datasets/{name}/resources/{resource}/versions``.

Authentication is only ``Authorization: Token <secret>`` (``paco.accounts.tokens``);
session cookies are ignored, so the views are ``csrf_exempt``. Answers are JSON
in pt-BR: 401 without a valid token, 403 when the token's user may not edit
the dataset, 404 when it does not exist, 413 over ``PACO_MAX_UPLOAD_MB``, 202
with the version's status URL when the upload is queued.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from paco.accounts import tokens
from paco.accounts.models import User
from paco.opendata import actions
from paco.opendata.access import can_edit
from paco.opendata.models import UNFINISHED, Dataset, Resource, ResourceVersion
from paco.opendata.pipeline import uploads
from paco.opendata.pipeline.actions import held_for_review, submit_version
from paco.tenancy.access import current_municipality


def _error(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"success": False, "error": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Token realm="paco"'
    return response


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


#: problems listed in a status body (the version's report keeps up to 1000)
LISTED = 100


def version_errors(version: ResourceVersion) -> list[str]:
    """The report's problems, with the processing error (if any) first."""
    errors = list((version.report or {}).get("errors") or [])
    if version.error and version.error not in errors:
        errors.insert(0, version.error)
    return errors


def personal_columns(version: ResourceVersion) -> list[dict[str, Any]]:
    """The LGPD screening's findings, without the sample values."""
    return [
        {"column": p.get("column"), "kind": p.get("kind"), "reason": p.get("reason")}
        for p in version.personal_data or []
    ]


def version_status(version: ResourceVersion) -> dict[str, Any]:
    """The status body shared by the API and the staff pages' progress polling."""
    report = version.report or {}
    resource = version.resource
    return {
        "dataset": resource.dataset.name,
        "resource": resource.name,
        "resource_id": str(resource.pk),
        "version": version.number,
        "status": str(version.status),
        "status_label": version.get_status_display(),
        "finished": version.status not in UNFINISHED,
        "current": version.is_current,
        "progress": version.progress,
        "progress_message": version.progress_message,
        "rows": version.rows,
        "error_count": int(report.get("error_count") or (1 if version.error else 0)),
        "errors": version_errors(version)[:LISTED],
        "warning_count": int(report.get("warning_count") or 0),
        "warnings": list(report.get("warnings") or [])[:LISTED],
        "personal_data": personal_columns(version),
        # why it waits for a person instead of publishing itself ("" when it need not)
        "review_required": held_for_review(version),
        "size": version.size,
        "sha256": version.sha256,
    }


def _status_url(request: HttpRequest, version: ResourceVersion) -> str:
    resource = version.resource
    path = reverse(
        "pipeline:api-version", args=[resource.dataset.name, resource.name, version.number]
    )
    return request.build_absolute_uri(path)


def _token_user(request: HttpRequest) -> User | None:
    return tokens.authenticate(request, current_municipality(request))


def _dataset(request: HttpRequest, user: User, name: str) -> Dataset | JsonResponse:
    town = current_municipality(request)
    dataset = (
        Dataset.objects.for_municipality(town).select_related("unit").filter(name=name).first()
    )
    if dataset is None:
        return _error(404, "Conjunto de dados não encontrado.")
    if not can_edit(user, dataset):
        return _error(403, "Este token não tem permissão para alterar este conjunto de dados.")
    return dataset


@csrf_exempt
@require_POST
def upload(request: HttpRequest, name: str, resource: str) -> JsonResponse:
    user = _token_user(request)  # never request.user: a browser session does not count
    if user is None:
        return _error(401, "Envie um token válido no cabeçalho “Authorization: Token …”.")
    found = _dataset(request, user, name)
    if isinstance(found, JsonResponse):
        return found
    if uploads.declared_too_big(request):
        return _error(413, uploads.too_big_message())
    handler = uploads.prepare(request)
    upload_file = request.FILES.get("file")
    if handler.exceeded:
        return _error(413, uploads.too_big_message())
    if upload_file is None:
        return _error(400, "Envie o arquivo no campo “file” (multipart/form-data).")
    target = found.resources.filter(name=resource).first()
    try:
        if target is None:
            target = actions.create_resource(
                user, found, title=request.POST.get("title") or resource, name=resource
            )
        publish = request.POST.get("publish", "1").lower() not in ("0", "false", "nao", "não")
        version = submit_version(
            user,
            target,
            upload_file,
            upload_file.name or "arquivo",
            sheet=request.POST.get("sheet", ""),
            auto_publish=publish,
            accept_errors=True,
        )
    except PermissionDenied:
        return _error(403, "Este token não tem permissão para alterar este conjunto de dados.")
    except ValidationError as exc:
        return _error(400, _messages(exc))
    finally:
        upload_file.close()
    version = ResourceVersion.objects.select_related("resource__dataset").get(pk=version.pk)
    status_url = _status_url(request, version)
    body = {"success": True, "status_url": status_url, **version_status(version)}
    response = JsonResponse(body, status=202)
    response["Location"] = status_url
    return response


@csrf_exempt
@require_GET
def version_detail(request: HttpRequest, name: str, resource: str, number: int) -> JsonResponse:
    user = _token_user(request)
    if user is None:
        return _error(401, "Envie um token válido no cabeçalho “Authorization: Token …”.")
    found = _dataset(request, user, name)
    if isinstance(found, JsonResponse):
        return found
    target: Resource | None = found.resources.filter(name=resource).first()
    version = (
        target.versions.select_related("resource__dataset").filter(number=number).first()
        if target is not None
        else None
    )
    if version is None:
        return _error(404, "Versão não encontrada.")
    body = {"success": True, "status_url": _status_url(request, version)}
    return JsonResponse({**body, **version_status(version)})
