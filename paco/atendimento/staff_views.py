"""The clerk's side in the workspace: ``/gestao/atendimento/`` (the inbox of the units
the servant handles), a case's page with its transitions, and recording a walk-in,
phone or letter request. Every POST goes through :mod:`paco.atendimento.actions`.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from paco.accounts.models import Role, User
from paco.accounts.permissions import refuse
from paco.atendimento import actions
from paco.atendimento.access import (
    handled_cases,
    requester_for,
    staff_case,
    works_atendimento,
)
from paco.atendimento.actions import Requester, open_case
from paco.atendimento.forms import (
    AskForm,
    AssignForm,
    ConcludeForm,
    DecideForm,
    ExtendForm,
    ForwardForm,
    InboxFilterForm,
    NoteForm,
    ReasonForm,
    TransferForm,
    WalkInForm,
)
from paco.atendimento.models import OPEN_STATUSES, Case, IdentityMode, Kind, Status
from paco.atendimento.privacy import log_view
from paco.atendimento.views import _errors_to_form, _serve, case_context
from paco.notifications.recipients import Coverage
from paco.plans.dates import today_local
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Unit
from paco.workspace.mywork import SOON_DAYS, deadline_text
from paco.workspace.reach import Reach, reach_for

PAGE_SIZE = 50


def _reach_or_refuse(request: HttpRequest) -> Reach:
    reach = reach_for(request)
    if not works_atendimento(reach):
        refuse(request.user, reach.town, Role.ATTENDANT)
    return reach


def urgency(case: Case, today: datetime.date) -> tuple[str, str]:
    """The CSS class and the text of the time left (the text says it; colour only helps)."""
    if case.status not in OPEN_STATUSES or case.due_on is None:
        return "", "sem prazo" if case.status in OPEN_STATUSES else "—"
    left = (case.due_on - today).days
    css = "atrasado" if left < 0 else "breve" if left <= SOON_DAYS else "no-prazo"
    return css, deadline_text(left)


@login_required
@never_cache
def inbox(request: HttpRequest) -> HttpResponse:
    reach = _reach_or_refuse(request)
    town = reach.town
    today = today_local()
    covered = reach.units(Role.ATTENDANT)
    units = Unit.objects.for_municipality(town).order_by("name")
    if covered is not None:
        units = units.filter(pk__in=covered)
    form = InboxFilterForm(request.GET or None, units=units)
    base = handled_cases(reach)
    qs = base
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"]
        if status == "todos":
            pass
        elif status:
            qs = qs.filter(status=status)
        else:
            qs = qs.filter(status__in=OPEN_STATUSES)
        if data["kind"]:
            qs = qs.filter(kind=data["kind"])
        if data["unit"] is not None:
            qs = qs.filter(unit=data["unit"])
        if data["mine"]:
            qs = qs.filter(assigned_to=request.user)
        if data["late"]:
            qs = qs.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        query = data["q"].strip()
        if query:
            digits = "".join(ch for ch in query if ch.isdigit())
            condition = Q(subject__icontains=query)
            if len(digits) >= 4:
                condition |= Q(number__contains=query) | Q(number__startswith=digits[:5])
            qs = qs.filter(condition)
    else:
        qs = qs.filter(status__in=OPEN_STATUSES)
    qs = qs.select_related("unit", "assigned_to", "service").order_by(
        "due_on", "submitted_at", "pk"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    counts = base.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        late=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=today)),
        soon=Count(
            "pk",
            filter=Q(
                status__in=OPEN_STATUSES,
                due_on__gte=today,
                due_on__lte=today + datetime.timedelta(days=SOON_DAYS),
            ),
        ),
        waiting=Count("pk", filter=Q(status=Status.WAITING_CITIZEN)),
        mine=Count("pk", filter=Q(status__in=OPEN_STATUSES, assigned_to=request.user)),
    )
    keep = urlencode({k: v for k, v in request.GET.items() if k != "pagina" and v})
    rows = [(case, *urgency(case, today)) for case in page.object_list]
    return render(
        request,
        "atendimento/staff/inbox.html",
        {"form": form, "page": page, "rows": rows, "counts": counts, "keep": keep},
    )


def _servants(case: Case) -> Any:
    if case.unit_id is None:
        return User.objects.none()
    ids = Coverage(case.municipality, Role.ATTENDANT).servants(case.unit_id)
    if case.kind == Kind.OMBUDSMAN:
        ids |= Coverage(case.municipality, Role.OMBUDSMAN).servants(case.unit_id)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "username")


STAFF_FORMS = (
    "assign",
    "transfer",
    "note",
    "ask",
    "extend",
    "conclude",
    "archive",
    "archive_unanswered",
    "forward",
    "decide",
)


def _forms(request: HttpRequest, case: Case, posted: str) -> dict[str, Form]:
    def args(name: str) -> dict[str, Any]:
        if posted == name:
            return {"data": request.POST, "files": request.FILES}
        return {}

    units = (
        Unit.objects.for_municipality(case.municipality).exclude(pk=case.unit_id).order_by("name")
    )
    return {
        "assign": AssignForm(
            **args("assign"),
            servants=_servants(case),
            prefix="assign",
            initial={"servant": case.assigned_to_id},
        ),
        "transfer": TransferForm(**args("transfer"), units=units, prefix="transfer"),
        "note": NoteForm(**args("note"), prefix="note"),
        "ask": AskForm(**args("ask"), prefix="ask"),
        "extend": ExtendForm(**args("extend"), prefix="extend"),
        "conclude": ConcludeForm(**args("conclude"), prefix="conclude"),
        "archive": ReasonForm(**args("archive"), prefix="archive"),
        "archive_unanswered": Form(**args("archive_unanswered"), prefix="archive_unanswered"),
        "forward": ForwardForm(**args("forward"), prefix="forward"),
        "decide": DecideForm(**args("decide"), prefix="decide"),
    }


def _run(user: User, case: Case, posted: str, form: Form) -> str:
    data = form.cleaned_data
    if posted == "assign":
        actions.assign(user, case, data["servant"])
        return "Responsável atualizado."
    if posted == "transfer":
        actions.transfer(user, case, data["unit"], data["reason"])
        return f"Encaminhado a {data['unit']}."
    if posted == "note":
        actions.add_note(user, case, data["text"], data["documents"])
        return "Nota interna registrada."
    if posted == "ask":
        actions.ask_information(user, case, data["question"])
        return "Pedido de informações enviado ao cidadão."
    if posted == "extend":
        actions.extend(user, case, data["reason"])
        return "Prazo prorrogado; o cidadão foi avisado."
    if posted == "conclude":
        actions.conclude(user, case, data["outcome"], data["text"], data["documents"])
        return "Resposta enviada ao cidadão."
    if posted == "archive":
        actions.archive(user, case, data["reason"])
        return "Atendimento arquivado."
    if posted == "archive_unanswered":
        actions.archive_unanswered(user, case)
        return "Atendimento arquivado por falta de resposta do cidadão."
    if posted == "forward":
        actions.forward_to_body(user, case, data["body"], data["text"])
        return "Pedido encaminhado; o cidadão foi avisado."
    actions.decide_appeal(user, case, upheld=data["upheld"], decision=data["decision"])
    return "Decisão registrada e enviada ao cidadão."


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    case = staff_case(request, number)
    reach = reach_for(request)
    user = request.user
    assert isinstance(user, User)
    posted = request.POST.get("acao", "") if request.method == "POST" else ""
    if posted and posted not in STAFF_FORMS:
        raise Http404("Ação desconhecida.")
    forms = _forms(request, case, posted)
    status = 200
    if posted:
        form = forms[posted]
        if form.is_valid():
            try:
                message = _run(user, case, posted, form)
            except (ValidationError, PermissionDenied) as exc:
                _errors_to_form(
                    form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
                )
            else:
                messages.success(request, message)
                return redirect("atendimento:staff_case", number=case.slug)
        status = 422
    identity = requester_for(reach, case)
    if identity.shown and (identity.name or identity.email or identity.document):
        log_view(municipality=case.municipality, viewer=user, case=case, context="página")
    context = case_context(case)
    is_open = case.status in (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_CITIZEN)
    pause = context["pause"]
    context |= {
        "forms": forms,
        "identity": identity,
        "all_events": list(
            case.events.select_related("actor", "unit").prefetch_related("attachments")
        ),
        "urgency": urgency(case, today_local()),
        "is_open": is_open,
        "can_extend": is_open
        and case.extended_at is None
        and bool((p := actions.policy_of(case)) and p.extension_days),
        "can_forward": is_open and case.kind == Kind.INFORMATION,
        "can_archive_unanswered": pause is not None and pause.citizen_due_on < today_local(),
        "can_decide": case.appeals.filter(decided_at__isnull=True).exists()
        and actions.can_decide_appeal(user, case),
        "rating": getattr(case, "rating", None),
    }
    return render(request, "atendimento/staff/case.html", context, status=status)


@login_required
@never_cache
def staff_attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    case = staff_case(request, number)
    found = case.attachments.filter(pk=pk).first()
    if found is None:
        raise Http404("Arquivo não encontrado.")
    return _serve(found)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def walk_in(request: HttpRequest) -> HttpResponse:
    """Record a request made in person, by phone or by letter (Lei 13.460 art. 10 §4)."""
    reach = _reach_or_refuse(request)
    town = current_municipality(request)
    covered = reach.units(Role.ATTENDANT)
    units = Unit.objects.for_municipality(town).order_by("name")
    if covered is not None:
        units = units.filter(pk__in=covered)
    form = WalkInForm(request.POST or None, request.FILES or None, units=units)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            kind = data["kind_choice"]
            mode = data.get("identity_mode") or IdentityMode.IDENTIFIED
            if kind != Kind.OMBUDSMAN:
                mode = IdentityMode.IDENTIFIED
            user = request.user
            assert isinstance(user, User)
            try:
                opened = open_case(
                    town,
                    kind=kind,
                    subject=data["subject"],
                    description=data["description"],
                    requester=Requester(
                        name=data["name"],
                        document=data["document"],
                        email=data["email"],
                        phone=data["phone"],
                    ),
                    identity_mode=mode,
                    ombudsman_type=data.get("ombudsman_type", "") if kind == Kind.OMBUDSMAN else "",
                    unit=data["unit"],
                    channel=data["channel"],
                    actor=user,
                    files=data["documents"],
                )
            except (ValidationError, PermissionDenied) as exc:
                _errors_to_form(
                    form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
                )
            else:
                return render(
                    request,
                    "atendimento/receipt.html",
                    {
                        "case": opened.case,
                        "code": opened.access_code,
                        "deadline": actions.deadline_of(opened.case),
                        "staff": True,
                    },
                    status=201,
                )
    return render(request, "atendimento/staff/walk_in.html", {"form": form}, status=status)
