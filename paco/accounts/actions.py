"""Writes to staff users and their roles."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from paco.accounts.models import Role, StaffMembership, User
from paco.accounts.permissions import require_role
from paco.audit.services import record
from paco.tenancy.models import Municipality, Unit


@transaction.atomic
def create_staff_user(
    actor: User | None,
    municipality: Municipality,
    *,
    username: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a staff user of ``municipality``; the password must pass the strength rules."""
    if actor is not None:
        require_role(actor, municipality, Role.ADMIN)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    validate_password(password, user)
    user.set_password(password)
    user.is_staff = True  # lets Django's admin login form accept the user
    user.full_clean()
    user.save()
    record(
        actor,
        "user.create",
        user,
        municipality=municipality,
        changes={"username": [None, username], "email": [None, email]},
    )
    return user


@transaction.atomic
def grant_role(
    actor: User | None,
    municipality: Municipality,
    user: User,
    role: Role | str,
    unit: Unit | None = None,
) -> StaffMembership:
    if actor is not None:
        require_role(actor, municipality, Role.ADMIN)
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValueError("A unidade não pertence a este município.")
    membership, _ = StaffMembership.objects.get_or_create(
        municipality=municipality, user=user, unit=unit, role=role
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    record(
        actor,
        "membership.grant",
        membership,
        municipality=municipality,
        changes={"role": [None, str(role)], "unit": [None, str(unit) if unit else None]},
    )
    return membership


@transaction.atomic
def revoke_role(actor: User | None, membership: StaffMembership) -> None:
    if actor is not None:
        require_role(actor, membership.municipality, Role.ADMIN)
    record(
        actor,
        "membership.revoke",
        membership,
        municipality=membership.municipality,
        changes={"role": [membership.role, None]},
    )
    membership.delete()
