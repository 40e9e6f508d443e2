"""``calendar_changed``: a town's calendar or clock rules changed; open deadlines may move.

Sent on commit by :mod:`paco.deadlines.actions` (a municipal holiday added or removed, the
town's rules changed), with keyword arguments:

- ``town``: the :class:`~paco.tenancy.models.Municipality`;
- ``dates``: the days that changed (a tuple of ``datetime.date``), or ``None`` when the
  rules changed (every open deadline may move);
- ``reason``: a pt-BR phrase for the timelines ("feriado municipal «Aniversário» incluído");
- ``actor``: the servant who made the change (or ``None``).

Each app with deadlines connects its own receiver (Atendimento:
:mod:`paco.atendimento.receivers`), so this app imports none of them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.dispatch import Signal

calendar_changed = Signal()


def send_calendar_changed(
    town: Any, dates: tuple[datetime.date, ...] | None, *, reason: str, actor: Any = None
) -> None:
    calendar_changed.send(sender=None, town=town, dates=dates, reason=reason, actor=actor)
