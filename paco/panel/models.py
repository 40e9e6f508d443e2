"""The panel's fact table: one small row per case, kept in step with the case.

:class:`CaseFigure` holds, for every :class:`~paco.atendimento.models.Case`, only
what the public panel counts — kind, manifestation type, service, unit, the day it
was received, whether it is open, the local day it was concluded, its handling
time in days, whether it kept its deadline, and its rating — as plain integers and
dates. No text and nothing about who asked: the table could be published as is.

Why a table of its own (docs/decisions.md, "Painel"): the handling time needs the
conclusion's *local* day, which SQLite can only get through a Python function per
row; storing it once when the case changes lets every panel query be a plain
``GROUP BY`` over indexed integer columns on both databases. The rows are written
by :mod:`paco.panel.facts` (signals on Case and Rating; :func:`~paco.panel.facts.rebuild`
for bulk loads and repairs), never by hand.
"""

from __future__ import annotations

from django.db import models

from paco.tenancy.models import TenantModel, TenantQuerySet


class CaseFigure(TenantModel):
    case = models.OneToOneField(
        "atendimento.Case", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=12)
    ombudsman_type = models.CharField(max_length=12, blank=True)
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "tenancy.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_on = models.DateField()
    is_open = models.BooleanField()
    #: local day (the town's time zone) of the conclusion; None while not concluded
    concluded_on = models.DateField(null=True, blank=True)
    concluded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    #: calendar days from ``received_on`` to ``concluded_on`` (0 when the same day)
    handling_days = models.PositiveIntegerField(null=True, blank=True)
    #: concluded on or before ``due_on``; None when not concluded or without a clock
    on_time = models.BooleanField(null=True, blank=True)
    has_clock = models.BooleanField(default=False)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    resolved = models.CharField(max_length=12, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "número do painel"
        verbose_name_plural = "números do painel"
        indexes = [
            models.Index(
                fields=["municipality", "concluded_on", "kind", "service", "unit"],
                name="panel_concluded",
            ),
            models.Index(fields=["municipality", "is_open", "received_on"], name="panel_open"),
            models.Index(fields=["municipality", "kind", "received_on"], name="panel_received"),
        ]

    def __str__(self) -> str:
        return f"figure {self.pk}"


class PanelMonth(TenantModel):
    """The panel's counts of one group (kind, type, service, unit) in one calendar month.

    Received-side counts (``received``, ``open``) are of the cases received in the month;
    the rest of the cases *concluded* in it. Recomputed from :class:`CaseFigure` for the
    months a change touched (:class:`PanelDirtyMonth`), see :mod:`paco.panel.aggregates`.
    """

    month = models.DateField()  # the month's first day
    kind = models.CharField(max_length=12)
    ombudsman_type = models.CharField(max_length=12, blank=True)
    service = models.ForeignKey(
        "catalog.Service", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "tenancy.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    #: handling days → concluded cases (JSON object with string keys)
    days = models.JSONField(default=dict)
    on_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    no_clock = models.PositiveIntegerField(default=0)
    #: score ("1"…"5") → ratings, and "sim"/"parcialmente"/"nao" → answers
    scores = models.JSONField(default=dict)
    resolved = models.JSONField(default=dict)

    objects = TenantQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["municipality", "month"], name="panel_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.kind}"


class PanelDirtyMonth(TenantModel):
    """A month whose :class:`PanelMonth` rows must be recomputed before the next reading."""

    month = models.DateField()

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
