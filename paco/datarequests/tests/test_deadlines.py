"""LAI deadlines: calendar days, start excluded, ends without office hours (weekends, holidays)
move to the next business day."""

from __future__ import annotations

import datetime

import pytest

from paco.datarequests import deadlines

D = datetime.date


@pytest.mark.parametrize(
    "received, expected",
    [
        (D(2026, 3, 2), D(2026, 3, 23)),  # Mon + 20 = Sun 22 → Mon 23
        (D(2026, 3, 4), D(2026, 3, 24)),  # Wed + 20 = Tue 24
        (D(2026, 2, 10), D(2026, 3, 2)),  # across February (28 days) = Mon 2 Mar
        (D(2025, 12, 31), D(2026, 1, 20)),  # across the year
        (D(2026, 3, 7), D(2026, 3, 27)),  # received on Saturday: counting still starts next day
    ],
)
def test_answer_due_20_calendar_days(received: datetime.date, expected: datetime.date) -> None:
    assert deadlines.answer_due(received) == expected
    assert deadlines.answer_due(received).weekday() < 5


def test_extension_adds_ten_days_counted_from_receipt() -> None:
    received = D(2026, 3, 4)
    # 30 days land on Fri 2026-04-03, Good Friday (Paixão de Cristo, a national holiday since
    # the clock is holiday-aware): the deadline moves to Monday 6
    assert deadlines.answer_due(received, extended=True) == D(2026, 4, 6)
    # 30 days landing on Saturday 2026-04-04 move to Monday 6
    assert deadlines.answer_due(D(2026, 3, 5), extended=True) == D(2026, 4, 6)


def test_appeal_windows() -> None:
    assert deadlines.appeal_deadline(D(2026, 3, 2)) == D(2026, 3, 12)
    assert deadlines.appeal_deadline(D(2026, 3, 4)) == D(2026, 3, 16)  # Sat 14 → Mon 16
    assert deadlines.appeal_answer_due(D(2026, 3, 4)) == D(2026, 3, 9)  # Mon
    assert deadlines.appeal_answer_due(D(2026, 3, 5)) == D(2026, 3, 10)  # Tue


def test_local_date_uses_municipal_time_zone() -> None:
    # 01:30 UTC on the 5th is still the 4th in Brasília (UTC−3).
    moment = datetime.datetime(2026, 3, 5, 1, 30, tzinfo=datetime.UTC)
    assert deadlines.local_date(moment) == D(2026, 3, 4)
