"""Every write to municipalities and units goes through these functions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.audit.services import diff, record, snapshot
from paco.tenancy.middleware import forget_hosts
from paco.tenancy.models import Municipality, Unit


@transaction.atomic
def create_municipality(actor: User | None, **fields: Any) -> Municipality:
    """Create a municipality (installation superusers and the CLI only)."""
    if actor is not None and not actor.is_superuser:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("Só o administrador da instalação cadastra municípios.")
    fields.setdefault("slug", slugify(fields["name"]))
    town = Municipality(**fields)
    town.full_clean()
    town.save()
    record(actor, "municipality.create", town, municipality=town, changes=snapshot(town))
    transaction.on_commit(forget_hosts)
    return town


@transaction.atomic
def update_municipality(actor: User, town: Municipality, **fields: Any) -> Municipality:
    require_role(actor, town, Role.ADMIN)
    before = snapshot(town)
    for key, value in fields.items():
        setattr(town, key, value)
    town.full_clean()
    town.save()
    record(actor, "municipality.update", town, changes=diff(before, snapshot(town)))
    transaction.on_commit(forget_hosts)
    return town


@transaction.atomic
def save_unit(actor: User | None, unit: Unit, *, is_new: bool | None = None) -> Unit:
    """Create or update a unit; refuses a parent from another municipality or a cycle."""
    if actor is not None:
        require_role(actor, unit.municipality, Role.ADMIN)
    from django.core.exceptions import ValidationError

    if unit.parent is not None:
        if unit.parent.municipality_id != unit.municipality_id:
            raise ValidationError("A unidade superior deve ser do mesmo município.")
        if unit.pk is not None and unit.pk in {
            unit.parent.pk,
            *(u.pk for u in unit.parent.ancestors()),
        }:
            raise ValidationError("Uma unidade não pode ficar abaixo dela mesma.")
    if not unit.slug:
        unit.slug = slugify(unit.acronym or unit.name)[:80]
    creating = unit.pk is None if is_new is None else is_new
    before = {} if creating else snapshot(Unit.objects.get(pk=unit.pk))
    unit.full_clean()
    unit.save()
    record(
        actor,
        "unit.create" if creating else "unit.update",
        unit,
        changes=diff(before, snapshot(unit)),
    )
    return unit
