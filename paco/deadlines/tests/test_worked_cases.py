"""The table of worked deadlines (atendimento-processos.md "Deadlines", 2025 national calendar).

Each row: the policy, when the citizen submitted, the town's calendar and rules, and the
expected receipt day, due day and (extended) due day, computed by hand.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest

from paco.deadlines import clock
from paco.deadlines.models import CountingRule, ExtensionFrom
from paco.deadlines.tests.conftest import D, at, calendar

LAI = clock.Policy("esic", "Acesso à informação (LAI, art. 11)", days=20, extension_days=10)
OUVIDORIA = clock.Policy("ouvidoria", "Ouvidoria (Lei 13.460, art. 16)", 30, extension_days=30)
APPEAL = clock.Policy("recurso-decisao", "Decisão do recurso (LAI, art. 15)", days=5)
ONE_DAY = clock.Policy("um-dia", "Atendimento em um dia", days=1)
BUSINESS_15 = clock.Policy("servico-1", "Alvará (15 dias úteis)", days=15, business_days=True)


@dataclass(frozen=True)
class Case:
    why: str
    policy: clock.Policy
    submitted: datetime.datetime
    received: datetime.date
    due: datetime.date
    extended_due: datetime.date | None = None
    holidays: list[tuple[datetime.date, str]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    uf: str = "SC"


TABLE = [
    Case(
        "worked example: LAI after 19h on Holy Thursday; Paixão and Tiradentes; 1 May counted",
        LAI,
        at(2025, 4, 17, 20, 5),
        received=D(2025, 4, 22),
        due=D(2025, 5, 12),
        extended_due=D(2025, 5, 22),
    ),
    Case(
        "worked example: ouvidoria; day 30 a Sunday → Monday; extension from the legal day",
        OUVIDORIA,
        at(2025, 5, 30, 15, 0),
        received=D(2025, 5, 30),
        due=D(2025, 6, 30),
        extended_due=D(2025, 7, 29),
    ),
    Case(
        "extension counted from the rolled day (the town's choice): 30/06 + 30",
        OUVIDORIA,
        at(2025, 5, 30, 15, 0),
        received=D(2025, 5, 30),
        due=D(2025, 6, 30),
        extended_due=D(2025, 7, 30),
        settings={"extension_from": ExtensionFrom.ROLLED_DUE},
    ),
    Case(
        "cut-off hour: 18:59 counts the same day",
        LAI,
        at(2025, 3, 12, 18, 59),
        received=D(2025, 3, 12),
        due=D(2025, 4, 1),
    ),
    Case(
        "cut-off hour: 19:00 counts the next business day",
        LAI,
        at(2025, 3, 12, 19, 0),
        received=D(2025, 3, 13),
        due=D(2025, 4, 2),
    ),
    Case(
        "a town with a 17h cut-off",
        LAI,
        at(2025, 3, 12, 17, 30),
        received=D(2025, 3, 13),
        due=D(2025, 4, 2),
        settings={"cutoff_hour": 17},
    ),
    Case(
        "Friday night → Monday",
        APPEAL,
        at(2025, 3, 14, 22, 0),
        received=D(2025, 3, 17),
        due=D(2025, 3, 24),  # day 5 Sat 22 → Mon 24
    ),
    Case(
        "Holy Week: due on Paixão (Fri 18/04/2025) moves to Monday 21 — Tiradentes — then 22",
        LAI,
        at(2025, 3, 29, 11, 0),  # a Saturday: received Monday 31/03
        received=D(2025, 3, 31),
        due=D(2025, 4, 22),
    ),
    Case(
        "Tiradentes (Mon 21/04/2025) as the last day moves to Tuesday",
        APPEAL,
        at(2025, 4, 16, 9, 0),
        received=D(2025, 4, 16),
        due=D(2025, 4, 22),
    ),
    Case(
        "Carnaval is not a national holiday: due on Carnaval Tuesday stays",
        LAI,
        at(2025, 2, 12, 9, 0),
        received=D(2025, 2, 12),
        due=D(2025, 3, 4),
    ),
    Case(
        "Carnaval as the town's ponto facultativo moves it to Ash Wednesday… also closed → Thu",
        LAI,
        at(2025, 2, 12, 9, 0),
        received=D(2025, 2, 12),
        due=D(2025, 3, 6),
        holidays=[
            (D(2025, 3, 3), "Carnaval"),
            (D(2025, 3, 4), "Carnaval"),
            (D(2025, 3, 5), "Quarta-feira de Cinzas"),
        ],
    ),
    Case(
        "a municipal holiday on the last day",
        LAI,
        at(2025, 8, 1, 9, 0),
        received=D(2025, 8, 1),
        due=D(2025, 8, 22),
        holidays=[(D(2025, 8, 21), "Aniversário do município")],
    ),
    Case(
        "a state holiday (SC, Sunday 17/08/2025 Dia do Estado) — weekend anyway; RJ's São Jorge",
        APPEAL,
        at(2025, 4, 18, 9, 0),  # Paixão: received Tue 22; RJ: Wed 23/04 São Jorge
        received=D(2025, 4, 22),
        due=D(2025, 4, 28),  # day 5 Sun 27 → Mon 28
        uf="RJ",
    ),
    Case(
        "RJ: São Jorge (Wed 23/04/2025) as the last day moves to Thursday",
        ONE_DAY,
        at(2025, 4, 22, 9, 0),
        received=D(2025, 4, 22),
        due=D(2025, 4, 24),
        uf="RJ",
    ),
    Case(
        "SC: the same day is an ordinary business day",
        ONE_DAY,
        at(2025, 4, 22, 9, 0),
        received=D(2025, 4, 22),
        due=D(2025, 4, 23),
    ),
    Case(
        "month boundary: 31 January + 30 days",
        OUVIDORIA,
        at(2025, 1, 31, 10, 0),
        received=D(2025, 1, 31),
        due=D(2025, 3, 5),  # day 30 = Sun 02/03 → Mon 03 and Tue 04 the town's Carnaval
        holidays=[(D(2025, 3, 3), "Carnaval"), (D(2025, 3, 4), "Carnaval")],
    ),
    Case(
        "year boundary: Christmas and New Year inside, counted; due on 2 January",
        LAI,
        at(2025, 12, 13, 10, 0),  # Saturday: received Monday 15/12
        received=D(2025, 12, 15),
        due=D(2026, 1, 5),  # day 20 = Sun 04/01 → Mon 05
    ),
    Case(
        "year boundary: day 20 is 1 January (Confraternização) → Friday 2",
        LAI,
        at(2025, 12, 12, 10, 0),
        received=D(2025, 12, 12),
        due=D(2026, 1, 2),
    ),
    Case(
        "business days: 15 business days skip Paixão, Tiradentes and 1 May",
        BUSINESS_15,
        at(2025, 4, 14, 10, 0),
        received=D(2025, 4, 14),
        due=D(2025, 5, 8),
    ),
    Case(
        "state-decree rule: first day must be a business day (Fri receipt → count from Monday)",
        OUVIDORIA,
        at(2025, 5, 30, 15, 0),
        received=D(2025, 5, 30),
        due=D(2025, 7, 1),
        extended_due=D(2025, 7, 31),
        settings={"counting_rule": CountingRule.BUSINESS_ENDS},
    ),
]


@pytest.mark.parametrize("case", TABLE, ids=[c.why for c in TABLE])
def test_worked_case(case: Case) -> None:
    cal = calendar(case.uf, case.holidays, **case.settings)
    town = cal.town
    received = clock.received_on(town, case.submitted, calendar=cal)
    assert received == case.received
    deadline = clock.compute(town, case.policy, received, calendar=cal, submitted_at=case.submitted)
    assert deadline.due_on == case.due
    assert cal.is_business_day(deadline.due_on)
    assert deadline.steps[-1].endswith(f"{case.due:%d/%m/%Y}.")
    if case.extended_due is not None:
        extended = clock.compute(town, case.policy, received, extended=True, calendar=cal)
        assert extended.due_on == case.extended_due
        assert extended.original_due_on == case.due
        assert extended.days == case.policy.days + case.policy.extension_days
