"""Cases a servant's units still owe an answer, an appeal decision or a look at."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse

from paco.atendimento.access import handled_cases
from paco.atendimento.models import OPEN_STATUSES, Case, Status
from paco.workspace.reach import Reach
from paco.workspace.work import WorkItem

KIND = "case"
KIND_LABEL = "Atendimento"


def open_items(reach: Reach, today: datetime.date) -> Iterable[WorkItem]:
    if not reach.is_staff:
        return []
    cases = (
        handled_cases(reach)
        .filter(status__in=OPEN_STATUSES)
        .select_related("unit")
        .only(
            "id",
            "number",
            "kind",
            "status",
            "due_on",
            "submitted_at",
            "assigned_to_id",
            "unit__id",
            "unit__name",
        )
    )
    return [item_for(case) for case in cases]


ACTION_LABELS = {
    Status.RECEIVED: "Triar e atribuir",
    Status.IN_PROGRESS: "Responder ao cidadão",
    Status.WAITING_CITIZEN: "Aguardar o cidadão",
    Status.APPEALED: "Decidir o recurso",
}


def item_for(case: Case) -> WorkItem:
    """The case as a work item (no subject: it may carry personal data)."""
    return WorkItem(
        kind=KIND,
        kind_label=KIND_LABEL,
        key=f"case:{case.pk}",
        title=f"{case.number} — {case.get_kind_display()}",
        url=reverse("atendimento:staff_case", args=[case.slug]),
        action_label=ACTION_LABELS.get(Status(case.status), "Ver"),
        unit_id=case.unit_id,
        unit_name=case.unit.name if case.unit else "",
        due=case.due_on,
        since=case.submitted_at,
        assignee_id=case.assigned_to_id,
    )
