"""Staff pages at ``/dados/gestao/pedidos/``: the list with deadlines and one request's page.

Data editors see the requests of the units they cover; the administrator sees
all. Anyone else gets a 404. Every POST goes through :mod:`paco.datarequests.actions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from paco.accounts.models import Role, User
from paco.accounts.permissions import covered_unit_ids, refuse
from paco.datarequests import actions
from paco.datarequests.access import (
    can_decide_appeal,
    can_reveal_identity,
    handled_requests,
    staff_request,
)
from paco.datarequests.forms import (
    AnswerForm,
    AppealDecisionForm,
    AssignForm,
    AssignServantForm,
    ExtendForm,
    RedactForm,
    RevealForm,
    UnredactForm,
)
from paco.datarequests.models import AWAITING_ANSWER, DataRequest, Status
from paco.datarequests.notify import request_root
from paco.datarequests.views import listing
from paco.notifications.recipients import Coverage
from paco.opendata.access import editable_datasets
from paco.opendata.models import Dataset, DatasetState
from paco.plans.dates import today_local
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Unit

PAGE_SIZE = 50
VIEWS = ("abertos", "atrasados", "todos")


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    handled = handled_requests(request.user, town)
    if handled.query.is_empty():  # no data-editor role here
        refuse(request.user, town, Role.DATA_EDITOR)
    today = today_local()
    qs = handled.select_related("unit", "assigned_to").order_by("due_date", "pk")
    view = request.GET.get("ver", "")
    if view not in VIEWS:
        view = "abertos"
    if view == "abertos":
        qs = qs.filter(status__in=[*AWAITING_ANSWER, Status.APPEALED])
    elif view == "atrasados":
        qs = qs.overdue(today)
    context = listing(request, qs, PAGE_SIZE, today, ver=view)
    context |= {"view": view, "overdue": handled.overdue(today).count()}
    return render(request, "datarequests/staff/list.html", context)


def _units(user: Any, data_request: DataRequest) -> Any:
    covered = covered_unit_ids(user, data_request.municipality, Role.DATA_EDITOR)
    units = Unit.objects.for_municipality(data_request.municipality)
    return units if covered is None else units.filter(pk__in=covered)


def _servants(data_request: DataRequest) -> Any:
    """Who may be made responsible: the data editors of the request's unit."""
    if data_request.unit_id is None:
        return User.objects.none()
    ids = Coverage(data_request.municipality, Role.DATA_EDITOR).servants(data_request.unit_id)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "username")


def _datasets(user: Any, data_request: DataRequest) -> Any:
    town = data_request.municipality
    editable = editable_datasets(user, town).values("pk")
    return Dataset.objects.for_municipality(town).filter(
        Q(state=DatasetState.PUBLISHED) | Q(pk__in=editable)
    )


def _forms(request: HttpRequest, data_request: DataRequest, posted: str) -> dict[str, Form]:
    def data(name: str) -> Any:
        return request.POST if posted == name else None

    user = request.user
    return {
        "assign": AssignForm(data("assign"), units=_units(user, data_request), prefix="assign"),
        "assign_servant": AssignServantForm(
            data("assign_servant"),
            servants=_servants(data_request),
            prefix="servant",
            initial={"servant": data_request.assigned_to_id},
        ),
        "extend": ExtendForm(data("extend"), prefix="extend"),
        "answer": AnswerForm(
            data("answer"), datasets=_datasets(user, data_request), prefix="answer"
        ),
        "decide": AppealDecisionForm(data("decide"), prefix="decide"),
        "reveal": RevealForm(data("reveal"), prefix="reveal"),
        "redact": RedactForm(data("redact"), fields=_text_choices(data_request), prefix="redact"),
        "unredact": UnredactForm(data("unredact"), prefix="unredact"),
    }


def _text_choices(data_request: DataRequest) -> list[tuple[str, str]]:
    """The published texts of this request that have something to redact."""
    return [
        (name, str(getattr(DataRequest._meta.get_field(name), "verbose_name", name)).capitalize())
        for name in DataRequest.PUBLIC_TEXT_FIELDS
        if getattr(data_request, name)
    ]


def public_texts(data_request: DataRequest) -> list[dict[str, Any]]:
    """Each published text as the public sees it, with its hidden passages (staff page)."""
    return [
        {
            "field": field,
            "label": label,
            "public": data_request.public_value(field),
            "hidden": list(enumerate(data_request.redacted_passages(field))),
        }
        for field, label in _text_choices(data_request)
    ]


def _run(
    request: HttpRequest, data_request: DataRequest, posted: str, form: Form
) -> tuple[str, dict[str, str] | None]:
    """Apply the posted form; returns the success message (and a revealed identity)."""
    user = request.user
    assert isinstance(user, User)
    data = form.cleaned_data
    root = request_root(request)
    if posted == "assign":
        actions.assign_unit(user, data_request, data["unit"], root=root)
        return f"Pedido encaminhado a {data['unit']}.", None
    if posted == "assign_servant":
        servant = data["servant"]
        actions.assign_servant(user, data_request, servant)
        if servant is None:
            return "O pedido não tem mais um servidor responsável.", None
        return f"Pedido atribuído a {servant}; o servidor foi avisado.", None
    if posted == "extend":
        actions.extend_deadline(user, data_request, data["reason"], root=root)
        return "Prazo prorrogado por 10 dias; o solicitante foi avisado.", None
    if posted == "answer":
        actions.answer_request(
            user,
            data_request,
            outcome=data["outcome"],
            text=data["text"],
            dataset=data["dataset"],
            root=root,
        )
        if data_request.status in AWAITING_ANSWER:
            return "Conjunto vinculado: o pedido será respondido quando ele for publicado.", None
        return "Resposta enviada ao solicitante e publicada.", None
    if posted == "decide":
        actions.decide_appeal(
            user, data_request, outcome=data["outcome"], decision=data["decision"], root=root
        )
        return "Decisão do recurso registrada e enviada ao solicitante.", None
    if posted == "redact":
        actions.redact_passage(user, data_request, field=data["field"], passage=data["passage"])
        return "Trecho ocultado da página pública e do conjunto de dados aberto.", None
    if posted == "unredact":
        actions.unredact_passage(user, data_request, field=data["field"], index=data["index"])
        return "O trecho voltou a ser publicado (dados pessoais seguem mascarados).", None
    identity = actions.reveal_identity(user, data_request, data["reason"])
    return "Identidade exibida; o acesso foi registrado na trilha de auditoria.", identity


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, protocol: str) -> HttpResponse:
    data_request = staff_request(request, protocol)
    posted = request.POST.get("acao", "") if request.method == "POST" else ""
    forms = _forms(request, data_request, posted)
    identity: dict[str, str] | None = None
    status = 200
    if posted:
        form = forms.get(posted)
        if form is None:
            raise Http404("Ação desconhecida.")
        if form.is_valid():
            try:
                message, identity = _run(request, data_request, posted, form)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
            else:
                if identity is None:
                    messages.success(request, message)
                    return redirect("datarequests:staff_detail", protocol=data_request.protocol)
                messages.info(request, message)
        if form.errors:
            status = 422
    today = today_local()
    awaiting = data_request.status in AWAITING_ANSWER
    context = {
        "req": data_request,
        "late": data_request.days_overdue(today),
        "forms": forms,
        "identity": identity,
        "show_identity": not data_request.hide_identity,
        "can_reveal": data_request.hide_identity
        and can_reveal_identity(request.user, data_request.municipality),
        "can_work": awaiting,
        "can_assign_servant": data_request.unit_id is not None
        and data_request.status in (*AWAITING_ANSWER, Status.APPEALED),
        "can_extend": awaiting and data_request.extended_at is None,
        "public_texts": public_texts(data_request),
        "can_decide": data_request.status == Status.APPEALED
        and can_decide_appeal(request.user, data_request),
    }
    return render(request, "datarequests/staff/detail.html", context, status=status)
