"""Public plan page, its exports, and the staff stage editor."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from paco.accounts.models import Role
from paco.accounts.permissions import covered_unit_ids, has_role, refuse
from paco.core import csvsafe
from paco.core.cache import public_page
from paco.plans import actions, exports, timeline
from paco.plans.dates import today_local
from paco.plans.forms import PlanImportForm, StageUpdateForm
from paco.plans.importer import ImportFailed, parse_file
from paco.plans.models import Plan, Stage, StageChange
from paco.tenancy.access import current_municipality, get_for_request
from paco.workspace.reach import reach_for


def _plan(request: HttpRequest, slug: str | None) -> Plan:
    town = current_municipality(request)
    plans = Plan.objects.for_municipality(town).public()
    plan = plans.filter(slug=slug).first() if slug else plans.main_first().first()
    if plan is None:
        raise Http404("Cronograma não encontrado.")
    return plan


def _stages(plan: Plan) -> list[Stage]:
    return list(
        Stage.objects.for_municipality(plan.municipality)
        .filter(plan=plan)
        .select_related("unit")
        .order_by("number")
    )


def _today(request: HttpRequest) -> datetime.date:
    return today_local()


@public_page
def plan_page(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    town = current_municipality(request)
    try:
        plan = _plan(request, slug)
    except Http404:
        if slug:
            raise
        can_import = has_role(request.user, town, Role.ADMIN)
        return render(request, "plans/no_plan.html", {"can_import": can_import})
    today = _today(request)
    stages = _stages(plan)
    summary = Stage.objects.for_municipality(plan.municipality).filter(plan=plan).summary(today)
    rows = [(s, s.days_overdue(today)) for s in stages]
    context: dict[str, Any] = {
        "plan": plan,
        "rows": rows,
        "summary": summary,
        "today": today,
        "chart": timeline.build(stages, today),
        "export_base": request.path if slug else "/cronograma",
        "slugged": bool(slug),
    }
    # only the stages the servant's role covers get an "Editar" link (one Reach, no per-row query)
    editable: set[int] = set()
    if request.user.is_authenticated:
        reach = reach_for(request)
        editable = {s.pk for s in stages if reach.has_unit_id(Role.PLAN_EDITOR, s.unit_id)}
        context["can_import"] = reach.has(Role.ADMIN)
    context["can_edit"] = bool(editable)
    context["editable"] = editable
    return render(request, "plans/plan.html", context)


def _export_name(plan: Plan, ext: str) -> str:
    return f"cronograma-{plan.slug}.{ext}"


@public_page
def export_json(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    plan = _plan(request, slug)
    data = exports.as_json(plan, _stages(plan), _today(request))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@public_page
def export_csv(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    plan = _plan(request, slug)
    excel = csvsafe.wants_excel(request)
    response = HttpResponse(
        exports.as_csv(_stages(plan), _today(request), excel=excel),
        content_type="text/csv; charset=utf-8",
    )
    name = _export_name(plan, "csv")
    if excel:
        name = name.removesuffix(".csv") + "-excel.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@public_page
def export_ics(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    plan = _plan(request, slug)
    host = request.get_host().split(":", 1)[0]
    body = exports.as_ics(plan, _stages(plan), host, timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(plan, "ics")}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_for_request(request, Stage, pk=pk)
    if not has_role(request.user, stage.municipality, Role.PLAN_EDITOR, stage.unit):
        refuse(request.user, stage.municipality, Role.PLAN_EDITOR, stage.unit)
    units = covered_unit_ids(request.user, stage.municipality, Role.PLAN_EDITOR)
    form = StageUpdateForm(request.POST or None, instance=stage, units=units)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        changes = actions.update_stage(request.user, stage, **fields)  # type: ignore[arg-type]
        if changes:
            messages.success(request, f"Etapa {stage.number} atualizada.")
        else:
            messages.info(request, "Nada foi alterado.")
        return redirect("plans:stage_history", pk=stage.pk)
    return render(request, "plans/stage_edit.html", {"stage": stage, "form": form})


def stage_history(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_for_request(request, Stage, pk=pk)
    if not stage.plan.is_public and not has_role(
        request.user, stage.municipality, Role.PLAN_EDITOR, stage.unit
    ):
        raise Http404("Etapa não encontrada.")
    staff = has_role(request.user, stage.municipality, Role.PLAN_EDITOR, stage.unit)
    changes = StageChange.objects.for_municipality(stage.municipality).filter(stage=stage)
    if not staff:
        changes = changes.public_fields()
    context = {
        "stage": stage,
        "changes": list(changes.select_related("actor")),
        "staff": staff,
        "today": _today(request),
        "days_overdue": stage.days_overdue(_today(request)),
    }
    return render(request, "plans/stage_history.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest) -> HttpResponse:
    """Staff upload of a published schedule; errors are listed and nothing is saved."""
    town = current_municipality(request)
    if not has_role(request.user, town, Role.ADMIN):
        raise PermissionDenied("Só o administrador do município importa cronogramas.")
    form = PlanImportForm(request.POST or None, request.FILES or None, town=town)
    errors: list[str] = []
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = parse_file(upload.read(), upload.name)
        warnings = parsed.warnings
        try:
            plan = actions.import_plan(
                request.user,  # type: ignore[arg-type]
                town,
                parsed,
                title=form.cleaned_data["title"] or None,
                kind=form.cleaned_data["kind"],
                replace=form.cleaned_data["replace"],
                unit=form.cleaned_data["unit"],
            )
        except ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(
                request, f"Cronograma “{plan.title}” importado: {len(parsed.stages)} etapas."
            )
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("plans:detail", slug=plan.slug)
    context = {"form": form, "errors": errors, "warnings": warnings}
    return render(request, "plans/plan_import.html", context, status=422 if errors else 200)
