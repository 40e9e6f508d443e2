"""The citizen's side: ``/atendimento/`` (what you can ask), the forms, the case page,
"Meus pedidos", and ``/protocolo/`` (follow a case by number and code).

Nothing here is cached or public: every case page goes through
:mod:`paco.atendimento.access` (another citizen's case is a 404).
"""

from __future__ import annotations

import hmac
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from paco.accounts.models import User
from paco.atendimento import actions
from paco.atendimento.access import (
    NOT_FOUND,
    _by_number,
    citizen_case,
    citizen_cases,
    proof_for,
    remember,
)
from paco.atendimento.actions import Requester, hash_code, open_case
from paco.atendimento.forms import (
    AnswerForm,
    AppealForm,
    ComplaintForm,
    DocumentForm,
    LookupForm,
    RatingForm,
    ReasonForm,
    RequestForm,
)
from paco.atendimento.models import Attachment, Case, IdentityMode, Kind, Status
from paco.catalog.models import Service
from paco.core import ratelimit
from paco.core.clientip import client_ip
from paco.deadlines.clock import Deadline
from paco.protocol.nup import NupError, parse_nup
from paco.receipts.models import Receipt
from paco.receipts.pdf import pdf_response
from paco.tenancy.access import current_municipality

#: /protocolo/ look-ups and new submissions per address and town, per hour
LOOKUP_LIMIT = 30
SUBMIT_LIMIT = 10
KIND_SLUGS = {"servico": Kind.SERVICE, "ouvidoria": Kind.OMBUDSMAN, "informacao": Kind.INFORMATION}


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    services = (
        Service.objects.for_municipality(town)
        .published()
        .order_by("name")
        .only("id", "name", "slug")
    )
    return render(request, "atendimento/home.html", {"services": services})


def _service(request: HttpRequest) -> Service | None:
    slug = request.GET.get("servico") or request.POST.get("servico") or ""
    if not slug:
        return None
    town = current_municipality(request)
    found = Service.objects.for_municipality(town).published().filter(slug=slug).first()
    if found is None:
        raise Http404("Serviço não encontrado.")
    return found


@never_cache
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, kind_slug: str) -> HttpResponse:
    kind = KIND_SLUGS.get(kind_slug)
    if kind is None:
        raise Http404("Tipo de pedido desconhecido.")
    town = current_municipality(request)
    service = _service(request) if kind == Kind.SERVICE else None
    if kind == Kind.SERVICE and service is None:
        return redirect("atendimento:home")
    user = request.user if isinstance(request.user, User) else None
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        logged_in=user is not None,
        initial={"email": user.email, "name": user.get_full_name()} if user else None,
    )
    status = 200
    if request.method == "POST":
        if form.is_bot():
            raise Http404()
        if not ratelimit.hit("atendimento:submit", town.pk, client_ip(request), limit=SUBMIT_LIMIT):
            form.add_error(None, "Muitos envios deste endereço. Tente de novo em uma hora.")
        elif form.is_valid():
            data = form.cleaned_data
            mode = data.get("identity_mode") or IdentityMode.IDENTIFIED
            anonymous = mode == IdentityMode.ANONYMOUS
            requester = Requester(
                name=data["name"] or (user.get_full_name() if user and not anonymous else ""),
                document=data["document"],
                email=data["email"] or (user.email if user and not anonymous else ""),
                phone=data["phone"],
                citizen=None if anonymous else user,
            )
            try:
                opened = open_case(
                    town,
                    kind=kind,
                    subject=data["subject"],
                    description=data["description"],
                    requester=requester,
                    identity_mode=mode,
                    ombudsman_type=data.get("ombudsman_type", ""),
                    service=service,
                    files=data["documents"],
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                remember(request, opened.case)
                return render(
                    request,
                    "atendimento/receipt.html",
                    {
                        "case": opened.case,
                        "code": opened.access_code,
                        "deadline": actions.deadline_of(opened.case),
                        "receipt": _receipt_of(opened.case),
                    },
                    status=201,
                )
        status = 422
    return render(
        request,
        "atendimento/new.html",
        {"form": form, "kind": kind, "kind_slug": kind_slug, "service": service},
        status=status,
    )


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@never_cache
def my_cases(request: HttpRequest) -> HttpResponse:
    qs = citizen_cases(request).select_related("unit", "service").order_by("-submitted_at", "-pk")
    page = Paginator(qs, 30).get_page(request.GET.get("pagina"))
    return render(request, "atendimento/mine.html", {"page": page})


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    """Follow a case by its number (and, without the account, its access code)."""
    town = current_municipality(request)
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if not ratelimit.hit("atendimento:lookup", town.pk, client_ip(request), limit=LOOKUP_LIMIT):
            form.add_error(None, "Muitas consultas deste endereço. Tente de novo em uma hora.")
            status = 429
        elif form.is_valid():
            try:
                parse_nup(form.cleaned_data["number"])
            except NupError as exc:
                form.add_error("number", str(exc))
            else:
                found = _by_number(Case.objects.for_municipality(town), form.cleaned_data["number"])
                code = form.cleaned_data["code"]
                user = request.user
                if found is not None and found.citizen_id and user.pk == found.citizen_id:
                    return redirect("atendimento:case", number=found.slug)
                if (
                    found is not None
                    and found.access_code_hash
                    and code
                    and hmac.compare_digest(found.access_code_hash, hash_code(code))
                ):
                    remember(request, found)
                    return redirect("atendimento:case", number=found.slug)
                # the same answer whether the number exists or not: no enumeration
                form.add_error(
                    None,
                    "Número e código não conferem. Confira o comprovante; se você fez o "
                    "pedido com sua conta, entre nela para acompanhar.",
                )
    return render(request, "atendimento/lookup.html", {"form": form}, status=status)


CITIZEN_FORMS = {
    "responder": AnswerForm,
    "documento": DocumentForm,
    "reabrir": ReasonForm,
    "recorrer": AppealForm,
    "reclamar": ComplaintForm,
    "avaliar": RatingForm,
}


def _citizen_run(request: HttpRequest, case: Case, posted: str, form: Form) -> str:
    proof = proof_for(request, case)
    data = form.cleaned_data
    if posted == "responder":
        actions.answer_information(proof, case, data["text"], data["documents"])
        return "Resposta enviada; o prazo voltou a correr."
    if posted == "documento":
        actions.add_document(proof, case, data["documents"], data["text"])
        return "Documento enviado."
    if posted == "reabrir":
        actions.reopen(proof, case, data["reason"])
        return "Atendimento reaberto."
    if posted == "recorrer":
        actions.appeal(proof, case, data["reasons"])
        return "Recurso apresentado."
    if posted == "reclamar":
        actions.complain(proof, case, data["text"])
        return "Reclamação registrada."
    actions.rate(
        proof,
        case,
        score=data["score"],
        resolved=data["resolved"],
        dimension=data["dimension"],
        comment=data["comment"],
    )
    return "Obrigado pela avaliação."


def case_context(case: Case) -> dict[str, Any]:
    deadline: Deadline | None = actions.deadline_of(case)
    return {
        "case": case,
        "deadline": deadline,
        "events": list(case.events.filter(public=True).prefetch_related("attachments")),
        "pause": next((p for p in case.pauses.all() if p.ended_on is None), None),
        "appeals": list(case.appeals.all()),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, number: str) -> HttpResponse:
    case = citizen_case(request, number)
    posted = request.POST.get("acao", "") if request.method == "POST" else ""
    status = 200
    forms: dict[str, Form] = {
        name: cls(request.POST if posted == name else None, request.FILES or None, prefix=name)
        if posted == name
        else cls(prefix=name)
        for name, cls in CITIZEN_FORMS.items()
    }
    if posted:
        form = forms.get(posted)
        if form is None:
            raise Http404("Ação desconhecida.")
        if form.is_valid():
            try:
                message = _citizen_run(request, case, posted, form)
            except (ValidationError, PermissionDenied) as exc:
                _errors_to_form(
                    form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
                )
            else:
                messages.success(request, message)
                return redirect("atendimento:case", number=case.slug)
        status = 422
    context = case_context(case)
    has_rating = hasattr(case, "rating")
    context |= {
        "forms": forms,
        "can_answer": case.status == Status.WAITING_CITIZEN,
        "can_add": case.status not in (Status.ARCHIVED,),
        "can_reopen": actions.can_reopen(case),
        "appeal_level": actions.next_appeal_level(case),
        "can_complain": actions.can_complain(case),
        "can_rate": case.concluded_at is not None and not has_rating,
    }
    return render(request, "atendimento/case.html", context, status=status)


def _serve(attachment: Attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@never_cache
def attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    """A file of the requester's own case (public files only)."""
    case = citizen_case(request, number)
    found = case.attachments.filter(pk=pk, public=True).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return _serve(found)


def _receipt_of(case: Case) -> Receipt | None:
    receipt = (
        Receipt.objects.for_municipality(case.municipality)
        .for_subject(case)
        .order_by("-pk")
        .first()
    )
    if receipt is not None:
        receipt.municipality = case.municipality
    return receipt


@never_cache
@require_GET
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The PDF receipt, for whoever may follow the case (another citizen's: 404)."""
    case = citizen_case(request, number)
    receipt = _receipt_of(case)
    if receipt is None:
        raise Http404()
    return pdf_response(receipt, f"comprovante-{case.slug}.pdf")
