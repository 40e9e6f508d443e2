"""Plan stages past their deadline, or due soon, that are still open."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse

from paco.accounts.models import Role
from paco.plans.models import OPEN_STATUSES, Stage
from paco.workspace.reach import Reach
from paco.workspace.work import WorkItem

#: stages whose deadline is this many days away or less are listed before they are late
DUE_SOON_DAYS = 30


def open_items(reach: Reach, today: datetime.date) -> Iterable[WorkItem]:
    units = reach.units(Role.PLAN_EDITOR)
    if units == set():
        return []
    stages = (
        Stage.objects.for_municipality(reach.town)
        .filter(status__in=OPEN_STATUSES, deadline__lte=today + datetime.timedelta(DUE_SOON_DAYS))
        .select_related("plan", "unit")
        .order_by("deadline")
    )
    if units is not None:
        stages = stages.filter(unit_id__in=units)
    return [
        WorkItem(
            kind="plan_stage",
            kind_label="Etapa do cronograma",
            key=f"plan_stage:{stage.pk}",
            title=f"Etapa {stage.number} — {stage.description[:120]}",
            url=reverse("plans:stage_edit", args=[stage.pk]),
            action_label="Atualizar a situação da etapa",
            unit_id=stage.unit_id,
            unit_name=stage.unit.name if stage.unit else "",
            due=stage.deadline,
            since=None,
        )
        for stage in stages
    ]
