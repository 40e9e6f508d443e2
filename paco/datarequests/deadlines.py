"""The deadlines of a request to open a database — delegated to the shared clock.

Lei nº 12.527/2011 (LAI), applied to art. 30 of Lei nº 14.129/2021:

- answer within **20 days** of receipt (art. 11 §1), extendable **once by 10 days**
  with a justification given to the requester (art. 11 §2);
- **appeal within 10 days** of the answer (art. 15), decided by the higher
  authority within **5 days** (art. 15, sole paragraph).

Counting is :mod:`paco.deadlines.clock`'s: **calendar days** (Lei nº 9.784/1999 art. 66),
the first day excluded and the last included, so a request received on 1 March is due
on 21 March; a deadline that falls on a day without office hours — a weekend, a national
or state holiday, or one of the town's own holidays — moves to the next business day
(art. 66 §1), and the town's own rules (``ClockSettings``) apply. Without ``town`` the
national calendar and the federal rules are used. The start day is the request's date
in the municipality's time zone (no cut-off hour here: the form's behaviour is kept).
"""

from __future__ import annotations

import datetime

from paco.deadlines import clock
from paco.deadlines.calendar import Calendar
from paco.plans.dates import PLAN_TIME_ZONE
from paco.tenancy.models import Municipality

ANSWER_DAYS = 20
EXTENSION_DAYS = 10
APPEAL_WINDOW_DAYS = 10
APPEAL_ANSWER_DAYS = 5

ANSWER = clock.Policy(
    "dados", "Abertura de base (Lei 14.129, art. 30)", ANSWER_DAYS, EXTENSION_DAYS
)
APPEAL_WINDOW = clock.Policy("recurso-prazo", "Prazo para recorrer (LAI, art. 15)", 10)
APPEAL_ANSWER = clock.Policy("recurso-decisao", "Decisão do recurso (LAI, art. 15)", 5)


def _calendar(town: Municipality | None) -> Calendar:
    return Calendar.for_town(town) if town is not None else Calendar.national()


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar date of ``moment`` where the municipality is."""
    return moment.astimezone(PLAN_TIME_ZONE).date()


def roll_to_workday(day: datetime.date, *, town: Municipality | None = None) -> datetime.date:
    """A day without office hours moves to the next business day (Lei 9.784 art. 66 §1)."""
    return _calendar(town).roll_forward(day)


def add_days(start: datetime.date, days: int, *, town: Municipality | None = None) -> datetime.date:
    """``days`` calendar days after ``start`` (start excluded, end included), on a workday."""
    policy = clock.Policy("dias", f"{days} dias", days)
    return _due(policy, start, town=town)


def _due(
    policy: clock.Policy,
    start: datetime.date,
    *,
    town: Municipality | None,
    extended: bool = False,
) -> datetime.date:
    cal = _calendar(town)
    deadline = clock.compute(cal.town, policy, start, extended=extended, calendar=cal)
    assert deadline.due_on is not None  # no pauses here
    return deadline.due_on


def answer_due(
    received_on: datetime.date, *, extended: bool = False, town: Municipality | None = None
) -> datetime.date:
    """When the answer is due: 20 days, or 30 once extended (counted from receipt)."""
    return _due(ANSWER, received_on, town=town, extended=extended)


def appeal_deadline(
    answered_on: datetime.date, *, town: Municipality | None = None
) -> datetime.date:
    """Last day the requester may appeal against the answer."""
    return _due(APPEAL_WINDOW, answered_on, town=town)


def appeal_answer_due(
    appealed_on: datetime.date, *, town: Municipality | None = None
) -> datetime.date:
    """When the higher authority must decide the appeal."""
    return _due(APPEAL_ANSWER, appealed_on, town=town)
