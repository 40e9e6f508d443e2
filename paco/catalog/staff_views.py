"""Staff pages of the charter at ``/servicos/gestao/``: the services one edits, and one service.

A service is edited in short sections, each with its own form and save button,
and its lists (who may ask, steps; a step's costs and channels) as formsets that
work without JavaScript. Catalog editors reach the services of the units they
cover; another unit's service says why it is refused (403); another town's is
404. Every write goes through :mod:`paco.catalog.actions`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from paco.accounts.models import Role
from paco.accounts.permissions import covered_unit_ids, has_role
from paco.audit.labels import describe
from paco.audit.models import AuditEntry
from paco.catalog import actions
from paco.catalog.forms import (
    SECTIONS,
    ChannelFormSet,
    CostFormSet,
    RequesterFormSet,
    StatusForm,
    StepForm,
    StepFormSet,
    WhereForm,
)
from paco.catalog.models import Service, Status, Step
from paco.tenancy.access import current_municipality, get_for_request
from paco.tenancy.models import Unit

PAGE_SIZE = 50
HISTORY_SIZE = 15
NOT_AN_EDITOR = "Só quem edita a Carta de Serviços tem acesso a esta página."


def _covered(request: HttpRequest) -> set[int] | None:
    town = current_municipality(request)
    covered = covered_unit_ids(request.user, town, Role.CATALOG_EDITOR)
    if covered is not None and not covered:
        raise PermissionDenied(NOT_AN_EDITOR)
    return covered


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    covered = _covered(request)
    services = Service.objects.for_municipality(town)
    units = Unit.objects.for_municipality(town).order_by("name")
    if covered is not None:
        services = services.filter(unit_id__in=covered)
        units = units.filter(pk__in=covered)
    query = request.GET.get("q", "").strip()[:200]
    unit = request.GET.get("unidade", "")
    status = request.GET.get("situacao", "")
    if unit:
        services = services.filter(unit__slug=unit)
    if status in Status.values:
        services = services.filter(status=status)
    else:
        status = ""
    qs = services.search(query) if query else services.order_by("unit__name", "name")
    qs = qs.select_related("unit").only(
        "id", "slug", "name", "status", "updated_at", "unit__name", "unit__acronym"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    keep = {k: v for k, v in {"q": query, "unidade": unit, "situacao": status}.items() if v}
    context = {
        "page": page,
        "units": list(units.only("id", "slug", "name", "acronym")),
        "statuses": Status.choices,
        "query": query,
        "unit": unit,
        "status": status,
        "keep": urlencode(keep),
    }
    return render(request, "catalog/staff/list.html", context)


def _editable(request: HttpRequest, slug: str) -> Service:
    """The request's town's service ``slug`` (404), which the user may edit (403 with why)."""
    service = get_for_request(request, Service, slug=slug)
    if not has_role(request.user, service.municipality, Role.CATALOG_EDITOR, service.unit):
        if has_role(request.user, service.municipality, Role.CATALOG_EDITOR):
            raise PermissionDenied(
                f"Este serviço é da unidade “{service.unit}”, que não está entre as "
                "unidades em que você edita a Carta de Serviços."
            )
        raise PermissionDenied(NOT_AN_EDITOR)
    return service


def _fresh(service: Service) -> Service:
    """A separate copy for a bound form (a failed form must not change the page's service)."""
    return Service.objects.select_related("unit", "municipality").get(pk=service.pk)


def _lists(service: Service, data: Any, bound: str | None) -> dict[str, Any]:
    steps = service.steps.count()
    return {
        "solicitantes": RequesterFormSet(
            data if bound == "solicitantes" else None, instance=service, prefix="solicitantes"
        ),
        "etapas": StepFormSet(
            data if bound == "etapas" else None,
            instance=service,
            prefix="etapas",
            initial=[{"order": steps + 1}],
        ),
    }


def _saved(request: HttpRequest, title: str, version: Any) -> None:
    if version is None:
        messages.info(request, f"{title}: nada foi alterado.")
    else:
        messages.success(request, f"{title}: alterações salvas (versão {version.number}).")


def _errors_to_form(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, slug: str) -> HttpResponse:
    service = _editable(request, slug)
    actor: Any = request.user
    covered = covered_unit_ids(actor, service.municipality, Role.CATALOG_EDITOR)
    data = request.POST if request.method == "POST" else None
    bound = request.POST.get("secao") if data is not None else None
    forms: dict[str, BaseForm] = {}
    for section in SECTIONS:
        is_bound = section.key == bound
        kwargs: dict[str, Any] = {"units": covered} if section.form is WhereForm else {}
        forms[section.key] = section.form(
            data if is_bound else None,
            instance=_fresh(service) if is_bound else service,
            prefix=section.key,
            **kwargs,
        )
    lists = _lists(service, data, bound)
    status_form = StatusForm(
        data if bound == "situacao" else None,
        initial={"status": service.status},
        prefix="situacao",
    )
    here = reverse("catalog:staff_edit", args=[service.slug])
    titles = {s.key: s.title for s in SECTIONS} | {
        "solicitantes": "Quem pode pedir",
        "etapas": "Etapas",
        "situacao": "Situação",
    }
    if bound in forms:
        form = forms[bound]
        if form.is_valid():
            instance = form.save(commit=False)  # type: ignore[attr-defined]
            related = {n: form.cleaned_data[n] for n in form.cleaned_data if n in _M2M}
            try:
                version = actions.update_service(actor, instance, related=related)
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                _saved(request, titles[bound], version)
                return redirect(f"{here}#{bound}")
    elif bound in lists:
        formset = lists[bound]
        if formset.is_valid():
            version = actions.save_service_lists(actor, service, formset)
            _saved(request, titles[bound], version)
            return redirect(f"{here}#{bound}")
    elif bound == "situacao" and status_form.is_valid():
        new = status_form.cleaned_data["status"]
        if new != service.status:
            actions.set_status(actor, service, new)
            messages.success(request, f"Situação: {service.get_status_display()}.")
        else:
            messages.info(request, "Situação: nada foi alterado.")
        return redirect(f"{here}#situacao")
    steps = list(service.steps.prefetch_related("channels", "costs"))
    history = (
        AuditEntry.objects.for_municipality(service.municipality)
        .for_object(service)
        .order_by("-seq")
        .only("at", "actor_repr", "action", "object_repr", "changes")[:HISTORY_SIZE]
    )
    context = {
        "service": service,
        "head_sections": [(s, forms[s.key]) for s in SECTIONS[:2]],
        "tail_sections": [(s, forms[s.key]) for s in SECTIONS[2:]],
        "requesters": lists["solicitantes"],
        "steps_formset": lists["etapas"],
        "steps": steps,
        "waits": [(step, ch) for step in steps for ch in step.channels.all() if ch.waiting_time],
        "status_form": status_form,
        "bound": bound,
        "history": [(entry, describe(entry), _parts(entry)) for entry in history],
    }
    return render(request, "catalog/staff/edit.html", context)


_M2M = {"categories", "life_events", "audiences"}

#: the parts of a version (BNSP keys) as the page names them
_VERSION_PARTS = {
    "nome": "nome", "sigla": "sigla", "nomesPopulares": "nomes populares",
    "descricao": "o que é", "contato": "contato", "gratuito": "custos",
    "solicitantes": "quem pode pedir", "tempoTotalEstimado": "prazo",
    "tempoEstimadoEspera": "tempo de espera", "etapas": "etapas", "orgao": "unidade",
    "segmentosDaSociedade": "públicos", "areasDeInteresse": "categorias",
    "eventosDaVida": "eventos da vida", "palavrasChave": "palavras-chave",
    "legislacoes": "legislação", "condicoesAcessibilidade": "acessibilidade",
    "tratamentoPrioritario": "atendimento prioritário",
    "tratamentoDispensadoAtendimento": "como você será atendido",
    "manifestacoes": "reclamações", "servicoDigital": "serviço digital",
    "statusDigital": "serviço digital", "linkServicoDigital": "serviço digital",
    "situacao": "situação", "dataUltimaRevisao": "data da revisão",
    "inventarioDigital": "inventário de digitalização",
}  # fmt: skip


def _parts(entry: AuditEntry) -> str:
    """Which parts of the service an entry changed, in the page's words."""
    names: list[str] = []
    for key in entry.changes or {}:
        if key in _VERSION_PARTS:
            name = _VERSION_PARTS[key]
        else:
            try:
                field = Service._meta.get_field(key)
            except FieldDoesNotExist:
                continue
            name = str(getattr(field, "verbose_name", key))
        if name not in names:
            names.append(name)
    return ", ".join(names)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    service = _editable(request, slug)
    step = get_object_or_404(Step, pk=pk, service=service)
    data = request.POST if request.method == "POST" else None
    edited = Step.objects.get(pk=step.pk) if data is not None else step  # see _fresh
    form = StepForm(data, instance=edited, prefix="etapa")
    costs = CostFormSet(data, instance=edited, prefix="custos")
    channels = ChannelFormSet(data, instance=edited, prefix="canais")
    if data is not None and all([form.is_valid(), costs.is_valid(), channels.is_valid()]):
        version = actions.save_service_lists(
            request.user,  # type: ignore[arg-type]
            service,
            costs,
            channels,
            step=form.save(commit=False),
        )
        _saved(request, f"Etapa “{step.title}”", version)
        return redirect(reverse("catalog:staff_edit", args=[service.slug]) + "#etapas")
    context = {"service": service, "step": step, "form": form, "costs": costs, "channels": channels}
    return render(request, "catalog/staff/step.html", context)
