"""A case's deadline as the shared clock computes it now, with its explanation (a read).

``deadline_of(case)`` gives the :class:`paco.deadlines.clock.Deadline` a case page shows
in ``deadlines/_explanation.html``; :mod:`paco.atendimento.deadline_actions` stores its
``due_on`` when the town's calendar changes. Pass one ``calendar`` for many cases (and
prefetch ``pauses``): the computation then runs no query.
"""

from __future__ import annotations

from paco.atendimento.models import Case
from paco.atendimento.policies import policy_for
from paco.deadlines import clock
from paco.deadlines.calendar import Calendar


def pauses_of(case: Case, policy: clock.Policy) -> list[clock.Pause]:
    """The clock's stops, when ``policy`` lets a request for information stop it."""
    if not policy.pauses_on_request_for_information:
        return []
    return [clock.Pause(p.started_on, p.ended_on) for p in case.pauses.all()]


def deadline_of(case: Case, *, calendar: Calendar | None = None) -> clock.Deadline | None:
    """The case's deadline (``None`` for a service whose Carta sets no clock)."""
    policy = policy_for(case.kind, case.service)
    if policy is None:
        return None
    return clock.compute(
        case.municipality,
        policy,
        case.received_on,
        pauses=pauses_of(case, policy),
        extended=case.extended_at is not None,
        calendar=calendar,
        submitted_at=case.submitted_at,
    )
