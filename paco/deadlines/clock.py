"""The deadline clock shared by Atendimento and Processos — computed here and nowhere else.

INTERFACE (stable):

- :class:`Policy` — what a kind of case owes: days, one extension, business or
  calendar days, whether a request for information pauses the clock.
- :func:`received_on` — the effective day of receipt of a submission (from the town's
  cut-off hour on, or on a day without office hours: the next business day);
  :func:`receipt` gives the same with the reason.
- :func:`compute` — the due day with its explanation (:class:`Deadline`, ``steps`` in pt-BR).
- :func:`citizen_due_on` — the citizen's last day to answer a request for information.

Every function takes an optional ``calendar`` (:class:`paco.deadlines.calendar.Calendar`,
two queries to load): pass one when computing many deadlines of a town.

Counting (Lei nº 9.784/1999 art. 66, the federal default): calendar days, the start day
excluded and the last included, weekends and holidays in between counted; a last day
without office hours moves to the next business day (§1). The town may choose "first and
last day must be business days" (some state decrees); a policy may count business days
(a service whose own rule says so). An extension counts from the legal due day (the last
day of the count, before rolling) unless the town chose the rolled day.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from paco.deadlines.calendar import ONE_DAY, WEEKDAYS, Calendar, day_label
from paco.deadlines.models import DEFAULT_CUTOFF_HOUR, CountingRule, ExtensionFrom
from paco.plans.dates import PLAN_TIME_ZONE
from paco.tenancy.models import Municipality

__all__ = [
    "DEFAULT_CUTOFF_HOUR",
    "Deadline",
    "Pause",
    "Policy",
    "Receipt",
    "citizen_due_on",
    "compute",
    "receipt",
    "received_on",
]


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
    #: holidays that moved a day (receipt, first day, last day) or were not counted (business
    #: days), by name
    skipped: tuple[tuple[datetime.date, str], ...] = ()
    #: the explanation, one pt-BR sentence per step ("como este prazo foi calculado")
    steps: tuple[str, ...] = field(default_factory=tuple)
    #: the first day counted
    counted_from: datetime.date | None = None
    #: the last day of the count before a roll to a business day (the "legal" due day)
    legal_due_on: datetime.date | None = None
    #: the due day without the extension
    original_due_on: datetime.date | None = None
    #: days owed in all (with the extension, when granted)
    days: int = 0
    #: while paused: the days left when the clock restarts
    remaining_days: int | None = None
    #: holidays inside the counted period (counted as calendar days), by name
    holidays_in_period: tuple[tuple[datetime.date, str], ...] = ()
    counting_rule: str = CountingRule.CALENDAR
    extension_from: str = ExtensionFrom.LEGAL_DUE

    @property
    def paused(self) -> bool:
        return self.due_on is None


@dataclass(frozen=True)
class Receipt:
    """When a submission counts as received, and why."""

    submitted_at: datetime.datetime  # local time
    day: datetime.date
    cutoff_hour: int
    after_cutoff: bool
    #: the days without office hours between submission and receipt, with the reason
    closed: tuple[tuple[datetime.date, str], ...] = ()

    @property
    def moved(self) -> bool:
        return self.day != self.submitted_at.date()

    def steps(self) -> tuple[str, ...]:
        local = self.submitted_at
        sent = f"Enviado em {day_label(local.date())}, às {local:%H:%M}"
        if not self.moved:
            return (f"{sent}, antes das {self.cutoff_hour}h: recebido no mesmo dia.",)
        if self.after_cutoff:
            why = (
                f"a partir das {self.cutoff_hour}h (horário de corte do município): "
                "conta como recebido no próximo dia útil."
            )
        else:
            why = "dia sem expediente: conta como recebido no próximo dia útil."
        steps: tuple[str, ...] = (f"{sent}, {why}",)
        if self.closed:
            listed = "; ".join(f"{day:%d/%m/%Y}, {reason}" for day, reason in self.closed)
            steps += (f"Sem expediente: {listed}.",)
        return (*steps, f"Recebido em {day_label(self.day)}.")


def _calendar(town: Municipality, calendar: Calendar | None) -> Calendar:
    return calendar if calendar is not None else Calendar.for_town(town)


def receipt(
    town: Municipality, submitted_at: datetime.datetime, *, calendar: Calendar | None = None
) -> Receipt:
    """The day a submission counts as received, in the municipality's time zone, and why."""
    cal = _calendar(town, calendar)
    cutoff = cal.settings.cutoff_hour
    local = submitted_at.astimezone(PLAN_TIME_ZONE)
    day = local.date()
    after_cutoff = local.hour >= cutoff
    closed: list[tuple[datetime.date, str]] = []
    if after_cutoff or not cal.is_business_day(day):
        if not cal.is_business_day(day):
            closed.append((day, cal.why_closed(day)))
        day += ONE_DAY
        while not cal.is_business_day(day):
            closed.append((day, cal.why_closed(day)))
            day += ONE_DAY
    return Receipt(local, day, cutoff, after_cutoff and day != local.date(), tuple(closed))


def received_on(
    town: Municipality, submitted_at: datetime.datetime, *, calendar: Calendar | None = None
) -> datetime.date:
    """The day a submission counts as received, in the municipality's time zone."""
    return receipt(town, submitted_at, calendar=calendar).day


def citizen_due_on(
    town: Municipality, asked_on: datetime.date, *, calendar: Calendar | None = None
) -> datetime.date:
    """The citizen's last day to answer a request for information sent on ``asked_on``
    (the town's number of calendar days, default 20; a last day without office hours
    moves to the next business day)."""
    cal = _calendar(town, calendar)
    days = cal.settings.citizen_answer_days
    return cal.roll_forward(asked_on + datetime.timedelta(days=days))


# --- counting ---------------------------------------------------------------------------
@dataclass
class _Count:
    first: datetime.date | None = None
    last: datetime.date | None = None  # None: a pause still open stopped the count
    counted: int = 0
    paused_days: int = 0
    stopped_on: datetime.date | None = None
    skipped: list[tuple[datetime.date, str]] = field(default_factory=list)


def _pause_at(day: datetime.date, pauses: Sequence[Pause]) -> Pause | None:
    for pause in pauses:
        if pause.start < day and (pause.end is None or day <= pause.end):
            return pause
    return None


def _count(
    cal: Calendar,
    start: datetime.date,
    days: int,
    *,
    business: bool,
    first_on_business_day: bool,
    pauses: Sequence[Pause],
) -> _Count:
    """Count ``days`` days after ``start`` (excluded)."""
    result = _Count()
    day = start
    while result.counted < days:
        day += ONE_DAY
        pause = _pause_at(day, pauses)
        if pause is not None:
            if pause.end is None:
                result.stopped_on = pause.start
                return result
            result.paused_days += 1
            continue
        if (business or (result.first is None and first_on_business_day)) and (
            not cal.is_business_day(day)
        ):
            off = cal.day_off(day)
            if off is not None:
                result.skipped.append((day, off.name))
            continue
        if result.first is None:
            result.first = day
        result.counted += 1
    result.last = day
    return result


def _roll(
    cal: Calendar, last: datetime.date, skipped: list[tuple[datetime.date, str]]
) -> tuple[datetime.date, list[tuple[datetime.date, str]]]:
    """The due day for a count ending on ``last``, and the closed days passed on the way."""
    closed: list[tuple[datetime.date, str]] = []
    due = last
    while not cal.is_business_day(due):
        closed.append((due, cal.why_closed(due)))
        off = cal.day_off(due)
        if off is not None:
            skipped.append((due, off.name))
        due += ONE_DAY
    return due, closed


def _ordinal(n: int) -> str:
    return f"{n}º"


def _days(n: int) -> str:
    return f"{n} dia" if n == 1 else f"{n} dias"


def _last_step(
    n: int, last: datetime.date, due: datetime.date, closed: list[tuple[datetime.date, str]]
) -> str:
    if due == last:
        return f"O {_ordinal(n)} dia é {day_label(last)}."
    (_, why), others = closed[0], closed[1:]
    text = f"O {_ordinal(n)} dia é {day_label(last)}"
    text += (
        ", sem expediente"
        if last.weekday() >= 5 and why == WEEKDAYS[last.weekday()]
        else (f" ({why}), sem expediente")
    )
    if others:
        text += "; também sem expediente: " + "; ".join(
            f"{day:%d/%m/%Y}, {reason}" for day, reason in others
        )
    return (
        f"{text}: o prazo passa para o próximo dia útil, {day_label(due)} "
        "(Lei 9.784, art. 66, §1º)."
    )


def compute(
    town: Municipality,
    policy: Policy,
    received: datetime.date,
    *,
    pauses: Sequence[Pause] = (),
    extended: bool = False,
    calendar: Calendar | None = None,
    submitted_at: datetime.datetime | None = None,
) -> Deadline:
    """The due day of ``policy`` for a case received on ``received``, with its explanation.

    ``pauses``: requests for information (ignored when the policy does not pause);
    ``extended``: the one extension was granted; ``submitted_at``: when given, the
    explanation starts with the receipt (cut-off hour, days without office hours).
    """
    cal = _calendar(town, calendar)
    settings = cal.settings
    rule = settings.counting_rule
    extension_from = settings.extension_from
    if not policy.pauses_on_request_for_information:
        pauses = ()
    pauses = sorted(pauses, key=lambda p: p.start)
    business = policy.business_days
    first_on_business_day = rule == CountingRule.BUSINESS_ENDS and not business
    extended = extended and policy.extension_days > 0
    total = policy.days + (policy.extension_days if extended else 0)

    steps: list[str] = []
    if submitted_at is not None:
        steps += receipt(town, submitted_at, calendar=cal).steps()
    else:
        steps.append(f"Recebido em {day_label(received)}.")

    main = _count(
        cal,
        received,
        policy.days,
        business=business,
        first_on_business_day=first_on_business_day,
        pauses=pauses,
    )
    skipped = list(main.skipped)
    first = main.first
    if business:
        steps.append(
            f"Prazo de {_days(policy.days)} úteis ({policy.label}), contados a partir do dia "
            "seguinte ao recebimento; fins de semana e feriados não contam."
        )
    elif first_on_business_day:
        steps.append(
            f"Prazo de {_days(policy.days)} corridos ({policy.label}). Regra do município: o "
            "primeiro e o último dia da contagem devem ser dias úteis."
        )
    else:
        steps.append(
            f"Prazo de {_days(policy.days)} corridos ({policy.label}); exclui-se o dia do "
            "recebimento e inclui-se o último; fins de semana e feriados no meio do prazo "
            "contam (Lei 9.784, art. 66)."
        )
    if first is not None:
        steps.append(f"A contagem começa em {day_label(first)}.")

    def pause_steps(count: _Count) -> None:
        for pause in pauses:
            if pause.end is not None and count.paused_days:
                steps.append(
                    f"Prazo suspenso de {pause.start:%d/%m/%Y} a {pause.end:%d/%m/%Y}, à espera "
                    "de informações pedidas ao cidadão: os dias de suspensão não contam."
                )

    def stopped(count: _Count, owed: int, base_due: datetime.date | None = None) -> Deadline:
        remaining = owed - count.counted
        pause_steps(count)
        steps.append(
            f"Prazo suspenso desde {count.stopped_on:%d/%m/%Y}, à espera de informações pedidas "
            f"ao cidadão: faltam {_days(remaining)}, que voltam a contar quando ele responder."
        )
        return Deadline(
            policy,
            received,
            None,
            extended,
            main.paused_days + (count.paused_days if count is not main else 0),
            tuple(skipped),
            tuple(steps),
            counted_from=first,
            original_due_on=base_due,
            days=total,
            remaining_days=remaining + (total - owed),
            counting_rule=rule,
            extension_from=extension_from,
        )

    if main.last is None:
        return stopped(main, policy.days)
    pause_steps(main)
    last = main.last
    closed: list[tuple[datetime.date, str]] = []
    if business:
        due = last
    else:
        due, closed = _roll(cal, last, skipped)
    steps.append(_last_step(policy.days, last, due, closed))
    original_due = due
    paused_days = main.paused_days

    if extended:
        base = last if extension_from == ExtensionFrom.LEGAL_DUE else due
        extra = _count(
            cal,
            base,
            policy.extension_days,
            business=business,
            first_on_business_day=first_on_business_day,
            pauses=pauses,
        )
        skipped += extra.skipped
        paused_days += extra.paused_days
        how = (
            f"contados do vencimento legal ({day_label(base)}), o último dia da contagem"
            if extension_from == ExtensionFrom.LEGAL_DUE
            else f"contados do dia útil para o qual o vencimento passou ({day_label(base)})"
        )
        steps.append(
            f"Prorrogado uma vez, com justificativa, por mais {_days(policy.extension_days)}"
            f"{' úteis' if business else ''}, {how}, conforme a regra do município."
        )
        if extra.last is None:
            return stopped(extra, policy.extension_days, original_due)
        last = extra.last
        if business:
            due, closed = last, []
        else:
            due, closed = _roll(cal, last, skipped)
        steps.append(_last_step(policy.extension_days, last, due, closed))

    counted_off = [] if first is None or business else cal.days_off_between(first, last)
    in_period = tuple(
        (off.date, off.name)
        for off in counted_off
        if not any(p.start < off.date and p.end is not None and off.date <= p.end for p in pauses)
    )
    if in_period:
        listed = "; ".join(f"{day:%d/%m/%Y}, {name}" for day, name in in_period)
        steps.append(f"Feriados dentro do prazo, contados como dias corridos: {listed}.")
    if business and skipped:
        listed = "; ".join(f"{day:%d/%m/%Y}, {name}" for day, name in dict.fromkeys(skipped))
        steps.append(f"Feriados não contados: {listed}.")
    steps.append(f"Prazo final: {day_label(due)}.")
    return Deadline(
        policy,
        received,
        due,
        extended,
        paused_days,
        tuple(dict.fromkeys(skipped)),
        tuple(steps),
        counted_from=first,
        legal_due_on=last,
        original_due_on=original_due,
        days=total,
        holidays_in_period=in_period,
        counting_rule=rule,
        extension_from=extension_from,
    )
