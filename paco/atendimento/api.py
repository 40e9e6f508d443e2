"""The Atendimento JSON API under ``/api/v1/atendimento/`` (described in ``/api/v1/openapi.json``).

Who calls: a citizen with their session (unsafe methods need the CSRF token, as
forms do) or anyone with ``Authorization: Token …`` (then CSRF does not apply:
no cookie is trusted). The same access rules as the pages
(:mod:`paco.atendimento.access`): another citizen's case is a 404, a servant
reaches only their units' cases, and an identity-preserved requester is shown
only to the ouvidoria. Every write is a function of :mod:`paco.atendimento.actions`.
Errors are JSON in pt-BR: ``{"erro": "...", "campo": "..." | null}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt

from paco.accounts import tokens
from paco.accounts.models import User
from paco.atendimento import actions
from paco.atendimento.access import (
    RequesterProof,
    _by_number,
    handled_cases,
    handles,
    requester_for,
)
from paco.atendimento.actions import Requester, open_case
from paco.atendimento.models import OPEN_STATUSES, Case, IdentityMode, Kind
from paco.atendimento.privacy import log_view
from paco.catalog.models import Service
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Unit
from paco.workspace.reach import Reach

LIST_LIMIT = 100


def _error(status: int, message: str, field: str | None = None) -> JsonResponse:
    return JsonResponse({"erro": message, "campo": field}, status=status)


def _user(request: HttpRequest) -> tuple[User | None, HttpResponse | None]:
    """The caller: a token's user (no CSRF), or the session's (CSRF on unsafe methods)."""
    if tokens.secret_from(request) is not None:
        user = tokens.authenticate(request, current_municipality(request))
        if user is None:
            return None, _error(401, "Token inválido ou revogado.")
        return user, None
    user = request.user if isinstance(request.user, User) else None
    if user is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
        refused = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
            request, lambda r: HttpResponse(), (), {}
        )
        if refused is not None:
            return None, _error(403, "Falta o token CSRF da sessão (ou use um token de API).")
    if user is None:
        return None, _error(401, "Entre na sua conta ou envie “Authorization: Token …”.")
    return user, None


def _body(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise ValidationError("O corpo não é um JSON válido.") from exc
        if not isinstance(data, dict):
            raise ValidationError("O corpo deve ser um objeto JSON.")
        return data
    return {key: request.POST.get(key) for key in request.POST}


def _invalid(exc: ValidationError) -> JsonResponse:
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        return _error(400, " ".join(errors), None if field == "__all__" else field)
    return _error(400, " ".join(exc.messages))


def api_view(methods: tuple[str, ...]) -> Callable[[Any], Any]:
    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # enforced above for sessions; tokens carry no cookie
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return _error(405, "Método não permitido.")
            user, refused = _user(request)
            if refused is not None:
                return refused
            assert user is not None
            try:
                return view(request, user, *args, **kwargs)
            except ValidationError as exc:
                return _invalid(exc)
            except PermissionDenied as exc:
                return _error(403, str(exc) or "Sem permissão.")

        inner.__name__ = view.__name__
        inner.__doc__ = view.__doc__
        return inner

    return wrap


def case_json(case: Case, *, events: bool = False, staff: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": case.number,
        "kind": case.kind,
        "kind_label": case.get_kind_display(),
        "subject": case.subject,
        "status": case.status,
        "status_label": case.get_status_display(),
        "unit": case.unit.name if case.unit else None,
        "submitted_at": case.submitted_at.isoformat(),
        "received_on": case.received_on.isoformat(),
        "due_on": case.due_on.isoformat() if case.due_on else None,
        "extended": case.extended_at is not None,
        "outcome": case.outcome or None,
        "conclusion": case.conclusion or None,
    }
    if events:
        qs = case.events.all() if staff else case.events.filter(public=True)
        data["description"] = case.description
        data["timeline"] = [
            {
                "at": e.at.isoformat(),
                "code": e.code,
                "label": e.get_label(),
                "text": e.text,
                "public": e.public,
                "unit": e.unit.name if e.unit else None,
            }
            for e in qs.select_related("unit")
        ]
        files = case.attachments.all() if staff else case.attachments.filter(public=True)
        data["attachments"] = [
            {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size}
            for a in files
        ]
    return data


@api_view(("GET", "POST"))
def cases(request: HttpRequest, user: User) -> HttpResponse:
    """GET: the caller's cases; POST: open a case with the caller's account."""
    town = current_municipality(request)
    if request.method == "GET":
        qs = (
            Case.objects.for_municipality(town)
            .filter(citizen=user)
            .select_related("unit")
            .order_by("-submitted_at", "-pk")[:LIST_LIMIT]
        )
        return JsonResponse({"results": [case_json(c) for c in qs]})
    data = _body(request)
    kind = str(data.get("kind") or "")
    if kind not in (Kind.SERVICE, Kind.OMBUDSMAN, Kind.INFORMATION):
        return _error(400, "Informe o tipo: servico, ouvidoria ou esic.", "kind")
    service = None
    if kind == Kind.SERVICE:
        service = (
            Service.objects.for_municipality(town)
            .published()
            .filter(slug=str(data.get("service") or ""))
            .first()
        )
        if service is None:
            return _error(400, "Serviço não encontrado.", "service")
    mode = str(data.get("identity_mode") or IdentityMode.IDENTIFIED)
    if mode == IdentityMode.ANONYMOUS:
        return _error(400, "Manifestações anônimas são feitas pelo formulário, sem conta.")
    opened = open_case(
        town,
        kind=kind,
        subject=str(data.get("subject") or "")[:200],
        description=str(data.get("description") or ""),
        requester=Requester(
            name=str(data.get("name") or user.get_full_name() or user.username),
            document=str(data.get("document") or ""),
            email=str(data.get("email") or user.email),
            phone=str(data.get("phone") or ""),
            citizen=user,
        ),
        identity_mode=mode,
        ombudsman_type=str(data.get("ombudsman_type") or ""),
        service=service,
        files=request.FILES.getlist("documents"),
    )
    body = case_json(opened.case, events=True)
    body["access_code"] = opened.access_code
    return JsonResponse(body, status=201)


def _not_found() -> JsonResponse:
    return _error(404, "Atendimento não encontrado.")


@api_view(("GET",))
def case_detail(request: HttpRequest, user: User, number: str) -> HttpResponse:
    town = current_municipality(request)
    case = _by_number(Case.objects.for_municipality(town), number)
    if case is None or case.citizen_id != user.pk:
        return _not_found()
    return JsonResponse(case_json(case, events=True))


@api_view(("POST",))
def case_documents(request: HttpRequest, user: User, number: str) -> HttpResponse:
    town = current_municipality(request)
    case = _by_number(Case.objects.for_municipality(town), number)
    if case is None or case.citizen_id != user.pk:
        return _not_found()
    actions.add_document(
        RequesterProof(case.pk, user),
        case,
        request.FILES.getlist("documents"),
        request.POST.get("text", ""),
    )
    return JsonResponse(case_json(case, events=True), status=201)


@api_view(("POST",))
def case_rating(request: HttpRequest, user: User, number: str) -> HttpResponse:
    town = current_municipality(request)
    case = _by_number(Case.objects.for_municipality(town), number)
    if case is None or case.citizen_id != user.pk:
        return _not_found()
    data = _body(request)
    try:
        score = int(data.get("score") or 0)
    except (TypeError, ValueError):
        return _error(400, "A nota vai de 1 a 5.", "score")
    rating = actions.rate(
        RequesterProof(case.pk, user),
        case,
        score=score,
        resolved=str(data.get("resolved") or ""),
        dimension=str(data.get("dimension") or ""),
        comment=str(data.get("comment") or ""),
    )
    return JsonResponse({"score": rating.score, "resolved": rating.resolved}, status=201)


# -- staff -----------------------------------------------------------------------------


@api_view(("GET",))
def inbox(request: HttpRequest, user: User) -> HttpResponse:
    """The open cases of the units the caller handles, by deadline."""
    reach = Reach(user, current_municipality(request))
    qs = (
        handled_cases(reach)
        .filter(status__in=OPEN_STATUSES)
        .select_related("unit")
        .order_by("due_on", "submitted_at", "pk")[:LIST_LIMIT]
    )
    return JsonResponse({"results": [case_json(c) for c in qs]})


def _staff_case(request: HttpRequest, user: User, number: str) -> tuple[Case, Reach] | None:
    reach = Reach(user, current_municipality(request))
    case = _by_number(Case.objects.for_municipality(reach.town), number)
    if case is None or not handles(reach, case):
        return None
    return case, reach


@api_view(("GET",))
def staff_case(request: HttpRequest, user: User, number: str) -> HttpResponse:
    found = _staff_case(request, user, number)
    if found is None:
        return _not_found()
    case, reach = found
    body = case_json(case, events=True, staff=True)
    identity = requester_for(reach, case)
    body["requester"] = (
        {"name": identity.name, "document": identity.document, "email": identity.email}
        if identity.shown
        else {"hidden": identity.hidden_reason}
    )
    if identity.shown and identity.name:
        log_view(municipality=reach.town, viewer=user, case=case, context="API")
    return JsonResponse(body)


def _transition(user: User, case: Case, action: str, data: dict[str, Any]) -> None:
    text = str(data.get("text") or "")
    if action == "assign":
        servant_id = data.get("servant")
        servant = get_object_or_404(User, pk=servant_id) if servant_id else None
        actions.assign(user, case, servant)
    elif action == "transfer":
        unit = get_object_or_404(
            Unit.objects.for_municipality(case.municipality), pk=data.get("unit") or 0
        )
        actions.transfer(user, case, unit, text)
    elif action == "note":
        actions.add_note(user, case, text)
    elif action == "ask":
        actions.ask_information(user, case, text)
    elif action == "extend":
        actions.extend(user, case, text)
    elif action == "conclude":
        actions.conclude(user, case, str(data.get("outcome") or ""), text)
    elif action == "archive":
        actions.archive(user, case, text)
    elif action == "forward":
        actions.forward_to_body(user, case, str(data.get("body") or ""), text)
    else:
        raise ValidationError("Ação desconhecida.")


TRANSITIONS = ("assign", "transfer", "note", "ask", "extend", "conclude", "archive", "forward")


@api_view(("POST",))
def staff_transition(request: HttpRequest, user: User, number: str, action: str) -> HttpResponse:
    found = _staff_case(request, user, number)
    if found is None:
        return _not_found()
    if action not in TRANSITIONS:
        return _error(404, "Ação desconhecida.")
    case, _reach = found
    _transition(user, case, action, _body(request))
    case.refresh_from_db()
    return JsonResponse(case_json(case, events=True, staff=True))
