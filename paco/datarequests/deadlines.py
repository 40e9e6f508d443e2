"""The deadlines of a request to open a database — computed here and nowhere else.

Lei nº 12.527/2011 (LAI), applied to art. 30 of Lei nº 14.129/2021:

- answer within **20 days** of receipt (art. 11 §1), extendable **once by 10 days**
  with a justification given to the requester (art. 11 §2);
- **appeal within 10 days** of the answer (art. 15), decided by the higher
  authority within **5 days** (art. 15, sole paragraph).

Counting (the choice, documented): **calendar days** ("dias corridos", as the CGU
counts LAI deadlines), following Lei nº 9.784/1999 art. 66: the first day is
excluded and the last included, so a request received on 1 March is due on
21 March; a deadline that falls on a Saturday or Sunday moves to the next Monday
(art. 66 §1). Municipal and national holidays are **not** known to Paço, so a
deadline on a holiday is not moved: the town answers one day early at worst.
The start day is the request's date in the municipality's time zone.
"""

from __future__ import annotations

import datetime

from paco.plans.dates import PLAN_TIME_ZONE

ANSWER_DAYS = 20
EXTENSION_DAYS = 10
APPEAL_WINDOW_DAYS = 10
APPEAL_ANSWER_DAYS = 5


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar date of ``moment`` where the municipality is."""
    return moment.astimezone(PLAN_TIME_ZONE).date()


def roll_to_workday(day: datetime.date) -> datetime.date:
    """Saturday and Sunday move to the following Monday (Lei 9.784 art. 66 §1)."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def add_days(start: datetime.date, days: int) -> datetime.date:
    """``days`` calendar days after ``start`` (start excluded, end included), on a workday."""
    return roll_to_workday(start + datetime.timedelta(days=days))


def answer_due(received_on: datetime.date, *, extended: bool = False) -> datetime.date:
    """When the answer is due: 20 days, or 30 once extended (counted from receipt)."""
    return add_days(received_on, ANSWER_DAYS + (EXTENSION_DAYS if extended else 0))


def appeal_deadline(answered_on: datetime.date) -> datetime.date:
    """Last day the requester may appeal against the answer."""
    return add_days(answered_on, APPEAL_WINDOW_DAYS)


def appeal_answer_due(appealed_on: datetime.date) -> datetime.date:
    """When the higher authority must decide the appeal."""
    return add_days(appealed_on, APPEAL_ANSWER_DAYS)
