"""Keeps :class:`~paco.panel.models.CaseFigure` in step with the cases (the panel's only writer).

Definitions (the ones the panel, its exports and the annual report publish):

- **in progress**: the case's status is one of ``OPEN_STATUSES`` (received, in
  progress, waiting for the citizen, under appeal);
- **concluded on**: the day of ``concluded_at`` in the town's time zone (the zone the
  deadline clock uses); a reopened and concluded-again case counts on its last conclusion;
- **handling time**: calendar days from ``received_on`` (the day the submission counts
  as received, after the cut-off hour rule) to the concluded-on day — the time the citizen
  waited, pauses and extensions included, as Lei 9.784 art. 66 counts (start day
  excluded): concluded the day it was received is 0 days. Never negative (a case
  concluded on a weekend before its Monday receipt day counts 0);
- **on time**: concluded-on day ≤ ``due_on`` (which includes an extension). A case
  without a clock (the Carta says "não estimado", or no policy) has no on-time value:
  it is left out of the share and counted apart.

Rows are upserted on ``post_save`` of a case (one statement) and a rating; a
rating's removal clears the score; each change marks the months it touches for the
monthly aggregates (:mod:`paco.panel.aggregates`). :func:`rebuild` recomputes a town's
rows and aggregates in bulk (the demo, a repair after a raw SQL change).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from paco.atendimento.models import OPEN_STATUSES, Case, Rating
from paco.panel import aggregates
from paco.panel.models import CaseFigure
from paco.plans.dates import PLAN_TIME_ZONE
from paco.tenancy.models import Municipality

#: the town's time zone for "which day": the deadline clock's
TOWN_TIME_ZONE = PLAN_TIME_ZONE
SELF_PUBLISH_KEY = "painel-de-atendimento"

_OPEN = {str(s) for s in OPEN_STATUSES}
_CASE_FIELDS = [
    "kind",
    "ombudsman_type",
    "service",
    "unit",
    "received_on",
    "is_open",
    "concluded_on",
    "concluded_year",
    "handling_days",
    "on_time",
    "has_clock",
]


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(TOWN_TIME_ZONE).date()


def figure_for(
    case_id: int,
    municipality_id: int,
    *,
    kind: str,
    ombudsman_type: str,
    service_id: int | None,
    unit_id: int | None,
    status: str,
    received_on: datetime.date,
    due_on: datetime.date | None,
    concluded_at: datetime.datetime | None,
    score: int | None = None,
    resolved: str = "",
) -> CaseFigure:
    """The fact row of one case, from its fields (pure: no query)."""
    concluded_on = local_day(concluded_at) if concluded_at is not None else None
    is_open = status in _OPEN
    if is_open:  # reopened: the earlier conclusion no longer counts
        concluded_on = None
    handling = None
    on_time = None
    if concluded_on is not None:
        handling = max((concluded_on - received_on).days, 0)
        if due_on is not None:
            on_time = concluded_on <= due_on
    return CaseFigure(
        case_id=case_id,
        municipality_id=municipality_id,
        kind=kind,
        ombudsman_type=ombudsman_type,
        service_id=service_id,
        unit_id=unit_id,
        received_on=received_on,
        is_open=is_open,
        concluded_on=concluded_on,
        concluded_year=concluded_on.year if concluded_on else None,
        handling_days=handling,
        on_time=on_time,
        has_clock=due_on is not None,
        score=score,
        resolved=resolved,
    )


def _from_case(case: Case) -> CaseFigure:
    return figure_for(
        case.pk,
        case.municipality_id,
        kind=case.kind,
        ombudsman_type=case.ombudsman_type,
        service_id=case.service_id,
        unit_id=case.unit_id,
        status=case.status,
        received_on=case.received_on,
        due_on=case.due_on,
        concluded_at=case.concluded_at,
    )


def save_figures(figures: Iterable[CaseFigure], *, with_rating: bool = False) -> None:
    """Insert or update rows in one statement (``INSERT … ON CONFLICT DO UPDATE``)."""
    fields = _CASE_FIELDS + (["score", "resolved"] if with_rating else [])
    CaseFigure.objects.bulk_create(
        list(figures), update_conflicts=True, unique_fields=["case"], update_fields=fields
    )


_suspended: ContextVar[bool] = ContextVar("paco_panel_facts_suspended", default=False)


@contextmanager
def rebuilt_after(town: Municipality) -> Iterator[None]:
    """Bulk loads (the demo): no row per save inside the block, one :func:`rebuild` after it."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)
    rebuild(town)


def _case_saved(sender: Any, instance: Case, raw: bool = False, **kwargs: Any) -> None:
    if raw or _suspended.get():
        return
    before = CaseFigure.objects.filter(pk=instance.pk).values_list("received_on", "concluded_on")
    old = before.first() or (None, None)
    row = _from_case(instance)
    save_figures([row])
    aggregates.mark(instance.municipality_id, [*old, row.received_on, row.concluded_on])
    _schedule_publish(instance.municipality_id)


def _rating_saved(sender: Any, instance: Rating, raw: bool = False, **kwargs: Any) -> None:
    if raw or _suspended.get():
        return
    _rated(instance, instance.score, instance.resolved)
    _schedule_publish(instance.municipality_id)


def _rating_deleted(sender: Any, instance: Rating, **kwargs: Any) -> None:
    _rated(instance, None, "")


def _rated(rating: Rating, score: int | None, resolved: str) -> None:
    rows = CaseFigure.objects.filter(case_id=rating.case_id)
    rows.update(score=score, resolved=resolved)
    aggregates.mark(rating.municipality_id, rows.values_list("concluded_on", flat=True))


def _schedule_publish(municipality_id: int) -> None:
    from paco.opendata import selfpublish

    selfpublish.schedule(municipality_id, SELF_PUBLISH_KEY)


def connect_receivers() -> None:
    post_save.connect(_case_saved, sender=Case, dispatch_uid="paco.panel.case")
    post_save.connect(_rating_saved, sender=Rating, dispatch_uid="paco.panel.rating")
    post_delete.connect(_rating_deleted, sender=Rating, dispatch_uid="paco.panel.rating.del")


def rebuild(town: Municipality, *, chunk: int = 5000) -> int:
    """Recompute every row of ``town`` from its cases and ratings; returns the number of cases."""
    columns = (
        "pk",
        "kind",
        "ombudsman_type",
        "service_id",
        "unit_id",
        "status",
        "received_on",
        "due_on",
        "concluded_at",
        "rating__score",
        "rating__resolved",
    )
    cases = Case.objects.for_municipality(town).order_by("pk").values_list(*columns)
    total = 0
    with transaction.atomic():
        CaseFigure.objects.for_municipality(town).delete()
        batch: list[CaseFigure] = []
        for (
            pk,
            kind,
            otype,
            service,
            unit,
            status,
            received,
            due,
            concluded,
            score,
            res,
        ) in cases.iterator(chunk_size=chunk):
            batch.append(
                figure_for(
                    pk,
                    town.pk,
                    kind=kind,
                    ombudsman_type=otype,
                    service_id=service,
                    unit_id=unit,
                    status=status,
                    received_on=received,
                    due_on=due,
                    concluded_at=concluded,
                    score=score,
                    resolved=res or "",
                )
            )
            if len(batch) >= chunk:
                CaseFigure.objects.bulk_create(batch)
                total += len(batch)
                batch = []
        CaseFigure.objects.bulk_create(batch)
        total += len(batch)
        aggregates.rebuild(town)
    return total
