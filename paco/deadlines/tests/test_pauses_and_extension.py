"""A request for information stops the clock until the citizen answers; one extension."""

from __future__ import annotations

import dataclasses

from paco.deadlines import clock
from paco.deadlines.tests.conftest import D, calendar
from paco.deadlines.tests.test_worked_cases import BUSINESS_15, LAI, OUVIDORIA


def test_a_closed_pause_adds_its_days() -> None:
    cal = calendar()
    # LAI received Wed 05/03/2025, due 25/03; the town asks on 10/03, the citizen answers 17/03
    plain = clock.compute(cal.town, LAI, D(2025, 3, 5), calendar=cal)
    assert plain.due_on == D(2025, 3, 25)
    paused = clock.compute(
        cal.town,
        LAI,
        D(2025, 3, 5),
        pauses=[clock.Pause(D(2025, 3, 10), D(2025, 3, 17))],
        calendar=cal,
    )
    assert paused.paused_days == 7
    assert paused.due_on == D(2025, 4, 1)  # 25/03 + 7
    assert any("suspenso de 10/03/2025 a 17/03/2025" in step for step in paused.steps)


def test_an_open_pause_stops_the_clock_and_tells_the_days_left() -> None:
    cal = calendar()
    deadline = clock.compute(
        cal.town, LAI, D(2025, 3, 5), pauses=[clock.Pause(D(2025, 3, 10))], calendar=cal
    )
    assert deadline.due_on is None and deadline.paused
    assert deadline.remaining_days == 15  # 06–10/03 counted: 5 of 20
    assert "faltam 15 dias" in deadline.steps[-1]
    extended = clock.compute(
        cal.town,
        LAI,
        D(2025, 3, 5),
        pauses=[clock.Pause(D(2025, 3, 10))],
        extended=True,
        calendar=cal,
    )
    assert extended.remaining_days == 25


def test_a_policy_that_does_not_pause_ignores_requests_for_information() -> None:
    cal = calendar()
    no_pause = dataclasses.replace(LAI, pauses_on_request_for_information=False)
    deadline = clock.compute(
        cal.town, no_pause, D(2025, 3, 5), pauses=[clock.Pause(D(2025, 3, 10))], calendar=cal
    )
    assert deadline.due_on == D(2025, 3, 25)


def test_a_pause_after_the_due_day_changes_nothing() -> None:
    cal = calendar()
    deadline = clock.compute(
        cal.town,
        LAI,
        D(2025, 3, 5),
        pauses=[clock.Pause(D(2025, 3, 26), D(2025, 4, 2))],
        calendar=cal,
    )
    assert deadline.due_on == D(2025, 3, 25)


def test_pause_with_business_days_counts_only_business_days_after_it() -> None:
    cal = calendar()
    # 15 business days from Mon 14/04/2025 end Thu 08/05; a pause 15/04–22/04 (Paixão and
    # Tiradentes inside) restarts the count on Wed 23/04: 15 business days (1 May
    # skipped) → Wed 14/05
    deadline = clock.compute(
        cal.town,
        BUSINESS_15,
        D(2025, 4, 14),
        pauses=[clock.Pause(D(2025, 4, 14), D(2025, 4, 22))],
        calendar=cal,
    )
    assert deadline.due_on == D(2025, 5, 14)


def test_extension_after_a_pause_counts_from_the_legal_due_day() -> None:
    cal = calendar()
    deadline = clock.compute(
        cal.town,
        OUVIDORIA,
        D(2025, 5, 30),
        pauses=[clock.Pause(D(2025, 6, 2), D(2025, 6, 4))],
        extended=True,
        calendar=cal,
    )
    # 30 days + 2 paused: day 30 is Tue 01/07; +30 → Thu 31/07
    assert deadline.original_due_on == D(2025, 7, 1)
    assert deadline.due_on == D(2025, 7, 31)


def test_a_policy_without_extension_ignores_extended() -> None:
    cal = calendar()
    appeal = clock.Policy("recurso", "Recurso", days=10)
    assert clock.compute(cal.town, appeal, D(2025, 3, 5), extended=True, calendar=cal).due_on == (
        D(2025, 3, 17)  # day 10 Sat 15 → Mon 17
    )


def test_the_citizen_has_twenty_days_to_answer_rolled_to_a_business_day() -> None:
    cal = calendar()
    assert clock.citizen_due_on(cal.town, D(2025, 3, 10), calendar=cal) == D(2025, 3, 31)
    # 20 days after 29/03/2025 is Fri 18/04, Paixão → Tue 22/04 (Tiradentes on Monday)
    assert clock.citizen_due_on(cal.town, D(2025, 3, 29), calendar=cal) == D(2025, 4, 22)
    short = calendar(citizen_answer_days=10)
    assert clock.citizen_due_on(short.town, D(2025, 3, 10), calendar=short) == D(2025, 3, 20)
