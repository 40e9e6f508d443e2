"""Atendimento listens to the deadline clock: a changed town calendar moves open deadlines."""

from __future__ import annotations

import datetime
from typing import Any

from django.dispatch import receiver

from paco.atendimento import deadline_actions
from paco.deadlines.signals import calendar_changed
from paco.tenancy.models import Municipality


@receiver(calendar_changed, dispatch_uid="atendimento.move_deadlines")
def move_case_deadlines(
    sender: Any,
    *,
    town: Municipality,
    dates: tuple[datetime.date, ...] | None,
    reason: str,
    actor: Any = None,
    **kwargs: Any,
) -> None:
    deadline_actions.move_deadlines(town, dates, reason=reason, actor=actor)
