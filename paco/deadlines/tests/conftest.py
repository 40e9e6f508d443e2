from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from paco.deadlines.calendar import Calendar
from paco.deadlines.models import ClockSettings, Holiday
from paco.tenancy.models import Municipality

SP = ZoneInfo("America/Sao_Paulo")
D = datetime.date


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment in Brasília time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SP)


def calendar(
    uf: str = "SC",
    holidays: list[tuple[datetime.date, str]] | None = None,
    **settings: object,
) -> Calendar:
    """A calendar built in memory (no database): the library's days plus ``holidays``."""
    town = Municipality(name="Exemplo", uf=uf)
    rows = [Holiday(municipality=town, date=day, name=name) for day, name in holidays or []]
    return Calendar(town, ClockSettings(municipality=town, **settings), rows)


@pytest.fixture
def town(town_x: Municipality) -> Municipality:
    return town_x
