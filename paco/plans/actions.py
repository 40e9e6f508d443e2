"""Every write to plans and stages goes through these functions (admin, views and CLI)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.audit.services import diff, record, snapshot
from paco.plans.dates import today_local
from paco.plans.importer import ImportFailed, ParsedPlan
from paco.plans.models import Plan, PlanKind, Stage, StageChange, Status
from paco.tenancy.models import Municipality, Unit

DEFAULT_TITLE = "Implementação da Lei nº 14.129/2021"
#: the fields staff may change on a stage, with their history kept
TRACKED_FIELDS = (
    "number",
    "description",
    "duration",
    "start",
    "deadline",
    "status",
    "observation",
    "completed_on",
    "unit",
    "ref_key",
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Unit):
        return str(value)
    return str(value)


@transaction.atomic
def import_plan(
    actor: User | None,
    town: Municipality,
    parsed: ParsedPlan,
    *,
    title: str | None = None,
    slug: str | None = None,
    kind: str = PlanKind.DIGITAL_GOVERNMENT,
    replace: bool = False,
    unit: Unit | None = None,
) -> Plan:
    """Create (or, with ``replace``, overwrite) a plan from a parsed file. All or nothing.

    Importing creates or replaces whole plans (stages of every unit), so it takes the
    municipality administrator, not a unit's plan editor.
    """
    if actor is not None:
        require_role(actor, town, Role.ADMIN)
    if parsed.errors:
        raise ImportFailed(parsed.errors)
    if unit is not None and unit.municipality_id != town.pk:
        raise ImportFailed(["A unidade responsável não pertence a este município."])
    title = title or DEFAULT_TITLE
    slug = slug or slugify(title)[:80]
    plan = Plan.objects.for_municipality(town).filter(slug=slug).first()
    if plan is not None and not replace:
        raise ImportFailed(
            [
                f"Já existe um cronograma com o identificador “{slug}”. "
                "Use --replace para substituí-lo."
            ]
        )
    if plan is None:
        plan = Plan(municipality=town, slug=slug)
        before: dict[str, Any] = {}
    else:
        before = snapshot(plan)
        removed = plan.stages.count()
        plan.stages.all().delete()
        record(actor, "plan.stages_replaced", plan, changes={"stages": [removed, 0]})
    plan.title = title
    plan.kind = kind
    plan.description = parsed.note
    plan.updated_on = parsed.updated_on or today_local()
    plan.full_clean()
    plan.save()
    record(actor, "plan.import", plan, changes=diff(before, snapshot(plan)))
    for item in parsed.stages:
        stage = Stage(
            municipality=town,
            plan=plan,
            number=item.number,
            description=item.description,
            duration=item.duration,
            start=item.start,
            deadline=item.deadline,
            status=item.status,
            observation=item.observation,
            unit=unit,
        )
        stage.full_clean()
        stage.save()
        record(actor, "stage.create", stage, changes=diff({}, snapshot(stage)))
    return plan


@transaction.atomic
def save_plan(actor: User | None, plan: Plan) -> Plan:
    """Create or change a plan's own fields (title, publication): municipality administrator."""
    if actor is not None:
        require_role(actor, plan.municipality, Role.ADMIN)
    creating = plan.pk is None
    before = {} if creating else snapshot(Plan.objects.get(pk=plan.pk))
    if not plan.slug:
        plan.slug = slugify(plan.title)[:80]
    plan.full_clean()
    plan.save()
    record(
        actor,
        "plan.create" if creating else "plan.update",
        plan,
        changes=diff(before, snapshot(plan)),
    )
    return plan


@transaction.atomic
def delete_plan(actor: User | None, plan: Plan) -> None:
    if actor is not None:
        require_role(actor, plan.municipality, Role.ADMIN)
    record(actor, "plan.delete", plan, changes=diff(snapshot(plan), {}))
    plan.delete()


def _touch_plan(plan: Plan) -> list[Any]:
    today = today_local()
    if plan.updated_on == today:
        return []
    old = plan.updated_on
    plan.updated_on = today
    plan.save(update_fields=["updated_on"])
    return [_text(old), today.isoformat()]


def _with_completion(current: Stage, fields: dict[str, Any]) -> dict[str, Any]:
    """A stage marked concluded gets today's completion date; reopened, it loses it."""
    status = fields.get("status", current.status)
    if status != Status.DONE:
        clear = current.completed_on is not None or "completed_on" in fields
        return {**fields, "completed_on": None} if clear else fields
    if current.status != Status.DONE and "completed_on" not in fields:
        return {**fields, "completed_on": today_local()}
    return fields


@transaction.atomic
def update_stage(actor: User | None, stage: Stage, **fields: Any) -> list[StageChange]:
    """Change a stage's fields, keeping one history row per changed field."""
    current = Stage.objects.select_related("unit").get(pk=stage.pk)
    if actor is not None:
        require_role(actor, stage.municipality, Role.PLAN_EDITOR, current.unit)
    unknown = set(fields) - set(TRACKED_FIELDS)
    if unknown:
        raise ValueError(f"Campos não editáveis: {', '.join(sorted(unknown))}")
    if "unit" in fields:
        new_unit = fields["unit"]
        if new_unit is not None and new_unit.municipality_id != stage.municipality_id:
            raise ValidationError("A unidade responsável deve ser do mesmo município.")
        if actor is not None:  # moving to "no unit" takes a town-wide role
            require_role(actor, stage.municipality, Role.PLAN_EDITOR, new_unit)
    fields = _with_completion(current, fields)
    before = snapshot(current)
    changed = [(n, getattr(current, n), v) for n, v in fields.items() if getattr(current, n) != v]
    for name, value in fields.items():
        setattr(stage, name, value)
    if not changed:
        return []
    stage.full_clean()
    stage.save()
    who = str(actor) if actor is not None else "sistema"
    rows = [
        StageChange.objects.create(
            municipality=stage.municipality,
            stage=stage,
            field=name,
            old_value=_text(old),
            new_value=_text(new),
            actor=actor,
            actor_repr=who,
        )
        for name, old, new in changed
    ]
    changes = diff(before, snapshot(stage))
    touched = _touch_plan(stage.plan)
    if touched:
        changes["plan.updated_on"] = touched
    record(actor, "stage.update", stage, changes=changes)
    return rows


@transaction.atomic
def create_stage(actor: User | None, stage: Stage) -> Stage:
    """Add a stage; one without a unit (town-wide) takes a town-wide plan editor."""
    if actor is not None:
        require_role(actor, stage.municipality, Role.PLAN_EDITOR, stage.unit)
    if stage.plan.municipality_id != stage.municipality_id:
        raise ValidationError("A etapa deve ser de um cronograma do mesmo município.")
    if stage.unit is not None and stage.unit.municipality_id != stage.municipality_id:
        raise ValidationError("A unidade responsável deve ser do mesmo município.")
    stage.full_clean()
    stage.save()
    record(actor, "stage.create", stage, changes=diff({}, snapshot(stage)))
    _touch_plan(stage.plan)
    return stage


@transaction.atomic
def delete_stage(actor: User | None, stage: Stage) -> None:
    """Remove a stage (the unit read fresh: a stage without a unit takes a town-wide role)."""
    stage = Stage.objects.select_related("unit", "plan", "municipality").get(pk=stage.pk)
    if actor is not None:
        require_role(actor, stage.municipality, Role.PLAN_EDITOR, stage.unit)
    record(actor, "stage.delete", stage, changes=diff(snapshot(stage), {}))
    plan = stage.plan
    stage.delete()
    _touch_plan(plan)
