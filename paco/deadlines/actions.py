"""Every write to a town's calendar and clock rules (administrator; audited).

A change moves the deadlines of open cases: :func:`paco.deadlines.signals.send_calendar_changed`
runs on commit, and each app with deadlines recomputes its own (Atendimento:
:mod:`paco.atendimento.receivers`).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.audit.services import diff, record, snapshot
from paco.deadlines.calendar import Calendar
from paco.deadlines.models import ClockSettings, Holiday, HolidayKind
from paco.deadlines.signals import send_calendar_changed
from paco.tenancy.models import Municipality

SETTINGS_FIELDS = ("counting_rule", "cutoff_hour", "extension_from", "citizen_answer_days")


def _require_admin(actor: User | None, town: Municipality) -> None:
    if actor is not None:
        require_role(actor, town, Role.ADMIN, None)


def _reason(holiday: Holiday, verb: str) -> str:
    return f"{HolidayKind(holiday.kind).label.lower()} «{holiday.name}» {verb}"


@transaction.atomic
def add_holiday(
    actor: User | None,
    town: Municipality,
    *,
    date: datetime.date,
    name: str,
    kind: str = HolidayKind.MUNICIPAL,
) -> Holiday:
    """Add a day without office hours to the town's calendar; open deadlines move on commit."""
    _require_admin(actor, town)
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Informe o nome do feriado."})
    if kind not in HolidayKind.values:
        raise ValidationError({"kind": "Tipo inválido."})
    existing = Calendar.for_town(town).day_off(date)
    if existing is not None:
        raise ValidationError(
            {"date": f"{date:%d/%m/%Y} já é {existing.label.lower()}: {existing.name}."}
        )
    holiday = Holiday(municipality=town, date=date, name=name, kind=kind)
    holiday.full_clean()
    holiday.save()
    record(actor, "deadlines.holiday_add", holiday, changes={"after": snapshot(holiday)})
    reason = _reason(holiday, "incluído")
    transaction.on_commit(lambda: send_calendar_changed(town, (date,), reason=reason, actor=actor))
    return holiday


@transaction.atomic
def remove_holiday(actor: User | None, holiday: Holiday) -> None:
    """Remove a municipal day off; open deadlines move back on commit."""
    town = holiday.municipality
    _require_admin(actor, town)
    record(actor, "deadlines.holiday_remove", holiday, changes={"before": snapshot(holiday)})
    date, reason = holiday.date, _reason(holiday, "excluído")
    holiday.delete()
    transaction.on_commit(lambda: send_calendar_changed(town, (date,), reason=reason, actor=actor))


@transaction.atomic
def update_clock_settings(
    actor: User | None, town: Municipality, **values: object
) -> ClockSettings:
    """Change the town's counting rule, cut-off hour, extension rule or the citizen's days.

    Open deadlines are recomputed with the new rules on commit (the receipt days stay)."""
    _require_admin(actor, town)
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unknown clock settings: {sorted(unknown)}")
    found = ClockSettings.objects.select_for_update().filter(municipality=town).first()
    current = found or ClockSettings(municipality=town)
    before = snapshot(current, exclude=("municipality",))
    for key, value in values.items():
        setattr(current, key, value)
    current.full_clean()
    changes = diff(before, snapshot(current, exclude=("municipality",)))
    if not changes and found is not None:
        return current
    current.save()
    record(actor, "deadlines.settings", current, municipality=town, changes=changes)
    if {"counting_rule", "extension_from"} & set(changes):
        transaction.on_commit(
            lambda: send_calendar_changed(
                town, None, reason="regras de contagem de prazo do município alteradas", actor=actor
            )
        )
    return current
