"""Who may do what: the one place role checks live.

``has_role`` answers for a municipality and, optionally, a unit. The
municipality administrator holds every role. A role held in a unit covers its
sub-units. Superusers of the installation hold every role everywhere.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from paco.accounts.models import Role, StaffMembership, User
from paco.tenancy.models import Municipality, Unit


def _is_user(user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def has_role(
    user: User | AnonymousUser | None,
    municipality: Municipality,
    role: Role | str,
    unit: Unit | None = None,
) -> bool:
    if not _is_user(user):
        return False
    assert isinstance(user, User)
    if user.is_superuser:
        return True
    memberships = StaffMembership.objects.filter(
        user=user, municipality=municipality, role__in=[role, Role.ADMIN]
    ).values_list("unit_id", flat=True)
    units = set(memberships)
    if None in units:
        return True
    if unit is None:
        return bool(units) and role != Role.ADMIN
    chain = {unit.pk, *(u.pk for u in unit.ancestors())}
    return bool(units & chain)


def is_staff_of(user: User | AnonymousUser | None, municipality: Municipality) -> bool:
    if not _is_user(user):
        return False
    assert isinstance(user, User)
    return (
        user.is_superuser
        or StaffMembership.objects.filter(user=user, municipality=municipality).exists()
    )


def require_role(
    user: User | AnonymousUser | None,
    municipality: Municipality,
    role: Role | str,
    unit: Unit | None = None,
) -> None:
    if not has_role(user, municipality, role, unit):
        raise PermissionDenied("Você não tem permissão para esta operação.")
