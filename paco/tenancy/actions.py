"""Every write to municipalities and units goes through these functions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.audit.services import diff, record, snapshot
from paco.tenancy.models import Municipality, Unit, parse_hosts

#: what says which town a request is and whether it is served: installation superusers only
INSTALLATION_FIELDS = ("hosts", "slug", "ibge_code", "is_active")


def _town_snapshot(town: Municipality) -> dict[str, Any]:
    return {**snapshot(town), "hosts": town.host_list()}


@transaction.atomic
def create_municipality(actor: User | None, **fields: Any) -> Municipality:
    """Create a municipality (installation superusers and the CLI only)."""
    if actor is not None and not actor.is_superuser:
        raise PermissionDenied("Só o administrador da instalação cadastra municípios.")
    fields.setdefault("slug", slugify(fields["name"]))
    town = Municipality(**fields)
    town.full_clean()
    town.save()  # the model forgets cached host maps and pages on commit
    record(actor, "municipality.create", town, municipality=town, changes=_town_snapshot(town))
    return town


def _current(town: Municipality, name: str) -> Any:
    return town.host_list() if name == "hosts" else getattr(town, name)


def _proposed(name: str, value: Any) -> Any:
    return parse_hosts(value) if name == "hosts" else value


@transaction.atomic
def update_municipality(actor: User | None, town: Municipality, **fields: Any) -> Municipality:
    """Change a municipality's data; its addresses, slug, IBGE code and active flag
    only by an installation superuser (or the CLI)."""
    stored = Municipality.objects.select_for_update().get(pk=town.pk)
    if actor is not None:
        require_role(actor, stored, Role.ADMIN)
        reserved = [
            name
            for name in INSTALLATION_FIELDS
            if name in fields and _proposed(name, fields[name]) != _current(stored, name)
        ]
        if reserved and not actor.is_superuser:
            labels = ", ".join(reserved)
            raise PermissionDenied(
                f"Só o administrador da instalação altera endereços, identificador, "
                f"código IBGE e situação do município ({labels})."
            )
    before = _town_snapshot(stored)
    for key, value in fields.items():
        setattr(town, key, value)
    town.full_clean()
    town.save()  # the model forgets cached host maps and pages on commit
    record(actor, "municipality.update", town, changes=diff(before, _town_snapshot(town)))
    return town


@transaction.atomic
def save_unit(actor: User | None, unit: Unit, *, is_new: bool | None = None) -> Unit:
    """Create or update a unit; refuses a parent from another municipality or a cycle."""
    if actor is not None:
        require_role(actor, unit.municipality, Role.ADMIN)
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


@transaction.atomic
def delete_unit(actor: User | None, unit: Unit) -> None:
    """Delete a unit that nothing depends on (sub-units, services, datasets refuse it).

    Its roles go with it; its plan stages stay, without a unit (town-wide).
    """
    if actor is not None:
        require_role(actor, unit.municipality, Role.ADMIN)
    record(actor, "unit.delete", unit, changes=diff(snapshot(unit), {}))
    try:
        with transaction.atomic():
            unit.delete()
    except ProtectedError as exc:
        names = ", ".join(sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects}))
        raise ValidationError(
            f"A unidade “{unit}” não pode ser excluída: ainda tem {names}. "
            "Transfira-os para outra unidade antes."
        ) from exc
