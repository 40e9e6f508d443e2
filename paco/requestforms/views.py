"""The citizen's side: ``/servicos/<slug>/solicitar/`` and the page that gives the protocol.

Every POST keeps what was typed in a draft (account or anonymous key) before
anything else, so nothing is lost: not to a validation error, not to a hostile
file, not to an expired session. The CSRF check is done here rather than by the
middleware, so that a failed check (a page left open for days, cookies cleared)
re-shows the form with what was typed and a fresh token instead of Django's
error page; a request that fails the check writes nothing at all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from paco.accounts.models import User
from paco.atendimento.actions import Requester
from paco.atendimento.models import Attachment
from paco.citizens.access import has_level
from paco.core.clientip import client_ip
from paco.core.ratelimit import hit
from paco.requestforms import actions, cep
from paco.requestforms.fields import RequestForm, answer_text
from paco.requestforms.models import (
    DraftFile,
    FieldKind,
    GovBrLevel,
    ServiceForm,
    Slot,
)
from paco.tenancy.access import current_municipality

SESSION_KEYS = "paco_request_drafts"
RECEIPT_KEY = "paco_request_receipt"
#: submissions per client address and hour (the law: no limit a person would meet)
SUBMIT_LIMIT = 30


def _form_of(request: HttpRequest, slug: str) -> ServiceForm:
    town = current_municipality(request)
    form = (
        ServiceForm.objects.for_municipality(town)
        .enabled()
        .select_related("service__unit", "municipality")
        .filter(service__slug=slug)
        .first()
    )
    if form is None:
        raise Http404("Este serviço não recebe pedidos pela internet.")
    return form


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _session_key(request: HttpRequest, form: ServiceForm, posted: str = "") -> str:
    """The anonymous draft key of this service: the session's, else the one the form carried."""
    keys: dict[str, str] = request.session.get(SESSION_KEYS, {})
    key = keys.get(str(form.pk)) or posted[:64]
    if not key:
        key = actions.new_draft_key()
    if keys.get(str(form.pk)) != key:
        keys[str(form.pk)] = key
        request.session[SESSION_KEYS] = keys
    return key


def _slots(form: ServiceForm) -> list[Slot] | None:
    if not form.appointments:
        return None
    return list(
        Slot.objects.for_municipality(form.municipality)
        .filter(unit=form.service.unit, starts_at__gt=timezone.now())
        .free()
        .order_by("starts_at")[:60]
    )


def _build(
    request: HttpRequest,
    form: ServiceForm,
    *,
    data: Any = None,
    files: Any = None,
    initial: dict[str, Any] | None = None,
    kept: dict[str, DraftFile] | None = None,
) -> RequestForm:
    user = _user(request)
    documents = list(form.documents.all())
    by_name = actions.reusable_documents(user, form.municipality)
    reusable: dict[int, list[Attachment]] = {
        d.pk: by_name[d.name][:3] for d in documents if d.asked and d.name in by_name
    }
    return RequestForm(
        data,
        files,
        initial=initial,
        service_form=form,
        questions=list(form.fields.all()),
        documents=documents,
        kept=kept,
        reusable=reusable,
        slots=_slots(form),
        signed_in=user is not None,
    )


def _level_refusal(form: ServiceForm, user: User | None) -> str:
    if not form.min_govbr_level:
        return ""
    needed = GovBrLevel(form.min_govbr_level)
    if has_level(user, needed):  # the citizens' one rule (the profile's gov.br level)
        return ""
    return (
        f"Este serviço pede uma conta gov.br nível {needed.label} ou mais alto. "
        "Entre com o gov.br para fazer o pedido pela internet, ou procure o atendimento presencial."
    )


def _protected(request: HttpRequest) -> HttpResponse:
    """Stands for the view in the CSRF check (the real one is marked exempt: it checks itself)."""
    return HttpResponse()


def _csrf_ok(request: HttpRequest) -> bool:
    check = CsrfViewMiddleware(_protected)
    return check.process_view(request, _protected, (), {}) is None


@csrf_exempt  # checked by _csrf_ok, which keeps what was typed when the check fails
@never_cache
@require_http_methods(["GET", "POST"])
def request_service(request: HttpRequest, slug: str) -> HttpResponse:
    form_def = _form_of(request, slug)
    user = _user(request)
    refusal = _level_refusal(form_def, user)
    posted_key = request.POST.get("rascunho", "") if request.method == "POST" else ""
    if user is None:
        key = _session_key(request, form_def, posted_key)
    else:  # an anonymous draft of this browser is adopted by the account (find_draft)
        key = request.session.get(SESSION_KEYS, {}).get(str(form_def.pk), "") or posted_key
    draft = actions.find_draft(form_def.service, user=user, key=key or None)
    kept = {f.key: f for f in draft.files.all()} if draft else {}
    if request.method == "GET" or refusal:
        initial: dict[str, Any] = dict(draft.data) if draft else {}
        if user is not None and not initial.get("nome"):
            initial.setdefault("nome", user.get_full_name())
            initial.setdefault("email", user.email)
        form = _build(request, form_def, initial=initial, kept=kept)
        return _page(request, form_def, form, key, draft, refusal)
    if not _csrf_ok(request):
        form = _build(request, form_def, data=request.POST, kept=kept)
        form.errors.clear()
        messages.warning(
            request,
            "Por segurança, confirme o envio mais uma vez: a página ficou aberta muito tempo "
            "ou os cookies foram apagados. O que você escreveu está abaixo; arquivos "
            "precisam ser escolhidos de novo.",
        )
        return _page(request, form_def, form, key, draft, "", status=200)
    form = _build(request, form_def, data=request.POST, files=request.FILES, kept=kept)
    form.is_valid()
    draft = actions.save_draft(
        form_def.service, user=user, key=key or None, data=form.draft_data(), accepted=form.accepted
    )
    kept = {f.key: f for f in draft.files.all()}
    form.kept = kept
    action = request.POST.get("acao", "enviar")
    if action != "enviar":
        file_errors = {n: form.errors[n] for n in form.file_names() if n in form.errors}
        form.errors.clear()
        form.errors.update(file_errors)
        if action == "cep":
            _fill_from_cep(request, form)
        elif not file_errors:
            messages.success(
                request,
                "Rascunho salvo. Volte a esta página quando quiser para continuar"
                + (" (neste navegador)." if user is None else "."),
            )
        return _page(request, form_def, form, key, draft, "")
    if form.errors:
        return _page(request, form_def, form, key, draft, "", status=400)
    if not hit("request-submit", client_ip(request), limit=SUBMIT_LIMIT):
        form.add_error(
            None, "Muitos pedidos enviados deste endereço na última hora. Tente mais tarde."
        )
        return _page(request, form_def, form, key, draft, "", status=429)
    try:
        opened = actions.submit(form_def, _submission(form, user), user=user, draft=draft)
    except actions.SlotFull as exc:
        form.add_error("horario", str(exc))
        form.fields["horario"].choices = [  # type: ignore[attr-defined]
            (s.pk, str(s)) for s in _slots(form_def) or []
        ]
        return _page(request, form_def, form, key, draft, "", status=409)
    request.session[RECEIPT_KEY] = {
        "number": opened.case.number,
        "code": opened.access_code or "",
        "service": form_def.service.name,
    }
    return redirect("requestforms:sent", slug=form_def.service.slug)


def _fill_from_cep(request: HttpRequest, form: RequestForm) -> None:
    value = str(form.data.get("cep", ""))
    found = cep.lookup(value)
    if found is None:
        form.add_error(
            "cep",
            "CEP não encontrado na tabela do município. Escreva o endereço no campo abaixo.",
        )
        return
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
    typed = str(data.get("endereco", "")).strip()
    if not found.street or found.street.casefold() not in typed.casefold():
        data["endereco"] = found.as_text()
    data["cep"] = found.cep
    form.data = data
    messages.info(request, f"Endereço do CEP {found.cep}: {found.as_text()}. Acrescente o número.")


def _submission(form: RequestForm, user: User | None) -> actions.Submission:
    data = form.cleaned_data
    answers = []
    files: list[tuple[str, Any]] = []
    for row in form.questions:
        name = f"campo_{row.key}"
        if row.kind == FieldKind.FILE:
            if name in form.kept:
                files.append((row.label, form.kept[name]))
            continue
        value = data.get(name)
        if row.kind == FieldKind.YES_NO and value:
            value = dict([("sim", "Sim"), ("nao", "Não")])[value]
        answers.append({"chave": row.key, "pergunta": row.label, "resposta": answer_text(value)})
    for doc in form.documents:
        reused = data.get(f"reusar_{doc.pk}")
        options = {str(a.pk): a for a in form.reusable.get(doc.pk, [])}
        if f"doc_{doc.pk}" in form.kept:
            files.append((doc.name, form.kept[f"doc_{doc.pk}"]))
        elif reused and reused in options:
            files.append((doc.name, options[reused]))
    name = (data.get("nome") or "").strip() or (user.get_full_name() if user else "")
    return actions.Submission(
        description=data["descricao"].strip(),
        requester=Requester(
            name=name or (user.get_username() if user else ""),
            document=data.get("documento", "") or "",
            email=data.get("email", "") or (user.email if user else ""),
            phone=data.get("telefone", "") or "",
            citizen=user,
        ),
        answers=answers,
        files=files,
        address=(data.get("endereco") or "").strip(),
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        slot=data.get("horario"),
    )


def _page(
    request: HttpRequest,
    form_def: ServiceForm,
    form: RequestForm,
    key: str,
    draft: Any,
    refusal: str,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form_def": form_def,
        "service": form_def.service,
        "form": form,
        "draft_key": key,
        "draft": draft,
        "refusal": refusal,
        "documents_by_town": [d for d in form_def.documents.all() if d.issued_by_town],
        "questions": [
            (
                form[f"campo_{q.key}"],
                not q.required and not q.required_if_key,
                form.kept.get(f"campo_{q.key}"),
            )
            for q in form.questions
        ],
        "documents": [
            (
                form[f"doc_{d.pk}"],
                form[f"reusar_{d.pk}"] if f"reusar_{d.pk}" in form.fields else None,
                form.kept.get(f"doc_{d.pk}"),
            )
            for d in form.documents
        ],
        "kept": form.kept,
    }
    return render(request, "requestforms/request.html", context, status=status)


@never_cache
def sent(request: HttpRequest, slug: str) -> HttpResponse:
    """The protocol number and, once, the access code (gone from the session after this page)."""
    form_def = _form_of(request, slug)  # 404 for another town's or an unknown service
    receipt = request.session.pop(RECEIPT_KEY, None)
    if not receipt:
        return redirect("requestforms:request", slug=form_def.service.slug)
    try:
        case_url = reverse("atendimento:case", args=[receipt["number"]])
    except NoReverseMatch:
        case_url = ""
    return render(request, "requestforms/sent.html", {"receipt": receipt, "case_url": case_url})
