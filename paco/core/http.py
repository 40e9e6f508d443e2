"""Responses of the public APIs: JSON any site may read, and JSON errors under ``/api/v1/``.

The open APIs (CKAN, the native data API, downloads, DCAT) answer
``Access-Control-Allow-Origin: *``: they are read-only and never use the
session, so any web page may call them. :func:`public_json` is the one way to
build such a JSON answer; :func:`allow_any_origin` marks any other response.

:func:`page_not_found`, :func:`permission_denied` and :func:`server_error` are the
project's 404/403/500 handlers: JSON (``{"erro": …}``) for the native API's paths,
HTML pages everywhere else. The 403 page says why (the ``PermissionDenied``
message, e.g. which role is missing) and, for the town's own staff, sits in the
staff shell (``workspace/base.html``).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseForbidden,
    JsonResponse,
)
from django.template import loader
from django.urls import Resolver404
from django.views import defaults

R = TypeVar("R", bound=HttpResponseBase)

#: the paths whose errors are JSON (the native API; CKAN's dispatcher answers its own)
JSON_API_PREFIX = "/api/v1/"


def allow_any_origin(response: R) -> R:
    """``response`` with ``Access-Control-Allow-Origin: *`` (public, read-only data)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def public_json(
    data: Any,
    status: int = 200,
    *,
    content_type: str = "application/json",
    indent: int | None = None,
) -> JsonResponse:
    """``data`` as JSON any site may read: UTF-8 with accents kept, CORS open."""
    dumps_params: dict[str, Any] = {"ensure_ascii": False}
    if indent is not None:
        dumps_params["indent"] = indent
    response = JsonResponse(
        data, safe=False, status=status, content_type=content_type, json_dumps_params=dumps_params
    )
    return allow_any_origin(response)


def json_error(message: str, status: int = 400, **extra: Any) -> JsonResponse:
    """The native API's error body: ``{"erro": message, …extra}`` (pt-BR message)."""
    return public_json({"erro": message, **extra}, status=status)


def is_json_api(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_API_PREFIX)


def not_found_message(exception: Exception | None) -> str:
    """The pt-BR message of a view's ``Http404("…")``; a generic one for unknown URLs."""
    if isinstance(exception, Http404) and not isinstance(exception, Resolver404):
        message = exception.args[0] if exception.args else ""
        if isinstance(message, str) and message:
            return message
    return "Endereço não encontrado na API."


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: a JSON 404 under ``/api/v1/``, the HTML page elsewhere."""
    if is_json_api(request):
        return json_error(not_found_message(exception), status=404)
    return defaults.page_not_found(request, exception)


#: the reason shown when a ``PermissionDenied`` carries no message
DEFAULT_DENIAL = "Você não tem permissão para usar esta página."


def denial_reason(exception: Exception | None) -> str:
    """The pt-BR message of a ``PermissionDenied("…")``, or a generic one."""
    if isinstance(exception, PermissionDenied) and exception.args:
        message = exception.args[0]
        if isinstance(message, str) and message:
            return message
    return DEFAULT_DENIAL


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler403``: the reason, in the staff shell for the town's staff."""
    reason = denial_reason(exception)
    if is_json_api(request):
        return json_error(reason, status=403)
    staff = False
    if getattr(request, "municipality", None) is not None:
        from paco.workspace.reach import reach_for

        staff = reach_for(request).is_staff
    template = loader.get_template("403.html")
    body = template.render(
        {"reason": reason, "shell": "workspace/base.html" if staff else "base.html"}, request
    )
    return HttpResponseForbidden(body)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a JSON 500 under ``/api/v1/``, the HTML page elsewhere."""
    if is_json_api(request):
        return json_error("Erro interno do servidor; tente novamente mais tarde.", status=500)
    return defaults.server_error(request)
