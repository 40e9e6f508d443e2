"""Public pages: the request form, the public list and detail, the requester's tracking page."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from paco.core.cache import public_page
from paco.core.clientip import client_ip
from paco.datarequests import actions, ratelimit
from paco.datarequests.access import public_request, tracked_request
from paco.datarequests.forms import AppealForm, HoneypotMixin, RequestForm, ResendLinkForm
from paco.datarequests.models import DataRequest, DataRequestQuerySet, Status
from paco.datarequests.notify import request_root
from paco.plans.dates import today_local
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality

PAGE_SIZE = 30
BLOCKED = "Muitos pedidos enviados deste endereço na última hora. Tente novamente mais tarde."


def listing(
    request: HttpRequest, qs: DataRequestQuerySet, size: int, today: datetime.date, **keep: str
) -> dict[str, Any]:
    """One page of a list of requests, each with its days overdue, for ``_pager.html``."""
    page = Paginator(qs, size).get_page(request.GET.get("pagina"))
    return {
        "page": page,
        "rows": [(r, r.days_overdue(today)) for r in page.object_list],
        "keep": urlencode({k: v for k, v in keep.items() if v}),
    }


@public_page
def request_list(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    requests = DataRequest.objects.for_municipality(town)
    qs = requests.for_public_list()
    status = request.GET.get("situacao", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    today = today_local()
    context = listing(request, qs, PAGE_SIZE, today, situacao=status)
    context |= {
        "status": status,
        "status_choices": Status.choices,
        "overdue": requests.overdue(today).count(),
    }
    return render(request, "datarequests/list.html", context)


@public_page
def request_detail(request: HttpRequest, protocol: str) -> HttpResponse:
    data_request = public_request(request, protocol)
    today = today_local()
    context = {"req": data_request, "late": data_request.days_overdue(today)}
    return render(request, "datarequests/detail.html", context)


def _refused(
    request: HttpRequest, town: Municipality, form: HoneypotMixin, scope: str, template: str
) -> HttpResponse | None:
    """A bot (400) or an address over the hourly limit (429); ``None`` lets the post through."""
    if form.is_bot():
        return render(request, template, {"form": form, "refused": True}, status=400)
    if not ratelimit.hit(scope, town.pk, client_ip(request)):
        return render(request, template, {"form": form, "blocked": BLOCKED}, status=429)
    return None


@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        refused = _refused(request, town, form, "new", "datarequests/new.html")
        if refused is not None:
            return refused
        if form.is_valid():
            data = form.cleaned_data
            data_request, token = actions.submit_request(
                town,
                title=data["title"],
                description=data["description"],
                name=data["requester_name"],
                email=data["requester_email"],
                phone=data["requester_phone"],
                hide_identity=data["hide_identity"],
                root=request_root(request),
            )
            messages.success(
                request,
                f"Pedido registrado com o protocolo {data_request.protocol}. Enviamos o link "
                "desta página para o seu e-mail: guarde-o para acompanhar o pedido.",
            )
            return redirect("datarequests:track", token=token)
    return render(request, "datarequests/new.html", {"form": form})


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the address: never leak it to other sites or shared caches.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's page, reached with the secret link: everything, and the appeal form."""
    data_request = tracked_request(request, token)
    today = today_local()
    form = AppealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.file_appeal(
                    data_request, form.cleaned_data["text"], root=request_root(request)
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Recurso registrado. Você será avisado por e-mail.")
                return _private(redirect("datarequests:track", token=token))
        status = 422
    context = {
        "req": data_request,
        "late": data_request.days_overdue(today),
        "form": form if data_request.can_appeal(today) or request.method == "POST" else None,
    }
    return _private(render(request, "datarequests/track.html", context, status=status))


@require_http_methods(["GET", "POST"])
def resend_link(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    form = ResendLinkForm(request.POST or None)
    if request.method == "POST":
        refused = _refused(request, town, form, "resend", "datarequests/resend.html")
        if refused is not None:
            return refused
        if form.is_valid():
            actions.resend_tracking_link(
                town,
                protocol=form.cleaned_data["protocol"],
                email=form.cleaned_data["email"],
                root=request_root(request),
            )
            # Same answer whether or not it matched: no way to test who asked what.
            return render(request, "datarequests/resend.html", {"sent": True})
    return render(request, "datarequests/resend.html", {"form": form})
