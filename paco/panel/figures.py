"""Every figure the panel publishes, computed in one place (page, JSON, CSV, dataset, report).

Reads only :class:`~paco.panel.models.CaseFigure` (see :mod:`paco.panel.facts` for the
definitions of in progress, handling time and on time) with a handful of ``GROUP BY``
queries; the grouping by service, unit and kind, and the totals, are sums of the
finest groups done here in Python, so the database is read once per kind of figure.

**Period.** ``Period(start, end)`` (both days included, either open):
cases *in progress* and *manifestations by type* count the cases **received** in the
period (in progress: still open today); everything about conclusions — concluded per
year, handling time, on time, ratings — counts the cases **concluded** in the period.

**Median and 90th percentile** come from the histogram of handling days (integers),
so no list of durations is ever held: the median is the middle value (the mean of the
two middle values for an even count); the 90th percentile is the *nearest rank*: the
smallest number of days within which at least 90% of the cases were concluded
(rank ⌈0.9·n⌉). Means are rounded to one decimal, ratios to three.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from paco.atendimento.models import Kind, OmbudsmanType, Resolved
from paco.catalog.models import Service
from paco.panel.models import CaseFigure
from paco.tenancy.models import Municipality, Unit

SCORES = ("1", "2", "3", "4", "5")
RESOLVED = tuple(str(r) for r in Resolved.values)

#: (kind, service id, unit id): the finest group every figure is summed from
Key = tuple[str, int | None, int | None]


@dataclass(frozen=True)
class Period:
    start: datetime.date | None = None
    end: datetime.date | None = None

    def q(self, field_name: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{field_name}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{field_name}__lte": self.end})
        return q

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


@dataclass
class Tally:
    """Raw counts of one group; :meth:`figures` turns them into published figures."""

    in_progress: int = 0
    received: int = 0
    concluded_by_year: Counter[int] = field(default_factory=Counter)
    days: Counter[int] = field(default_factory=Counter)  # handling days → cases
    on_time: int = 0
    late: int = 0
    no_clock: int = 0
    scores: Counter[int] = field(default_factory=Counter)
    resolved: Counter[str] = field(default_factory=Counter)

    def add(self, other: Tally) -> None:
        self.in_progress += other.in_progress
        self.received += other.received
        self.concluded_by_year.update(other.concluded_by_year)
        self.days.update(other.days)
        self.on_time += other.on_time
        self.late += other.late
        self.no_clock += other.no_clock
        self.scores.update(other.scores)
        self.resolved.update(other.resolved)

    def figures(self) -> Figures:
        concluded = sum(self.days.values())
        ratings = sum(self.scores.values())
        clocked = self.on_time + self.late
        return Figures(
            in_progress=self.in_progress,
            received=self.received,
            concluded=concluded,
            concluded_by_year={str(y): n for y, n in sorted(self.concluded_by_year.items())},
            avg_handling_days=(
                round(sum(d * n for d, n in self.days.items()) / concluded, 1)
                if concluded
                else None
            ),
            median_handling_days=median(self.days),
            p90_handling_days=nearest_rank(self.days, 0.9),
            on_time=self.on_time,
            with_clock=clocked,
            without_clock=self.no_clock,
            on_time_ratio=round(self.on_time / clocked, 3) if clocked else None,
            ratings_count=ratings,
            satisfaction_avg=(
                round(sum(s * n for s, n in self.scores.items()) / ratings, 2) if ratings else None
            ),
            ratings={s: self.scores.get(int(s), 0) for s in SCORES},
            resolved={r: self.resolved.get(r, 0) for r in RESOLVED},
        )


@dataclass(frozen=True)
class Figures:
    """The published figures of one group (a service, a unit, a kind, or all cases)."""

    in_progress: int
    received: int
    concluded: int
    concluded_by_year: dict[str, int]
    avg_handling_days: float | None
    median_handling_days: float | None
    p90_handling_days: int | None
    on_time: int
    with_clock: int  # concluded cases that had a deadline (the on-time share's base)
    without_clock: int  # concluded cases without a deadline, left out of the share
    on_time_ratio: float | None
    ratings_count: int
    satisfaction_avg: float | None
    ratings: dict[str, int]  # "1"…"5" → answers
    resolved: dict[str, int]  # "sim", "parcialmente", "nao" → answers

    def share(self, key: str) -> float | None:
        """Share of the "resolvida?" answers that were ``key``."""
        return round(self.resolved[key] / self.ratings_count, 3) if self.ratings_count else None


@dataclass(frozen=True)
class Row:
    key: str  # stable identifier ("servico-12", "unidade-3", "tipo-esic")
    label: str
    unit: str  # the responsible unit's name (services), else ""
    service_id: int | None
    figures: Figures


@dataclass(frozen=True)
class Panel:
    town: Municipality
    period: Period
    generated_at: datetime.datetime
    totals: Figures
    services: list[Row]  # per Carta service, then one row per kind without a service
    units: list[Row]
    kinds: list[Row]
    manifestations: list[tuple[str, str, int]]  # (type code, label, count)


def median(histogram: Counter[int]) -> float | None:
    n = sum(histogram.values())
    if not n:
        return None
    if n % 2:
        return float(_value_at(histogram, n // 2 + 1))
    return (_value_at(histogram, n // 2) + _value_at(histogram, n // 2 + 1)) / 2


def nearest_rank(histogram: Counter[int], fraction: float) -> int | None:
    n = sum(histogram.values())
    if not n:
        return None
    return _value_at(histogram, max(math.ceil(fraction * n - 1e-9), 1))


def _value_at(histogram: Counter[int], rank: int) -> int:
    """The ``rank``-th smallest value (1-based) of the histogram."""
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise ValueError(rank)


# --- reading ----------------------------------------------------------------------------
def tallies(town: Municipality, period: Period) -> dict[Key, Tally]:
    """The raw counts per (kind, service, unit), four grouped queries."""
    base = CaseFigure.objects.for_municipality(town)
    groups: dict[Key, Tally] = {}

    def tally(row: dict[str, object]) -> Tally:
        key = (str(row["kind"]), row["service_id"], row["unit_id"])
        return groups.setdefault(key, Tally())  # type: ignore[arg-type]

    keys = ("kind", "service_id", "unit_id")
    received = base.filter(period.q("received_on"))
    for row in received.values(*keys).annotate(
        n=Count("pk"), open=Count("pk", filter=Q(is_open=True))
    ):
        t = tally(row)
        t.received += row["n"]
        t.in_progress += row["open"]
    concluded = base.filter(period.q("concluded_on"), concluded_on__isnull=False)
    for row in (
        concluded.values(*keys, "concluded_year", "handling_days", "on_time")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        t = tally(row)
        n = row["n"]
        t.concluded_by_year[row["concluded_year"]] += n
        t.days[row["handling_days"]] += n
        if row["on_time"] is None:
            t.no_clock += n
        elif row["on_time"]:
            t.on_time += n
        else:
            t.late += n
    rated = concluded.filter(score__isnull=False)
    for row in rated.values(*keys, "score", "resolved").annotate(n=Count("pk")).order_by():
        t = tally(row)
        t.scores[row["score"]] += row["n"]
        if row["resolved"]:
            t.resolved[row["resolved"]] += row["n"]
    return groups


def manifestations(town: Municipality, period: Period) -> list[tuple[str, str, int]]:
    counts = dict(
        CaseFigure.objects.for_municipality(town)
        .filter(period.q("received_on"), kind=Kind.OMBUDSMAN)
        .values_list("ombudsman_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(str(code), str(label), counts.get(code, 0)) for code, label in OmbudsmanType.choices]


def _sum(tallies_: Iterable[Tally]) -> Tally:
    total = Tally()
    for t in tallies_:
        total.add(t)
    return total


def build(town: Municipality, period: Period, *, now: datetime.datetime) -> Panel:
    groups = tallies(town, period)
    by_service: dict[int, list[Tally]] = {}
    by_unit: dict[int | None, list[Tally]] = {}
    by_kind: dict[str, list[Tally]] = {}
    for (kind, service_id, unit_id), t in groups.items():
        if service_id is not None:
            by_service.setdefault(service_id, []).append(t)
        by_unit.setdefault(unit_id, []).append(t)
        by_kind.setdefault(kind, []).append(t)
    services = {
        s.pk: s
        for s in Service.objects.for_municipality(town)
        .filter(pk__in=list(by_service))
        .select_related("unit")
    }
    units = {u.pk: u for u in Unit.objects.for_municipality(town).filter(pk__in=list(by_unit))}
    kind_labels = dict(Kind.choices)
    service_rows = sorted(
        (
            Row(
                f"servico-{pk}",
                services[pk].name if pk in services else f"Serviço {pk}",
                services[pk].unit.name if pk in services and services[pk].unit_id else "",
                pk,
                _sum(ts).figures(),
            )
            for pk, ts in by_service.items()
        ),
        key=lambda r: r.label.casefold(),
    )
    # the cases without a Carta service (ouvidoria, e-SIC, open data): one row per kind
    for kind, label in Kind.choices:
        rest = [t for (k, s, _u), t in groups.items() if k == kind and s is None]
        if rest:
            service_rows.append(Row(f"tipo-{kind}", str(label), "", None, _sum(rest).figures()))
    unit_rows = sorted(
        (
            Row(
                f"unidade-{pk}" if pk else "unidade-nenhuma",
                units[pk].name if pk in units else "Sem unidade",
                "",
                None,
                _sum(ts).figures(),
            )
            for pk, ts in by_unit.items()
        ),
        key=lambda r: r.label.casefold(),
    )
    kind_rows = [
        Row(f"tipo-{kind}", str(kind_labels[kind]), "", None, _sum(by_kind[kind]).figures())
        for kind in Kind.values
        if kind in by_kind
    ]
    return Panel(
        town=town,
        period=period,
        generated_at=now,
        totals=_sum(groups.values()).figures(),
        services=service_rows,
        units=unit_rows,
        kinds=kind_rows,
        manifestations=manifestations(town, period),
    )
