"""What a servant may reach, asked once per request.

Back-office pages used to call :func:`paco.accounts.permissions.has_role` once per
link, row and counter, which made ``/gestao/`` run over a hundred queries. A
:class:`Reach` asks :func:`~paco.accounts.permissions.covered_unit_ids` at most once
per role and answers every later question from memory, with the same rules
(a role in a unit covers its sub-units; ``None`` means the whole town).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from paco.accounts.models import Role, User
from paco.accounts.permissions import ANYWHERE, Where, covered_unit_ids
from paco.tenancy.models import Municipality, Unit


@dataclass
class Reach:
    user: User | AnonymousUser
    town: Municipality
    _covered: dict[str, set[int] | None] = field(default_factory=dict)

    def units(self, role: Role | str) -> set[int] | None:
        """Unit ids where the user holds ``role`` (``None``: the whole town)."""
        key = str(role)
        if key not in self._covered:
            self._covered[key] = covered_unit_ids(self.user, self.town, role)
        return self._covered[key]

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
