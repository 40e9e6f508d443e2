"""Monthly pre-aggregates of the panel, recomputed incrementally (docs/decisions.md, "Painel").

``/painel.json`` must answer in under a second with a million cases. Grouping the
per-case fact table (:class:`~paco.panel.models.CaseFigure`) at each request does not:
measured 4.3 s for 100,000 cases on SQLite on the shared two-core machine. So the
counts of every (kind, type, service, unit) are kept per calendar month in
:class:`~paco.panel.models.PanelMonth` — a few thousand rows for a town's whole history —
and a period is read as its whole months from there plus, at most, two partial months
at its edges from the fact table (indexed day ranges): exact for any period.

**Incremental.** A case change marks the months it touches as dirty
(:class:`~paco.panel.models.PanelDirtyMonth`, written in the same transaction as the
fact row: the month it was received in, and the months of its old and new conclusion).
The next reading (:func:`refresh`) takes the dirty marks, deletes them and recomputes
those months from the fact table, one month at a time, before reading. Recomputing is
idempotent, and a mark committed while a reading runs stays for the next one, so no
change is lost under concurrency. :func:`rebuild` recomputes every month (bulk loads).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Min

from paco.panel.models import CaseFigure, PanelDirtyMonth, PanelMonth
from paco.panel.tally import Key, Period, Tally, from_facts
from paco.tenancy.models import Municipality


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return next_month(month) - datetime.timedelta(days=1)


def mark(municipality_id: int, days: Iterable[datetime.date | None]) -> None:
    months = {month_of(d) for d in days if d is not None}
    PanelDirtyMonth.objects.bulk_create(
        PanelDirtyMonth(municipality_id=municipality_id, month=m) for m in sorted(months)
    )


def recompute(town: Municipality, month: datetime.date) -> None:
    groups: dict[Key, Tally] = {}
    from_facts(town, Period(month, month_end(month)), groups)
    PanelMonth.objects.for_municipality(town).filter(month=month).delete()
    PanelMonth.objects.bulk_create(
        PanelMonth(
            municipality=town,
            month=month,
            kind=kind,
            ombudsman_type=otype,
            service_id=service_id,
            unit_id=unit_id,
            received=t.received,
            open=t.in_progress,
            days={str(d): n for d, n in t.days.items()},
            on_time=t.on_time,
            late=t.late,
            no_clock=t.no_clock,
            scores={str(s): n for s, n in t.scores.items()},
            resolved=dict(t.resolved),
        )
        for (kind, otype, service_id, unit_id), t in groups.items()
    )


def refresh(town: Municipality) -> int:
    """Recompute the months marked dirty; returns how many."""
    marks = list(PanelDirtyMonth.objects.for_municipality(town).values_list("pk", "month"))
    if not marks:
        return 0
    with transaction.atomic():
        PanelDirtyMonth.objects.filter(pk__in=[pk for pk, _m in marks]).delete()
        months = sorted({m for _pk, m in marks})
        for month in months:
            recompute(town, month)
    return len(months)


def rebuild(town: Municipality) -> None:
    """Every month of ``town`` again from its fact rows."""
    facts = CaseFigure.objects.for_municipality(town)
    span = facts.aggregate(
        first=Min("received_on"), last=Max("received_on"), last_done=Max("concluded_on")
    )
    with transaction.atomic():
        PanelDirtyMonth.objects.for_municipality(town).delete()
        PanelMonth.objects.for_municipality(town).delete()
        if span["first"] is None:
            return
        last = max(span["last"], span["last_done"] or span["last"])
        month = month_of(span["first"])
        while month <= last:
            recompute(town, month)
            month = next_month(month)


def read(town: Municipality, period: Period) -> dict[Key, Tally]:
    """The tallies of ``period``: whole months from the aggregates, edge days from the facts."""
    refresh(town)
    groups: dict[Key, Tally] = {}
    lo: datetime.date | None = None  # first whole month
    hi: datetime.date | None = None  # last whole month
    edges: list[Period] = []
    whole_months = True
    start, end = period.start, period.end
    if start is not None and end is not None and month_of(start) == month_of(end):
        if start.day == 1 and end == month_end(end):
            lo = hi = month_of(start)
        else:
            edges.append(period)
            whole_months = False
    else:
        if start is not None:
            if start.day == 1:
                lo = start
            else:
                edges.append(Period(start, month_end(start)))
                lo = next_month(start)
        if end is not None:
            if end == month_end(end):
                hi = month_of(end)
            else:
                edges.append(Period(month_of(end), end))
                hi = month_of(month_of(end) - datetime.timedelta(days=1))
    if whole_months and (lo is None or hi is None or lo <= hi):
        rows = PanelMonth.objects.for_municipality(town)
        if lo is not None:
            rows = rows.filter(month__gte=lo)
        if hi is not None:
            rows = rows.filter(month__lte=hi)
        columns = [
            *("kind", "ombudsman_type", "service_id", "unit_id", "month", "received"),
            *("open", "days", "on_time", "late", "no_clock", "scores", "resolved"),
        ]
        # the histograms are summed with their JSON (text) keys, turned into ints once per group
        days: dict[Key, Counter[str]] = {}
        scores: dict[Key, Counter[str]] = {}
        for (
            kind,
            otype,
            service,
            unit,
            month,
            received,
            still_open,
            d,
            on,
            late,
            none,
            sc,
            res,
        ) in rows.values_list(*columns).iterator(chunk_size=5000):
            key = (kind, otype, service, unit)
            t = groups.get(key)
            if t is None:
                t = groups[key] = Tally()
                days[key], scores[key] = Counter(), Counter()
            t.received += received
            t.in_progress += still_open
            if d:
                days[key].update(d)
                t.concluded_by_year[month.year] += sum(d.values())
            t.on_time += on
            t.late += late
            t.no_clock += none
            if sc:
                scores[key].update(sc)
                t.resolved.update(res)
        for key, histogram in days.items():
            groups[key].days.update({int(k): n for k, n in histogram.items()})
            groups[key].scores.update({int(k): n for k, n in scores[key].items()})
    for edge in edges:
        from_facts(town, edge, groups)
    return groups
