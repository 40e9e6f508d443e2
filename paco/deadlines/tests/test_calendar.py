"""The town's calendar: national, state and municipal days, loaded with two queries."""

from __future__ import annotations

import pytest

from paco.deadlines import clock
from paco.deadlines.calendar import Calendar, Source
from paco.deadlines.models import ClockSettings, Holiday, HolidayKind
from paco.deadlines.tests.conftest import D, at

pytestmark = pytest.mark.django_db


def test_national_state_and_municipal_days_are_merged(town_x) -> None:
    Holiday.objects.create(municipality=town_x, date=D(2025, 8, 21), name="Aniversário")
    Holiday.objects.create(
        municipality=town_x, date=D(2025, 3, 4), name="Carnaval", kind=HolidayKind.OPTIONAL
    )
    calendar = Calendar.for_town(town_x)
    days = {off.date: off for off in calendar.year(2025)}
    assert days[D(2025, 4, 18)].source == Source.NATIONAL  # Paixão (Easter-based)
    assert days[D(2025, 4, 21)].name == "Tiradentes"
    assert days[D(2025, 11, 30)].source == Source.STATE  # SC: Santa Catarina de Alexandria
    assert days[D(2025, 8, 21)].label == "Feriado municipal"
    assert days[D(2025, 3, 4)].label == "Ponto facultativo"
    assert D(2025, 3, 3) not in days  # Carnaval Monday: the library lists no holiday
    assert not calendar.is_business_day(D(2025, 3, 4))
    assert calendar.is_business_day(D(2025, 3, 5))
    assert D(2026, 4, 3) in {off.date for off in calendar.year(2026)}  # Paixão 2026


def test_loading_a_calendar_takes_two_queries_whatever_it_computes(
    town_x, django_assert_num_queries
) -> None:
    for day in range(1, 20):
        Holiday.objects.create(municipality=town_x, date=D(2025, 6, day), name=f"Dia {day}")
    policy = clock.Policy("x", "x", days=30, extension_days=30)
    with django_assert_num_queries(2):
        calendar = Calendar.for_town(town_x)
        for month in range(1, 13):
            received = clock.received_on(town_x, at(2025, month, 10, 20), calendar=calendar)
            clock.compute(town_x, policy, received, extended=True, calendar=calendar)


def test_settings_default_without_writing(town_x, django_assert_num_queries) -> None:
    with django_assert_num_queries(1):
        settings = ClockSettings.for_town(town_x)
    assert settings.pk is None and settings.cutoff_hour == 19
    assert settings.citizen_answer_days == 20
    assert not ClockSettings.objects.exists()


def test_receipt_uses_the_towns_cutoff_and_holidays(town_x) -> None:
    assert clock.received_on(town_x, at(2025, 8, 20, 18, 0)) == D(2025, 8, 20)
    Holiday.objects.create(municipality=town_x, date=D(2025, 8, 21), name="Aniversário")
    ClockSettings.objects.create(municipality=town_x, cutoff_hour=17)
    assert clock.received_on(town_x, at(2025, 8, 20, 18, 0)) == D(2025, 8, 22)
    receipt = clock.receipt(town_x, at(2025, 8, 20, 18, 0))
    assert receipt.after_cutoff and receipt.closed == (
        (D(2025, 8, 21), "Aniversário, feriado municipal"),
    )
