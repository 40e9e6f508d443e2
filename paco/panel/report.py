"""The annual evaluation (Lei 13.460 art. 23) and the LAI statistics of one year.

Art. 23 asks for satisfaction, service quality, deadlines kept and the number of
manifestations, published in full with a **ranking of the units with most
complaints**. The figures are the panel's (:mod:`paco.panel.figures`) for the
calendar year; the ranking counts the ouvidoria *reclamações* received in the year
per handling unit, and also per 100 cases the unit received that year (a large unit
is not worse for being large). The LAI part counts e-SIC requests received in the
year, those concluded (answered) in it, how many of those were refused
(``indeferido``), and the appeals filed in the year per level with how many were upheld.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q

from paco.atendimento.models import Appeal, Case, Kind, OmbudsmanType, Outcome
from paco.panel import aggregates, figures
from paco.panel.facts import TOWN_TIME_ZONE
from paco.panel.models import CaseFigure, PanelMonth
from paco.tenancy.models import Municipality, Unit


@dataclass(frozen=True)
class UnitComplaints:
    position: int
    unit: str
    complaints: int
    cases: int  # every case the unit received in the year

    @property
    def per_hundred(self) -> float | None:
        return round(100 * self.complaints / self.cases, 1) if self.cases else None


@dataclass(frozen=True)
class AppealLevel:
    level: int
    filed: int
    decided: int
    upheld: int


@dataclass(frozen=True)
class LaiStatistics:
    received: int
    answered: int  # concluded in the year, whatever the outcome
    granted: int  # concluded as deferido, respondido or atendido em parte
    refused: int  # concluded as indeferido
    forwarded: int  # sent to the competent body
    on_time: int
    with_clock: int
    appeals: list[AppealLevel]


@dataclass(frozen=True)
class AnnualReport:
    year: int
    panel: figures.Panel
    ranking: list[UnitComplaints]
    lai: LaiStatistics

    @property
    def manifestations_total(self) -> int:
        return sum(n for _c, _l, n in self.panel.manifestations)


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime(year, 1, 1, tzinfo=TOWN_TIME_ZONE)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=TOWN_TIME_ZONE)


def ranking(town: Municipality, year: int) -> list[UnitComplaints]:
    groups = figures.tallies(town, figures.Period.year(year))
    cases: Counter[int] = Counter()
    complaints: Counter[int] = Counter()
    for (kind, otype, _service, unit_id), t in groups.items():
        if unit_id is None:
            continue
        cases[unit_id] += t.received
        if kind == Kind.OMBUDSMAN and otype == OmbudsmanType.COMPLAINT:
            complaints[unit_id] += t.received
    names = dict(Unit.objects.for_municipality(town).values_list("pk", "name"))
    listed = sorted(
        (u for u, n in complaints.items() if n),
        key=lambda u: (-complaints[u], names.get(u, "").casefold()),
    )
    out: list[UnitComplaints] = []
    for unit_id in listed:
        # ties share a position ("competition ranking": 1, 2, 2, 4)
        same = out and out[-1].complaints == complaints[unit_id]
        position = out[-1].position if same else len(out) + 1
        out.append(
            UnitComplaints(position, names.get(unit_id, ""), complaints[unit_id], cases[unit_id])
        )
    return out


def lai_statistics(town: Municipality, year: int) -> LaiStatistics:
    period = figures.Period.year(year)
    esic = CaseFigure.objects.for_municipality(town).filter(kind=Kind.INFORMATION)
    received = esic.filter(period.q("received_on")).count()
    concluded = esic.filter(period.q("concluded_on"), concluded_on__isnull=False)
    counts = concluded.aggregate(
        n_answered=Count("pk"),
        n_on_time=Count("pk", filter=Q(on_time=True)),
        n_with_clock=Count("pk", filter=Q(on_time__isnull=False)),
    )
    outcomes = dict(
        Case.objects.for_municipality(town)
        .filter(pk__in=concluded.values("case_id"))
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    granted = sum(outcomes.get(o, 0) for o in (Outcome.GRANTED, Outcome.ANSWERED, Outcome.PARTIAL))
    start, end = _year_bounds(year)
    appeals = (
        Appeal.objects.for_municipality(town)
        .filter(case__kind=Kind.INFORMATION, filed_at__gte=start, filed_at__lt=end)
        .values("level")
        .annotate(
            filed=Count("pk"),
            decided=Count("pk", filter=Q(decided_at__isnull=False)),
            upheld=Count("pk", filter=Q(upheld=True)),
        )
        .order_by("level")
    )
    return LaiStatistics(
        received=received,
        answered=counts["n_answered"],
        granted=granted,
        refused=outcomes.get(Outcome.DENIED, 0),
        forwarded=outcomes.get(Outcome.FORWARDED, 0),
        on_time=counts["n_on_time"],
        with_clock=counts["n_with_clock"],
        appeals=[AppealLevel(a["level"], a["filed"], a["decided"], a["upheld"]) for a in appeals],
    )


def build(town: Municipality, year: int, *, now: datetime.datetime) -> AnnualReport:
    panel = figures.build(town, figures.Period.year(year), now=now)
    return AnnualReport(year, panel, ranking(town, year), lai_statistics(town, year))


def years(town: Municipality) -> list[int]:
    """The years with cases received, newest first (the reports that exist)."""
    aggregates.refresh(town)
    span = PanelMonth.objects.for_municipality(town).aggregate(
        first=Min("month"), last=Max("month")
    )
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))
