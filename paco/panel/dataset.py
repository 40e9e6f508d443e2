"""The panel as an open dataset ("painel-de-atendimento"), self-published like the Carta.

One row per calendar year and group (all cases, each kind, each unit, each Carta
service), with the same columns as ``/painel.csv``: aggregates only, no personal data.
:mod:`paco.opendata.selfpublish` refreshes it after a case or a rating changes
(:mod:`paco.panel.facts` schedules it), and ``paco publish-self`` at once.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from paco.panel import exports, figures, report
from paco.tenancy.models import Municipality


def table(town: Municipality) -> tuple[list[str], list[list[Any]]]:
    header = ["ano", *exports.CSV_COLUMNS]
    rows: list[list[Any]] = []
    now = timezone.now()
    for year in sorted(report.years(town)):
        panel = figures.build(town, figures.Period.year(year), now=now)
        rows += [[year, *row] for row in exports.csv_rows(panel)]
    return header, rows
