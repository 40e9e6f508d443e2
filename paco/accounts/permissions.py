"""Who may do what: the one place role checks live.

``has_role`` answers for a municipality and, optionally, a unit. The
municipality administrator holds every role. A role held in a unit covers its
sub-units. Superusers of the installation hold every role everywhere.

The ``unit`` argument says *where* the act happens:

- left out (:data:`ANYWHERE`): "does the user hold the role in some unit?" — to
  show a menu or a list;
- a :class:`Unit`: the role must cover that unit;
- ``None``: the record has no unit (a town-wide category, a stage without a
  unit, a request not yet assigned), so only a **town-wide** role will do.

Callers pass the record's unit as it is (``stage.unit``), so a record without a
unit can never be changed, deleted or created by someone whose role is limited
to some units, and nobody moves a record to "no unit" without a town-wide role.
"""

from __future__ import annotations

from enum import Enum
from typing import Final, Literal, NoReturn

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from paco.accounts.models import Role, StaffMembership, User
from paco.tenancy.models import Municipality, Unit


class _Anywhere(Enum):
    ANYWHERE = "anywhere"


#: ``has_role(..., unit=ANYWHERE)``: the role held in at least one unit (the default)
ANYWHERE: Final = _Anywhere.ANYWHERE
Where = Unit | None | Literal[_Anywhere.ANYWHERE]


def _is_user(user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def units_under(held: set[int], parents: dict[int, int | None]) -> set[int]:
    """The units in ``held`` and every unit below them, given each unit's parent.

    The one rule of "a role held in a unit covers its sub-units", shared by
    :func:`covered_unit_ids` and :class:`paco.workspace.reach.Reach`.
    """
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
    return units_under(held, parents)


def has_role(
    user: User | AnonymousUser | None,
    municipality: Municipality,
    role: Role | str,
    unit: Where = ANYWHERE,
) -> bool:
    """Whether ``user`` holds ``role`` for ``unit``: see the module's docstring."""
    covered = covered_unit_ids(user, municipality, role)
    if covered is None:
        return True
    if unit is ANYWHERE:
        return bool(covered) and role != Role.ADMIN
    if unit is None:
        return False  # a record without a unit needs a town-wide role
    return unit.pk in covered


def has_town_wide_role(
    user: User | AnonymousUser | None, municipality: Municipality, role: Role | str
) -> bool:
    """Whether ``user`` holds ``role`` for the whole municipality (not only some units)."""
    return covered_unit_ids(user, municipality, role) is None


def is_staff_of(user: User | AnonymousUser | None, municipality: Municipality) -> bool:
    if not _is_user(user):
        return False
    assert isinstance(user, User)
    return (
        user.is_superuser
        or StaffMembership.objects.filter(user=user, municipality=municipality).exists()
    )


def missing_role_reason(role: Role | str, unit: Where = ANYWHERE) -> str:
    """Why a page or an act is refused, in pt-BR ("Você não tem o papel … na unidade X")."""
    label = Role(role).label if role in Role.values else str(role)
    if role == Role.ADMIN:
        return f"Esta página é do papel {label}, que você não tem."
    if unit is ANYWHERE:
        return f"Você não tem o papel {label} em nenhuma unidade deste município."
    if unit is None:
        return (
            f"Registros sem unidade (que valem para todo o município) só podem ser "
            f"alterados por quem tem o papel {label} no município inteiro."
        )
    return f"Você não tem o papel {label} na unidade {unit.name}."


def refuse(
    user: User | AnonymousUser | None,
    municipality: Municipality,
    role: Role | str,
    unit: Where = ANYWHERE,
    *,
    not_found: str = "Página não encontrada.",
) -> NoReturn:
    """Deny a page: 403 with the reason to the town's own staff, 404 to everyone else.

    A servant who follows a link inside their own town learns which role they lack;
    a citizen, or staff of another town, learns nothing (tenancy: 404).
    """
    if is_staff_of(user, municipality):
        raise PermissionDenied(missing_role_reason(role, unit))
    raise Http404(not_found)


def require_role(
    user: User | AnonymousUser | None,
    municipality: Municipality,
    role: Role | str,
    unit: Where = ANYWHERE,
) -> None:
    if not has_role(user, municipality, role, unit):
        if unit is None and has_role(user, municipality, role):
            raise PermissionDenied(missing_role_reason(role, None))
        raise PermissionDenied(missing_role_reason(role, unit))
