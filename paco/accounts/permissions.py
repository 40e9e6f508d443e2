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


def covered_unit_ids(
    user: User | AnonymousUser | None, municipality: Municipality, role: Role | str
) -> set[int] | None:
    """The ids of the units where ``user`` holds ``role``, sub-units included.

    ``None`` means the whole municipality (a membership without a unit, the
    administrator, or an installation superuser); an empty set means nowhere.
    Two queries whatever the depth of the unit tree, so list pages and choice
    lists can ask once instead of once per unit.
    """
    if not _is_user(user):
        return set()
    assert isinstance(user, User)
    if user.is_superuser:
        return None
    held = set(
        StaffMembership.objects.filter(
            user=user, municipality=municipality, role__in=[role, Role.ADMIN]
        ).values_list("unit_id", flat=True)
    )
    if None in held:
        return None
    if not held:
        return set()
    parents = dict(Unit.objects.for_municipality(municipality).values_list("id", "parent_id"))
    covered: set[int] = set()
    for unit_id in parents:
        node: int | None = unit_id
        seen: set[int] = set()
        while node is not None and node not in seen:
            if node in held:
                covered.add(unit_id)
                break
            seen.add(node)
            node = parents.get(node)
    return covered


def has_role(
    user: User | AnonymousUser | None,
    municipality: Municipality,
    role: Role | str,
    unit: Unit | None = None,
) -> bool:
    """Whether ``user`` holds ``role`` for ``unit`` — or, without a unit, anywhere."""
    covered = covered_unit_ids(user, municipality, role)
    if covered is None:
        return True
    if unit is None:
        return bool(covered) and role != Role.ADMIN
    return unit.pk in covered


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
