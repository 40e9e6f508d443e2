"""Who is told about a unit's queue: the servants whose role covers the unit.

Same rules as :func:`paco.accounts.permissions.covered_unit_ids` (a role in a unit
covers its sub-units; a membership without a unit, or the administrator's, covers
the whole town), computed for every servant of the town at once: two queries.
"""

from __future__ import annotations

from collections import defaultdict

from paco.accounts.models import Role, StaffMembership, User
from paco.accounts.permissions import units_under
from paco.tenancy.models import Municipality, Unit

#: the role whose holders handle each kind of work item (``WorkItem.kind``)
QUEUE_ROLES: dict[str, Role] = {
    "case": Role.ATTENDANT,
    "data_request": Role.DATA_EDITOR,
    "version_review": Role.DATA_EDITOR,
    "dataset_update": Role.DATA_EDITOR,
    "plan_stage": Role.PLAN_EDITOR,
}

#: the queues a unit may have, in pt-BR, for the administrator's overview
QUEUE_LABELS: dict[Role, str] = {
    Role.ATTENDANT: "Atendimento (serviços, e-SIC e ouvidoria da unidade)",
    Role.OMBUDSMAN: "Ouvidoria (todas as manifestações)",
    Role.DATA_EDITOR: "Dados abertos (pedidos de abertura, versões, atualizações)",
    Role.PLAN_EDITOR: "Cronograma (etapas do plano)",
}


class Coverage:
    """Every servant's reach in one town for one role, asked once."""

    def __init__(self, town: Municipality, role: Role | str) -> None:
        self.town = town
        self.role = str(role)
        self.parents: dict[int, int | None] = dict(
            Unit.objects.for_municipality(town).values_list("id", "parent_id")
        )
        held: dict[int, set[int | None]] = defaultdict(set)
        for user_id, unit_id in StaffMembership.objects.filter(
            municipality=town,
            role__in=[self.role, Role.ADMIN],
            user__is_active=True,
        ).values_list("user_id", "unit_id"):
            held[user_id].add(unit_id)
        self.held = dict(held)
        #: per servant, the units their role covers (sub-units included), computed on first use
        self._below: dict[int, set[int]] = {}

    def covers(self, user_id: int, unit_id: int | None) -> bool:
        units = self.held.get(user_id, set())
        if None in units:
            return True
        if unit_id is None:
            return False
        if user_id not in self._below:
            held = {unit for unit in units if unit is not None}
            self._below[user_id] = units_under(held, self.parents)
        return unit_id in self._below[user_id]

    def servants(self, unit_id: int | None) -> set[int]:
        """Ids of the servants who handle ``unit_id``'s queue (``None``: the town-wide queue)."""
        return {user_id for user_id in self.held if self.covers(user_id, unit_id)}


def servants_of(town: Municipality) -> list[User]:
    """Every active servant holding some role in ``town``, by name."""
    ids = StaffMembership.objects.filter(municipality=town).values("user_id")
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "username"))
