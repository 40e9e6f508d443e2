"""A municipality's calendar of days without office hours, loaded once per computation.

Three sources, merged:

- **national** holidays (fixed and Easter-based: Paixão de Cristo, Tiradentes…) and the
  **state's** (``Municipality.uf`` as the subdivision) from the maintained ``holidays``
  library, public category only. Federal *pontos facultativos* (Carnaval, Quarta-feira de
  Cinzas, Corpus Christi, Dia do Servidor Público…) are not holidays: a town whose decree
  closes its offices on them adds them to its own list (the staff page suggests them);
- the municipality's own list (:class:`paco.deadlines.models.Holiday`).

:meth:`Calendar.for_town` runs two queries (the town's settings and its holidays) whatever
the number of deadlines computed with it; the library's years are computed in memory.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays

from paco.deadlines.models import ClockSettings, Holiday, HolidayKind
from paco.tenancy.models import Municipality

ONE_DAY = datetime.timedelta(days=1)
WEEKDAYS = (
    "segunda-feira",
    "terça-feira",
    "quarta-feira",
    "quinta-feira",
    "sexta-feira",
    "sábado",
    "domingo",
)


class Source:
    NATIONAL = "nacional"
    STATE = "estadual"
    MUNICIPAL = "municipal"


SOURCE_LABELS = {
    Source.NATIONAL: "Feriado nacional",
    Source.STATE: "Feriado estadual",
}


@dataclass(frozen=True)
class DayOff:
    """One day without office hours and why."""

    date: datetime.date
    name: str
    source: str  # Source.*
    kind: str = HolidayKind.MUNICIPAL  # for municipal days: HolidayKind
    holiday_id: int | None = None  # the municipal row, when it is one

    @property
    def label(self) -> str:
        """ "Feriado nacional", "Feriado estadual", "Ponto facultativo"…"""
        if self.source in SOURCE_LABELS:
            return SOURCE_LABELS[self.source]
        return str(HolidayKind(self.kind).label)


def day_label(day: datetime.date) -> str:
    """``terça-feira, 22/04/2025``."""
    return f"{WEEKDAYS[day.weekday()]}, {day:%d/%m/%Y}"


@lru_cache(maxsize=64)
def _library_year(uf: str, year: int) -> tuple[tuple[datetime.date, str, str], ...]:
    """The library's national and state holidays of one year (pure, cached per process)."""
    national = holidays.country_holidays("BR", years=year, language="pt_BR")
    found = {day: (name, Source.NATIONAL) for day, name in national.items()}
    if uf:
        try:
            state = holidays.country_holidays("BR", subdiv=uf, years=year, language="pt_BR")
        except NotImplementedError:  # an unknown subdivision: national only
            state = national
        for day, name in state.items():
            found.setdefault(day, (name, Source.STATE))
    return tuple((day, name, source) for day, (name, source) in sorted(found.items()))


@lru_cache(maxsize=16)
def federal_optional_days(year: int) -> tuple[tuple[datetime.date, str], ...]:
    """The federal *pontos facultativos* of ``year`` the library knows (suggestions only)."""
    optional = holidays.country_holidays(
        "BR", years=year, language="pt_BR", categories=(holidays.OPTIONAL,)
    )
    return tuple(sorted(optional.items()))


class Calendar:
    """The days without office hours of one town, with its clock settings."""

    def __init__(
        self,
        town: Municipality,
        settings: ClockSettings,
        municipal: list[Holiday],
    ) -> None:
        self.town = town
        self.settings = settings
        self._municipal = {
            h.date: DayOff(h.date, h.name, Source.MUNICIPAL, h.kind, h.pk) for h in municipal
        }
        self._years: dict[int, dict[datetime.date, DayOff]] = {}

    @classmethod
    def for_town(cls, town: Municipality) -> Calendar:
        """Two queries: the settings (defaults when the town has none) and its holidays."""
        settings = ClockSettings.for_town(town)
        municipal = list(Holiday.objects.for_municipality(town).order_by("date"))
        return cls(town, settings, municipal)

    @classmethod
    def national(cls) -> Calendar:
        """The national calendar with the federal rules (no town: no query)."""
        town = Municipality(name="", uf="")
        return cls(town, ClockSettings(), [])

    # --- reading --------------------------------------------------------------------
    def _year(self, year: int) -> dict[datetime.date, DayOff]:
        found = self._years.get(year)
        if found is None:
            found = {
                day: DayOff(day, name, source)
                for day, name, source in _library_year(self.town.uf or "", year)
            }
            for day, off in self._municipal.items():
                if day.year == year:
                    found[day] = off  # the town's own act names the day
            self._years[year] = found
        return found

    def day_off(self, day: datetime.date) -> DayOff | None:
        """The holiday on ``day`` (weekends are not listed)."""
        return self._year(day.year).get(day)

    def is_business_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and self.day_off(day) is None

    def next_business_day(self, day: datetime.date) -> datetime.date:
        """The first business day strictly after ``day``."""
        day += ONE_DAY
        while not self.is_business_day(day):
            day += ONE_DAY
        return day

    def roll_forward(self, day: datetime.date) -> datetime.date:
        """``day`` itself when it is a business day, else the next one (art. 66 §1)."""
        return day if self.is_business_day(day) else self.next_business_day(day)

    def days_off_between(self, first: datetime.date, last: datetime.date) -> list[DayOff]:
        """Holidays from ``first`` to ``last``, both included, in order (weekends left out)."""
        found: list[DayOff] = []
        for year in range(first.year, last.year + 1):
            found += [off for day, off in self._year(year).items() if first <= day <= last]
        return sorted(found, key=lambda off: off.date)

    def year(self, year: int) -> list[DayOff]:
        """Every holiday of ``year`` (national, state, municipal), in order."""
        return sorted(self._year(year).values(), key=lambda off: off.date)

    def why_closed(self, day: datetime.date) -> str:
        """``sábado``, ``Tiradentes, feriado nacional``…"""
        off = self.day_off(day)
        if off is not None:
            return f"{off.name}, {off.label.lower()}"
        return WEEKDAYS[day.weekday()]
