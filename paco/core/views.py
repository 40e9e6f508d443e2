from __future__ import annotations

import time

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: the database answers and storage accepts a write."""
    checks: dict[str, str] = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        ok = False
        checks["database"] = f"erro: {exc.__class__.__name__}"
    try:
        name = default_storage.save(f"healthz/{time.time_ns()}.txt", ContentFile(b"ok"))
        default_storage.delete(name)
        checks["storage"] = "ok"
    except Exception as exc:
        ok = False
        checks["storage"] = f"erro: {exc.__class__.__name__}"
    return JsonResponse({"status": "ok" if ok else "erro", **checks}, status=200 if ok else 503)


@require_GET
@never_cache
def toggle_contrast(request: HttpRequest) -> HttpResponse:
    """Switch the high-contrast theme; works without JavaScript (a plain GET form).

    A display preference, not a change to data: a GET form keeps public pages free
    of CSRF tokens, so they can be served from the anonymous page cache.
    """
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get("contraste") == "alto":
        response.delete_cookie("contraste")
    else:
        response.set_cookie("contraste", "alto", max_age=365 * 86400, samesite="Lax")
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that do not link one (the back office)."""
    return HttpResponsePermanentRedirect(static("paco/favicon.svg"))
