"""The deadline clock shared by Atendimento and Processos — computed here and nowhere else.

INTERFACE (stable; the internals are being completed: holidays, per-town rules):

- :class:`Policy` — what a kind of case owes: days, one extension, business or
  calendar days, whether a request for information pauses the clock.
- :func:`received_on` — the effective day of receipt of a submission (after the
  town's cut-off hour or on a non-business day: the next business day).
- :func:`compute` — the due day with its explanation (:class:`Deadline`).

Counting (Lei nº 9.784/1999 art. 66, the federal default): calendar days, the
start day excluded and the last included, weekends and holidays in between
counted; a last day without office hours moves to the next business day.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from paco.plans.dates import PLAN_TIME_ZONE
from paco.tenancy.models import Municipality

#: a submission after this hour counts as received on the next business day (federal: 19h)
DEFAULT_CUTOFF_HOUR = 19


@dataclass(frozen=True)
class Policy:
    code: str
    label: str
    days: int
    extension_days: int = 0
    business_days: bool = False
    pauses_on_request_for_information: bool = True


@dataclass(frozen=True)
class Pause:
    """The clock stopped after ``start`` until ``end`` (included); ``end=None``: still stopped."""

    start: datetime.date
    end: datetime.date | None = None


@dataclass(frozen=True)
class Deadline:
    policy: Policy
    received_on: datetime.date
    due_on: datetime.date | None  # None while paused: the clock is stopped
    extended: bool = False
    paused_days: int = 0
    skipped: tuple[tuple[datetime.date, str], ...] = ()
    #: the explanation, one pt-BR sentence per step ("como este prazo foi calculado")
    steps: tuple[str, ...] = field(default_factory=tuple)


def _is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5


def received_on(town: Municipality, submitted_at: datetime.datetime) -> datetime.date:
    """The day a submission counts as received, in the municipality's time zone."""
    cutoff_hour = DEFAULT_CUTOFF_HOUR
    local = submitted_at.astimezone(PLAN_TIME_ZONE)
    day = local.date()
    if local.hour >= cutoff_hour or not _is_business_day(day):
        day += datetime.timedelta(days=1)
        while not _is_business_day(day):
            day += datetime.timedelta(days=1)
    return day


def compute(
    town: Municipality,
    policy: Policy,
    received: datetime.date,
    *,
    pauses: Sequence[Pause] = (),
    extended: bool = False,
) -> Deadline:
    """The due day of ``policy`` for a case received on ``received``."""
    days = policy.days + (policy.extension_days if extended else 0)
    paused = 0
    for pause in pauses:
        if pause.end is None:
            return Deadline(policy, received, None, extended, paused, steps=("Prazo suspenso.",))
        paused += (pause.end - pause.start).days
    last = received + datetime.timedelta(days=days + paused)
    due = last
    while not _is_business_day(due):
        due += datetime.timedelta(days=1)
    steps: tuple[str, ...] = (
        f"Recebido em {received:%d/%m/%Y}; a contagem começa no dia seguinte.",
        f"{days} dias corridos"
        + (f" e {paused} dias de suspensão" if paused else "")
        + f": {last:%d/%m/%Y}.",
    )
    if due != last:
        steps += (f"Sem expediente em {last:%d/%m/%Y}: o prazo passa para {due:%d/%m/%Y}.",)
    return Deadline(policy, received, due, extended, paused, steps=steps)
