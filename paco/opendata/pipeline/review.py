"""Staff pages for one version: progress, validation report, LGPD decision, publishing,
plus the data-dictionary editor of a resource."""

from __future__ import annotations

from functools import partial
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from paco.opendata import actions
from paco.opendata.access import staff_resource, staff_version
from paco.opendata.models import PUBLISHABLE, UNFINISHED, DatasetState, VersionStatus
from paco.opendata.pipeline.actions import (
    REFUSABLE,
    decide_lgpd,
    publish_version,
    reject_version,
    retry_version,
)
from paco.opendata.pipeline.api import LISTED, version_errors, version_status
from paco.opendata.pipeline.forms import DictionaryForm, LgpdForm, PublishForm, RejectForm
from paco.opendata.pipeline.views import _user, attempt, editor_town, version_url
from paco.opendata.tabular.values import type_label


@login_required
def version_page(request: HttpRequest, resource_id: str, number: int) -> HttpResponse:
    editor_town(request)
    version = staff_version(request, resource_id, number)
    return _render_version(request, version)


def _render_version(
    request: HttpRequest,
    version: Any,
    *,
    lgpd_form: LgpdForm | None = None,
    publish_form: PublishForm | None = None,
    reject_form: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    resource = version.resource
    dataset = resource.dataset
    report = version.report or {}
    context = {
        "version": version,
        "resource": resource,
        "dataset": dataset,
        "report": report,
        "errors": version_errors(version)[:LISTED],
        "warnings": list(report.get("warnings") or [])[:LISTED],
        "unfinished": version.status in UNFINISHED,
        "is_current": version.is_current,
        "lgpd_form": lgpd_form
        or (LgpdForm(version=version) if version.status == VersionStatus.NEEDS_REVIEW else None),
        "publish_form": publish_form
        or PublishForm(initial={"publish_dataset": dataset.state == DatasetState.DRAFT}),
        "can_publish": version.status in PUBLISHABLE and not version.is_current,
        "can_reject": version.status in REFUSABLE and version.published_at is None,
        "reject_form": reject_form or RejectForm(),
        "dataset_is_draft": dataset.state == DatasetState.DRAFT,
        "columns": [
            {
                **f,
                "type_label": type_label(f.get("type", "")),
                "missing": ((version.stats or {}).get(f["name"]) or {}).get("missing"),
            }
            for f in version.effective_schema().get("fields", [])
        ],
    }
    return render(request, "pipeline/version.html", context, status=status)


@login_required
def version_status_json(request: HttpRequest, resource_id: str, number: int) -> JsonResponse:
    editor_town(request)
    version = staff_version(request, resource_id, number)
    body = version_status(version)
    body["page_url"] = version_url(version)
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def version_lgpd(request: HttpRequest, resource_id: str, number: int) -> HttpResponse:
    editor_town(request)
    version = staff_version(request, resource_id, number)
    form = LgpdForm(request.POST, version=version)
    if form.is_valid():
        basis = form.cleaned_data.get("legal_basis") or ""
        wants_basis = form.cleaned_data["decision"] == "base_legal"
        decide = partial(
            decide_lgpd,
            _user(request),
            version,
            legal_basis=basis if wants_basis else "",
            treatments=None if wants_basis else form.treatments(),
        )
        if attempt(form, decide, "Você não pode decidir sobre esta versão.") is not None:
            messages.success(request, "Decisão registrada. A versão está pronta para publicar.")
            return redirect(version_url(version))
    return _render_version(request, version, lgpd_form=form, status=400)


@login_required
@require_POST
def version_publish(request: HttpRequest, resource_id: str, number: int) -> HttpResponse:
    editor_town(request)
    version = staff_version(request, resource_id, number)
    form = PublishForm(request.POST)
    if form.is_valid():
        publish = partial(
            publish_version,
            _user(request),
            version,
            accept_errors=form.cleaned_data["accept_errors"],
            publish_dataset=form.cleaned_data["publish_dataset"],
        )
        if attempt(form, publish, "Você não pode publicar esta versão.") is not None:
            messages.success(request, f"Versão {version.number} publicada.")
            return redirect(version_url(version))
    return _render_version(request, version, publish_form=form, status=400)


@login_required
@require_POST
def version_reject(request: HttpRequest, resource_id: str, number: int) -> HttpResponse:
    """A processed version refused by staff: it will not be published."""
    editor_town(request)
    version = staff_version(request, resource_id, number)
    form = RejectForm(request.POST)
    if form.is_valid():
        reject = partial(
            reject_version, _user(request), version, reason=form.cleaned_data["reason"]
        )
        if attempt(form, reject, "Você não pode recusar esta versão.") is not None:
            messages.success(request, f"Versão {version.number} recusada: não será publicada.")
            return redirect(version_url(version))
    return _render_version(request, version, reject_form=form, status=400)


@login_required
@require_POST
def version_retry(request: HttpRequest, resource_id: str, number: int) -> HttpResponse:
    """A failed version, processed again on the staff's request."""
    editor_town(request)
    version = staff_version(request, resource_id, number)
    form = forms.Form(request.POST)
    retry = partial(retry_version, _user(request), version)
    if attempt(form, retry, "Você não pode processar esta versão de novo.") is not None:
        messages.success(request, f"Versão {version.number} na fila para uma nova tentativa.")
        return redirect(version_url(version))
    for error in form.non_field_errors():
        messages.error(request, str(error))
    return redirect(version_url(version))


@login_required
@require_http_methods(["GET", "POST"])
def dictionary(request: HttpRequest, resource_id: str) -> HttpResponse:
    editor_town(request)
    resource = staff_resource(request, resource_id)
    version = resource.current_version or resource.versions.exclude(schema={}).first()
    columns = version.schema.get("fields", []) if version is not None else []
    form = DictionaryForm(request.POST or None, resource=resource, columns=columns)
    if request.method == "POST" and form.is_valid():
        save = partial(actions.update_dictionary, _user(request), resource, form.entries())
        if attempt(form, save, "Você não pode editar este dicionário.") is not None:
            messages.success(request, "Dicionário de dados salvo.")
            return redirect("pipeline:dictionary", resource.pk)
    context = {"resource": resource, "dataset": resource.dataset, "form": form, "version": version}
    return render(request, "pipeline/dictionary.html", context)
