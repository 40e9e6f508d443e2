"""The CKAN Action API dispatcher: ``/api/3/action/<name>`` and ``/api/action/<name>``.

Like CKAN, every action takes a GET with query parameters or a POST whose body
is a JSON object (or a form), and answers ``{"help", "success", "result"}`` or
``{"help", "success": false, "error": {"__type", "message"…}}`` with CKAN's
status codes (see :mod:`.errors`).

CSRF: the views are ``csrf_exempt`` because they never use the session. The
request's user is replaced by an anonymous one before any action runs, so a
browser's session cookie grants nothing here and a cross-site POST can do no
more than an anonymous GET; the API is read-only and public
(``Access-Control-Allow-Origin: *``).

Anonymous successful GETs are marked cacheable by the public-page cache (see
:mod:`paco.core.cache`), which any committed catalogue change invalidates.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from paco.core import jsoninput
from paco.core.http import allow_any_origin, public_json
from paco.opendata.ckan import errors
from paco.opendata.ckan.handlers import HANDLERS, status

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/json;charset=utf-8"
#: larger answers (big datastore pages) are not kept in the page cache
MAX_CACHED_BYTES = 2_000_000


def _json(data: Any, status_code: int = 200) -> HttpResponse:
    return public_json(data, status_code, content_type=CONTENT_TYPE)


def _preflight() -> HttpResponse:
    response = allow_any_origin(HttpResponse(status=204))
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type, Authorization, X-CKAN-API-Key"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _mixed(items: list[tuple[str, list[str]]]) -> dict[str, Any]:
    """CKAN's rule: one value → a string, several → a list."""
    return {key: values[0] if len(values) == 1 else values for key, values in items}


def request_params(request: HttpRequest) -> dict[str, Any]:
    """The action's data dict, read as CKAN reads it (raises :class:`errors.BadRequest`)."""
    if request.method == "GET":
        return _mixed(list(request.GET.lists()))
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if request.POST:
            values = list(request.POST.values())
            keys = list(request.POST.keys())
            if len(values) == 1 and values[0] in ("1", ""):
                return _json_object(keys[0])  # a JSON body sent as a form key (old clients)
            return {**_mixed(list(request.GET.lists())), **_mixed(list(request.POST.lists()))}
        return _mixed(list(request.GET.lists()))
    body = request.body
    data = _json_object(body) if body.strip() else {}
    return {**_mixed(list(request.GET.lists())), **data}


def _json_object(raw: str | bytes) -> dict[str, Any]:
    """The body as a JSON object, through :mod:`paco.core.jsoninput` (size and depth caps)."""
    try:
        return jsoninput.loads_object(raw)
    except jsoninput.JSONInputError as exc:
        raise errors.BadRequest(f"JSON Error: {exc}") from None


def _help_url(request: HttpRequest, name: str) -> str:
    path = reverse("ckan:action", args=["help_show"])
    return request.build_absolute_uri(f"{path}?{urlencode({'name': name})}")


def _run(request: HttpRequest, name: str, params: dict[str, Any]) -> tuple[Any, int]:
    """(envelope member, status): ``("result", value)`` or the error dict."""
    try:
        return HANDLERS[name](request, params), 200
    except errors.CkanError as exc:
        return exc, exc.status
    except Http404 as exc:
        return errors.NotFound(str(exc) or ""), 404
    except PermissionDenied as exc:
        return errors.NotAuthorized(str(exc) or ""), 403
    except DjangoValidationError as exc:
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"message": exc.messages}
        return errors.ValidationError(detail), 409


@csrf_exempt
def action(request: HttpRequest, name: str) -> HttpResponse:
    if request.method == "OPTIONS":
        return _preflight()
    if request.method not in ("GET", "POST"):
        response = _json("Bad request - use GET ou POST", 405)
        response["Allow"] = "GET, POST, OPTIONS"
        return response
    if name not in HANDLERS:
        unknown = errors.UnknownAction(name, list(HANDLERS))
        answer = {"help": _help_url(request, name), "success": False}
        return _json({**answer, "error": unknown.error_dict()}, unknown.status)
    # The API takes no session authentication: whatever cookie came along, act anonymously.
    request.user = AnonymousUser()
    try:
        params = request_params(request)
    except errors.BadRequest as exc:
        return _json(exc.body(), 400)
    params.pop("callback", None)  # JSONP is not offered
    envelope: dict[str, Any] = {"help": _help_url(request, name)}
    try:
        outcome, status_code = _run(request, name, params)
    except Exception:
        logger.exception("CKAN action %s failed", name)
        envelope["success"] = False
        envelope["error"] = {"__type": "Internal Server Error", "message": "Erro interno"}
        return _json(envelope, 500)
    if isinstance(outcome, errors.CkanError):
        envelope["success"] = False
        envelope["error"] = outcome.error_dict()
        return _json(envelope, status_code)
    envelope["success"] = True
    envelope["result"] = outcome
    response = _json(envelope)
    if request.method == "GET" and len(response.content) <= MAX_CACHED_BYTES:
        response.paco_public = True  # type: ignore[attr-defined]
    return response


def api_root(request: HttpRequest, ver: int = 3) -> HttpResponse:
    """``/api/3``: the API version, as CKAN answers it."""
    return _json({"version": ver})


def util_status(request: HttpRequest) -> HttpResponse:
    """``/api/util/status``: the same facts as ``status_show``, without the envelope."""
    return _json(status(request))
