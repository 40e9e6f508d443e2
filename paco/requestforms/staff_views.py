"""Staff pages: a service's online form (``/servicos/gestao/<slug>/formulario/``) and slots.

Same access as the charter's own staff pages: catalog editors of the service's
unit (sub-units included); another unit's service says why it is refused (403),
another town's is 404. No JavaScript: the questions are a formset with one blank
row to add a question and a "Remover" box on each.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from paco.accounts.models import Role
from paco.accounts.permissions import covered_unit_ids
from paco.catalog.staff_views import NOT_AN_EDITOR, _editable
from paco.requestforms import actions
from paco.requestforms.forms import DocumentFormSet, FieldFormSet, SettingsForm, SlotBatchForm
from paco.requestforms.models import ServiceForm, Slot
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Unit

SLOT_PAGE = 100


@login_required
@require_http_methods(["GET", "POST"])
def form_edit(request: HttpRequest, slug: str) -> HttpResponse:
    service = _editable(request, slug)
    actor: Any = request.user
    here = reverse("requestforms:staff_form", args=[service.slug])
    existing = ServiceForm.objects.filter(service=service).first()
    if existing is None:
        if request.method == "POST":
            actions.create_form(actor, service)
            messages.success(request, "Formulário criado. Acrescente as perguntas e ative-o.")
            return redirect(here)
        return render(request, "requestforms/staff/form_new.html", {"service": service})
    data = request.POST if request.method == "POST" else None
    edited = ServiceForm.objects.select_related("service").get(pk=existing.pk) if data else existing
    settings_form = SettingsForm(data, instance=edited, prefix="config")
    questions = FieldFormSet(data, instance=edited, prefix="perguntas")
    documents = DocumentFormSet(data, instance=edited, prefix="documentos")
    if data is not None and all(
        [settings_form.is_valid(), questions.is_valid(), documents.is_valid()]
    ):
        try:
            actions.save_form(
                actor, settings_form.save(commit=False), questions=questions, documents=documents
            )
        except ValidationError as exc:
            settings_form.add_error(None, exc)
        else:
            messages.success(request, "Formulário salvo.")
            return redirect(here)
    context = {
        "service": service,
        "form_def": existing,
        "settings_form": settings_form,
        "questions": questions,
        "documents": documents,
        "public_url": reverse("requestforms:request", args=[service.slug]),
    }
    return render(
        request, "requestforms/staff/form_edit.html", context, status=400 if data else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def slots(request: HttpRequest) -> HttpResponse:
    town = current_municipality(request)
    covered = covered_unit_ids(request.user, town, Role.CATALOG_EDITOR)
    if covered is not None and not covered:
        raise PermissionDenied(NOT_AN_EDITOR)
    units = Unit.objects.for_municipality(town).order_by("name")
    if covered is not None:
        units = units.filter(pk__in=covered)
    data = request.POST if request.method == "POST" else None
    batch = SlotBatchForm(data, units=units)
    if data is not None and batch.is_valid():
        values = batch.cleaned_data
        try:
            created = actions.create_slots(
                request.user,  # type: ignore[arg-type]
                values["unit"],
                first_day=values["first_day"],
                last_day=values["last_day"],
                weekdays=values["weekdays"],
                times=values["times"],
                capacity=values["capacity"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                batch.add_error(name if name in batch.fields else None, errors)
        else:
            messages.success(request, f"{created} horário(s) aberto(s).")
            return redirect("requestforms:staff_slots")
    upcoming = (
        Slot.objects.for_municipality(town)
        .filter(unit__in=units, starts_at__gte=timezone.now())
        .select_related("unit")
        .order_by("starts_at")[:SLOT_PAGE]
    )
    context = {"batch": batch, "slots": list(upcoming), "limit": SLOT_PAGE}
    return render(request, "requestforms/staff/slots.html", context, status=400 if data else 200)
