"""Open311 GeoReport v2 at ``/open311/v2/`` (JSON only), so existing Open311 clients work.

Services are the Carta services whose online form is enabled and asks for a place
(:meth:`ServiceFormQuerySet.about_a_place`); ``service_code`` is the service's slug
and a service's attributes are its form's questions. ``service_request_id`` is the
case's NUP. The public listing carries no personal data: never the requester, and
the description and address pass through the personal-data screening
(:func:`paco.core.publictext.public_text`).

A POST needs no ``api_key`` (the law lets anyone ask the town for a service without
an account; see docs/decisions.md): a key sent is ignored, and posts are limited
per client address (``PACO_OPEN311_POST_LIMIT`` an hour). It opens the case through
the same form and submission as the web page. Errors are the specification's
array of ``{"code", "description"}``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from paco.atendimento.actions import Requester
from paco.atendimento.models import OPEN_STATUSES, Case, Kind
from paco.core.clientip import client_ip
from paco.core.http import public_json
from paco.core.publictext import public_text
from paco.core.ratelimit import hit
from paco.requestforms import actions
from paco.requestforms.fields import RequestForm, answer_text
from paco.requestforms.models import FieldKind, FormField, ServiceForm
from paco.tenancy.access import current_municipality

#: the specification's default window and a cap on one answer
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
DATATYPES = {
    FieldKind.LONG_TEXT: "text",
    FieldKind.NUMBER: "number",
    FieldKind.DATE: "datetime",
    FieldKind.CHOICE: "singlevaluelist",
    FieldKind.YES_NO: "singlevaluelist",
}


def error(code: int, description: str) -> JsonResponse:
    return public_json([{"code": code, "description": description}], status=code)


def _forms(request: HttpRequest) -> Any:
    town = current_municipality(request)
    return ServiceForm.objects.for_municipality(town).about_a_place().select_related("service")


def _service_json(form: ServiceForm) -> dict[str, Any]:
    service = form.service
    return {
        "service_code": service.slug,
        "service_name": service.name,
        "description": service.description,
        "metadata": any(f.kind != FieldKind.FILE for f in form.fields.all()),
        "type": "batch",
        "keywords": ", ".join(service.keyword_list()),
        "group": service.unit.name,
    }


@require_GET
def services(request: HttpRequest) -> JsonResponse:
    forms = _forms(request).select_related("service__unit").prefetch_related("fields")
    return public_json([_service_json(f) for f in forms.order_by("service__name")])


def _attribute(row: FormField, order: int) -> dict[str, Any]:
    datatype = DATATYPES.get(FieldKind(row.kind), "string")
    attribute: dict[str, Any] = {
        "variable": True,
        "code": row.key,
        "datatype": datatype,
        "required": row.required,
        "datatype_description": row.help or None,
        "order": order,
        "description": row.label,
    }
    if row.kind == FieldKind.CHOICE:
        attribute["values"] = [{"key": c, "name": c} for c in row.choice_list()]
    elif row.kind == FieldKind.YES_NO:
        attribute["values"] = [{"key": "sim", "name": "Sim"}, {"key": "nao", "name": "Não"}]
    return attribute


@require_GET
def service_definition(request: HttpRequest, code: str) -> JsonResponse:
    form = _forms(request).filter(service__slug=code).first()
    if form is None:
        return error(404, "Este serviço não existe ou não está no Open311.")
    rows = [f for f in form.fields.all() if f.kind != FieldKind.FILE]
    return public_json(
        {
            "service_code": form.service.slug,
            "attributes": [_attribute(row, n) for n, row in enumerate(rows, start=1)],
        }
    )


def _iso(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _request_json(case: Case) -> dict[str, Any]:
    """One case as the public sees it: no requester, texts screened for personal data."""
    closed = case.status not in OPEN_STATUSES
    expected = None
    if case.due_on and not closed:
        expected = datetime.datetime.combine(
            case.due_on, datetime.time(23, 59, 59), tzinfo=timezone.get_current_timezone()
        )
    return {
        "service_request_id": case.number,
        "status": "closed" if closed else "open",
        "status_notes": case.get_status_display(),
        "service_name": case.service.name if case.service else None,
        "service_code": case.service.slug if case.service else "",
        "description": public_text(case.description),
        "agency_responsible": case.unit.name if case.unit else None,
        "service_notice": None,
        "requested_datetime": _iso(case.submitted_at),
        "updated_datetime": _iso(case.modified_at),
        "expected_datetime": _iso(expected),
        "address": public_text(case.address) or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        "media_url": None,
    }


def _cases(request: HttpRequest) -> Any:
    town = current_municipality(request)
    return (
        Case.objects.for_municipality(town)
        .of_kind(Kind.SERVICE)
        .filter(service__request_form__in=_forms(request))
        .select_related("service", "unit")
        .only(
            "number", "status", "description", "address", "latitude", "longitude",
            "submitted_at", "modified_at", "due_on", "service__name", "service__slug",
            "unit__name",
        )
    )  # fmt: skip


def _when(value: str) -> datetime.datetime | None:
    parsed = parse_datetime(value.strip()) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@csrf_exempt  # an API without cookies: the session is never read (see the module)
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return _post(request)
    cases = _cases(request)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        return public_json([_request_json(c) for c in cases.filter(number__in=ids[:MAX_REQUESTS])])
    code = request.GET.get("service_code", "")
    if code:
        cases = cases.filter(service__slug__in=[c.strip() for c in code.split(",")])
    status = request.GET.get("status", "")
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            return error(400, "status deve ser open, closed ou os dois separados por vírgula.")
        if wanted == {"open"}:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            cases = cases.exclude(status__in=OPEN_STATUSES)
    start = _when(request.GET.get("start_date", ""))
    end = _when(request.GET.get("end_date", ""))
    if (request.GET.get("start_date") and start is None) or (
        request.GET.get("end_date") and end is None
    ):
        return error(400, "Datas em W3C/ISO 8601, por exemplo 2026-03-01T00:00:00-03:00.")
    if start is None and end is None:
        start = timezone.now() - datetime.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        cases = cases.filter(submitted_at__gte=start)
    if end is not None:
        cases = cases.filter(submitted_at__lte=end)
    return public_json([_request_json(c) for c in cases.order_by("-submitted_at")[:MAX_REQUESTS]])


@require_GET
def request_detail(request: HttpRequest, request_id: str) -> JsonResponse:
    case = _cases(request).filter(number=request_id).first()
    if case is None:
        return error(404, "Pedido não encontrado.")
    return public_json([_request_json(case)])


def _post(request: HttpRequest) -> JsonResponse:
    if not hit("open311-post", client_ip(request), limit=settings.PACO_OPEN311_POST_LIMIT):
        return error(429, "Muitos pedidos deste endereço na última hora. Tente mais tarde.")
    post = request.POST
    form_def = _forms(request).filter(service__slug=post.get("service_code", "")).first()
    if form_def is None:
        return error(404, "service_code não informado, ou o serviço não está no Open311.")
    has_point = post.get("lat") and post.get("long")
    if not has_point and not post.get("address_string") and not post.get("address_id"):
        return error(400, "Informe lat e long, ou address_string.")
    name = " ".join(p for p in (post.get("first_name", ""), post.get("last_name", "")) if p)
    data = {
        "descricao": post.get("description", ""),
        "nome": name.strip(),
        "email": post.get("email", ""),
        "telefone": post.get("phone", ""),
        "endereco": post.get("address_string", "") or post.get("address_id", ""),
        "latitude": post.get("lat", ""),
        "longitude": post.get("long", ""),
    }
    questions = list(form_def.fields.all())
    for row in questions:
        data[f"campo_{row.key}"] = post.get(f"attribute[{row.key}]", "")
    form = RequestForm(data, service_form=form_def, questions=questions, documents=[], slots=None)
    if not form.is_valid():
        problems = [
            f"{_param(name)}: {' '.join(str(m) for m in messages)}"
            for name, messages in form.errors.items()
        ]
        return error(400, " ".join(problems))
    values = form.cleaned_data
    answers = [
        {"chave": r.key, "pergunta": r.label, "resposta": answer_text(values.get(f"campo_{r.key}"))}
        for r in questions
        if r.kind != FieldKind.FILE
    ]
    submission = actions.Submission(
        description=values["descricao"].strip(),
        requester=Requester(
            name=values["nome"].strip(),
            email=values.get("email", "") or "",
            phone=values.get("telefone", "") or "",
        ),
        answers=answers,
        address=(values.get("endereco") or "").strip(),
        latitude=values.get("latitude"),
        longitude=values.get("longitude"),
        extra={"canal": "open311", "media_url": post.get("media_url", "")[:500]},
    )
    try:
        opened = actions.submit(form_def, submission, user=None)
    except (ValidationError, PermissionDenied) as exc:
        return error(400, " ".join(getattr(exc, "messages", [str(exc)])))
    notice = f"Protocolo {opened.case.number}."
    if opened.access_code:
        notice += (
            f" Código de acesso: {opened.access_code} (guarde-o: com o número e o código "
            "se acompanha o pedido)."
        )
    return public_json(
        [{"service_request_id": opened.case.number, "service_notice": notice, "account_id": None}],
        status=201,
    )


def _param(field: str) -> str:
    """A form field's name as the Open311 client sent it."""
    names = {
        "descricao": "description",
        "nome": "first_name",
        "email": "email",
        "telefone": "phone",
        "endereco": "address_string",
        "latitude": "lat",
        "longitude": "long",
        "__all__": "request",
    }
    if field.startswith("campo_"):
        return f"attribute[{field[6:]}]"
    return names.get(field, field)


def not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    if rest.endswith(".xml"):
        return error(404, "Este servidor responde só em JSON: use .json.")
    return error(404, "Endereço não encontrado no Open311.")
