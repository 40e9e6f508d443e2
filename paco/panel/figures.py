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
from dataclasses import dataclass

from paco.atendimento.models import Kind, OmbudsmanType, Resolved
from paco.catalog.models import Service
from paco.panel import aggregates
from paco.panel.tally import Key, Period, Tally
from paco.tenancy.models import Municipality, Unit

__all__ = ["Figures", "Panel", "Period", "Row", "Tally", "build", "figures_of"]

SCORES = ("1", "2", "3", "4", "5")
RESOLVED = tuple(str(r) for r in Resolved.values)


def figures_of(t: Tally) -> Figures:
    """The published figures of a group's raw counts."""
    concluded = sum(t.days.values())
    ratings = sum(t.scores.values())
    clocked = t.on_time + t.late
    return Figures(
        in_progress=t.in_progress,
        received=t.received,
        concluded=concluded,
        concluded_by_year={str(y): n for y, n in sorted(t.concluded_by_year.items())},
        avg_handling_days=(
            round(sum(d * n for d, n in t.days.items()) / concluded, 1) if concluded else None
        ),
        median_handling_days=median(t.days),
        p90_handling_days=nearest_rank(t.days, 0.9),
        on_time=t.on_time,
        with_clock=clocked,
        without_clock=t.no_clock,
        on_time_ratio=round(t.on_time / clocked, 3) if clocked else None,
        ratings_count=ratings,
        satisfaction_avg=(
            round(sum(sc * n for sc, n in t.scores.items()) / ratings, 2) if ratings else None
        ),
        ratings={sc: t.scores.get(int(sc), 0) for sc in SCORES},
        resolved={r: t.resolved.get(r, 0) for r in RESOLVED},
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
    """The raw counts per (kind, type, service, unit) (:mod:`paco.panel.aggregates`)."""
    return aggregates.read(town, period)


def manifestations_of(groups: dict[Key, Tally]) -> list[tuple[str, str, int]]:
    counts: Counter[str] = Counter()
    for (kind, otype, _s, _u), t in groups.items():
        if kind == Kind.OMBUDSMAN:
            counts[otype] += t.received
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
    for (kind, _otype, service_id, unit_id), t in groups.items():
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
                figures_of(_sum(ts)),
            )
            for pk, ts in by_service.items()
        ),
        key=lambda r: r.label.casefold(),
    )
    # the cases without a Carta service (ouvidoria, e-SIC, open data): one row per kind
    for kind, label in Kind.choices:
        rest = [t for (k, _o, s, _u), t in groups.items() if k == kind and s is None]
        if rest:
            service_rows.append(Row(f"tipo-{kind}", str(label), "", None, figures_of(_sum(rest))))
    unit_rows = sorted(
        (
            Row(
                f"unidade-{pk}" if pk else "unidade-nenhuma",
                units[pk].name if pk in units else "Sem unidade",
                "",
                None,
                figures_of(_sum(ts)),
            )
            for pk, ts in by_unit.items()
        ),
        key=lambda r: r.label.casefold(),
    )
    kind_rows = [
        Row(f"tipo-{kind}", str(kind_labels[kind]), "", None, figures_of(_sum(by_kind[kind])))
        for kind in Kind.values
        if kind in by_kind
    ]
    return Panel(
        town=town,
        period=period,
        generated_at=now,
        totals=figures_of(_sum(groups.values())),
        services=service_rows,
        units=unit_rows,
        kinds=kind_rows,
        manifestations=manifestations_of(groups),
    )
