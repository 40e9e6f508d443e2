"""Raw counts per group, and how to read them from the fact table over a day range.

A :class:`Tally` is what :mod:`paco.panel.figures` turns into published figures; it is
summed from :class:`~paco.panel.models.PanelMonth` rows (whole months) and from
:class:`~paco.panel.models.CaseFigure` rows (the days of a period that do not fill a
month, and the recomputation of a month).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

from paco.panel.models import CaseFigure
from paco.tenancy.models import Municipality

#: (kind, ombudsman type, service id, unit id): the finest group every figure is summed from
Key = tuple[str, str, int | None, int | None]


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included; ``None``: unbounded on that side."""

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


KEY_FIELDS = ("kind", "ombudsman_type", "service_id", "unit_id")


def key_of(row: dict[str, object]) -> Key:
    return (str(row["kind"]), str(row["ombudsman_type"]), row["service_id"], row["unit_id"])  # type: ignore[return-value]


def from_facts(town: Municipality, period: Period, groups: dict[Key, Tally]) -> None:
    """Add the counts of the cases received / concluded in ``period`` (three grouped queries)."""
    base = CaseFigure.objects.for_municipality(town)

    def tally(row: dict[str, object]) -> Tally:
        return groups.setdefault(key_of(row), Tally())

    received = base.filter(period.q("received_on"))
    for row in (
        received.values(*KEY_FIELDS)
        .annotate(n=Count("pk"), still_open=Count("pk", filter=Q(is_open=True)))
        .order_by()
    ):
        t = tally(row)
        t.received += row["n"]
        t.in_progress += row["still_open"]
    concluded = base.filter(period.q("concluded_on"), concluded_on__isnull=False)
    for row in (
        concluded.values(*KEY_FIELDS, "concluded_year", "handling_days", "on_time")
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
    for row in rated.values(*KEY_FIELDS, "score", "resolved").annotate(n=Count("pk")).order_by():
        t = tally(row)
        t.scores[row["score"]] += row["n"]
        if row["resolved"]:
            t.resolved[row["resolved"]] += row["n"]
