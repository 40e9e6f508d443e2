"""The one write that moves open cases' deadlines when the town's calendar or rules change.

Called by :mod:`paco.atendimento.receivers` on :data:`paco.deadlines.signals.calendar_changed`
(after the holiday's transaction committed). Each moved case gets its new ``due_on``, a
public ``deadline_moved`` event in its timeline ("Prazo alterado de X para Y: feriado
municipal «Nome» incluído") and an audit entry. The receipt day never changes: the
receipt the citizen holds stays true.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.atendimento.deadline import deadline_of
from paco.atendimento.models import Case, CaseEvent
from paco.audit.services import record
from paco.deadlines.calendar import ONE_DAY, Calendar
from paco.plans.dates import PLAN_TIME_ZONE
from paco.tenancy.models import Municipality


def _affected(town: Municipality, dates: Sequence[datetime.date] | None) -> list[Case]:
    cases = (
        Case.objects.for_municipality(town)
        .open()
        .exclude(policy="")
        .filter(due_on__isnull=False)
        .select_related("service", "municipality")
        .prefetch_related("pauses")
    )
    if dates:
        # a day can move a deadline only if it lies between the submission and the due day
        after_last = datetime.datetime.combine(
            max(dates) + ONE_DAY, datetime.time(), PLAN_TIME_ZONE
        )
        cases = cases.filter(due_on__gte=min(dates), submitted_at__lt=after_last)
    return list(cases.order_by("pk"))


@transaction.atomic
def move_deadlines(
    town: Municipality,
    dates: Sequence[datetime.date] | None,
    *,
    reason: str,
    actor: User | None = None,
) -> list[Case]:
    """Recompute the due day of the town's open cases ``dates`` may affect (``None``: all);
    returns the cases whose deadline moved."""
    if actor is not None:
        require_role(actor, town, Role.ADMIN, None)
    calendar = Calendar.for_town(town)
    now = timezone.now()
    moved: list[Case] = []
    events: list[CaseEvent] = []
    for case in _affected(town, dates):
        deadline = deadline_of(case, calendar=calendar)
        if deadline is None or deadline.due_on is None or deadline.due_on == case.due_on:
            continue
        old, case.due_on, case.modified_at = case.due_on, deadline.due_on, now
        assert old is not None
        moved.append(case)
        events.append(
            CaseEvent(
                municipality=town,
                case=case,
                at=now,
                code="deadline_moved",
                public=True,
                unit=case.unit,
                actor=actor,
                text=f"Prazo alterado de {old:%d/%m/%Y} para {case.due_on:%d/%m/%Y}: {reason}",
                data={
                    "from": old.isoformat(),
                    "to": case.due_on.isoformat(),
                    "steps": list(deadline.steps),
                },
            )
        )
    if not moved:
        return moved
    Case.objects.bulk_update(moved, ["due_on", "modified_at"])
    CaseEvent.objects.bulk_create(events)
    for case, event in zip(moved, events, strict=True):
        record(
            actor,
            "case.deadline_moved",
            case,
            changes={"due_on": [event.data["from"], event.data["to"]], "motivo": reason},
        )
    return moved
