"""``/verificar/``: anyone confirms that a receipt (later, a document) is genuine.

The order of the checks is the point:

1. the code's own check symbol (:func:`paco.receipts.codes.parse`): a typo is
   answered at once, without a query and without counting against the limit;
2. the per-address rate limit (:mod:`paco.core.ratelimit`);
3. one query, scoped to the request's municipality. A code that does not exist and
   a code of another town get the same answer: the same page, the same status,
   the same work.

Nothing here is cached (every look-up counts) nor indexed by search engines.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from paco.core import ratelimit
from paco.core.clientip import client_ip
from paco.receipts import codes, verification
from paco.receipts.forms import VerifyForm
from paco.receipts.presentation import local_moment
from paco.tenancy.access import current_municipality

#: look-ups per client address and municipality in each window
LIMIT = 30
WINDOW_SECONDS = 600
BLOCKED = (
    "Muitas verificações feitas deste endereço nos últimos minutos. "
    "Aguarde alguns minutos e tente novamente."
)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int
) -> HttpResponse:
    response = render(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the code is in the address
    return response


@never_cache
@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    """The form (a GET form: works without JavaScript and needs no session)."""
    current_municipality(request)
    if "codigo" not in request.GET:
        return _page(request, "receipts/verify.html", {"form": VerifyForm()}, 200)
    form = VerifyForm(request.GET)
    if form.is_valid():
        return redirect("receipts:verified", code=codes.formatted(form.cleaned_data["codigo"]))
    return _page(request, "receipts/verify.html", {"form": form}, 400)


@never_cache
@require_GET
def verified(request: HttpRequest, code: str) -> HttpResponse:
    town = current_municipality(request)
    form = VerifyForm({"codigo": code})
    if not form.is_valid():  # wrong length, symbol or check symbol: no query
        return _page(request, "receipts/verify.html", {"form": form}, 400)
    canonical = form.cleaned_data["codigo"]
    shown = codes.formatted(canonical)
    if code != shown:  # typed in lower case, without hyphens…: one address per code
        return redirect("receipts:verified", code=shown)
    if not ratelimit.hit(
        "receipts:verify", town.pk, client_ip(request), limit=LIMIT, window_seconds=WINDOW_SECONDS
    ):
        context = {"form": VerifyForm(initial={"codigo": shown}), "blocked": BLOCKED}
        return _page(request, "receipts/verify.html", context, 429)
    found = verification.find(town, canonical)
    if found is None:
        context = {"form": VerifyForm(initial={"codigo": shown}), "code": shown}
        return _page(request, "receipts/not_found.html", context, 404)
    context = {"found": found, "code": shown, "issued_text": local_moment(found.issued_at)}
    return _page(request, "receipts/verified.html", context, 200)
