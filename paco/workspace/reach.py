"""What a servant may reach, asked once per request.

Back-office pages used to call :func:`paco.accounts.permissions.has_role` once per
link, row and counter, which made ``/gestao/`` run over a hundred queries. A
:class:`Reach` reads the user's memberships in the town once (one query, plus one
for the unit tree when a role is limited to units) and answers every later
question from memory, with the same rules as
:func:`~paco.accounts.permissions.covered_unit_ids` (a role in a unit covers its
sub-units; the administrator holds every role; ``None`` means the whole town).

:func:`reach_for` keeps one :class:`Reach` per request, so the workspace's
navigation, the admin's permission checks and the access helpers share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from paco.accounts.models import Role, StaffMembership, User
from paco.accounts.permissions import ANYWHERE, Where, units_under
from paco.tenancy.models import Municipality, Unit


def _is_user(user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


@dataclass
class Reach:
    user: User | AnonymousUser
    town: Municipality
    _covered: dict[str, set[int] | None] = field(default_factory=dict)
    _held: list[tuple[str, int | None]] | None = None
    _parents: dict[int, int | None] | None = None
    _unit_names: dict[int, str] | None = None

    # -- what the user holds, read once ----------------------------------------------------

    def _memberships(self) -> list[tuple[str, int | None]]:
        if self._held is None:
            if not _is_user(self.user) or self.user.is_superuser:
                self._held = []
            else:
                assert isinstance(self.user, User)
                self._held = list(
                    StaffMembership.objects.filter(
                        user=self.user, municipality=self.town
                    ).values_list("role", "unit_id")
                )
        return self._held

    def _tree(self) -> dict[int, int | None]:
        if self._parents is None:
            rows = Unit.objects.for_municipality(self.town).values_list("id", "parent_id", "name")
            self._parents = {pk: parent for pk, parent, _ in rows}
            self._unit_names = {pk: name for pk, _, name in rows}
        return self._parents

    def unit_name(self, unit_id: int | None) -> str:
        if unit_id is None:
            return ""
        self._tree()
        assert self._unit_names is not None
        return self._unit_names.get(unit_id, "")

    @property
    def is_superuser(self) -> bool:
        return _is_user(self.user) and bool(self.user.is_superuser)

    @property
    def is_staff(self) -> bool:
        """Whether the user works for this town (any role) or runs the installation."""
        return self.is_superuser or bool(self._memberships())

    def roles(self) -> set[str]:
        """The roles the user holds somewhere in the town (every role for an administrator)."""
        held = {role for role, _ in self._memberships()}
        if self.is_superuser or Role.ADMIN in held:
            return {str(role) for role in Role}
        return held

    # -- the same answers as paco.accounts.permissions, from memory --------------------------

    def units(self, role: Role | str) -> set[int] | None:
        """Unit ids where the user holds ``role`` (``None``: the whole town)."""
        key = str(role)
        if key not in self._covered:
            self._covered[key] = self._compute(key)
        return self._covered[key]

    def _compute(self, role: str) -> set[int] | None:
        if not _is_user(self.user):
            return set()
        if self.user.is_superuser:
            return None
        held = {unit for r, unit in self._memberships() if r in (role, Role.ADMIN)}
        if None in held:
            return None
        if not held:
            return set()
        return units_under({u for u in held if u is not None}, self._tree())

    def has(self, role: Role | str, unit: Where = ANYWHERE) -> bool:
        """Same answer as :func:`~paco.accounts.permissions.has_role`, from memory."""
        covered = self.units(role)
        if covered is None:
            return True
        if unit is ANYWHERE:
            return bool(covered) and role != Role.ADMIN
        if unit is None:
            return False
        assert isinstance(unit, Unit)
        return unit.pk in covered

    def has_unit_id(self, role: Role | str, unit_id: int | None) -> bool:
        covered = self.units(role)
        if covered is None:
            return True
        return unit_id is not None and unit_id in covered


def reach_for(request: HttpRequest) -> Reach:
    """The request's :class:`Reach` (one per request and user)."""
    town: Municipality | None = getattr(request, "municipality", None)
    if town is None:
        raise ValueError("Requisição sem município.")
    cached: Reach | None = getattr(request, "_paco_reach", None)
    if cached is None or cached.user is not request.user or cached.town is not town:
        cached = Reach(request.user, town)
        request._paco_reach = cached  # type: ignore[attr-defined]
    return cached
