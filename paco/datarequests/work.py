"""Requests to open a database that a unit still owes an answer or an appeal decision."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from paco.accounts.models import Role
from paco.datarequests.models import AWAITING_ANSWER, DataRequest, Status
from paco.workspace.reach import Reach
from paco.workspace.work import WorkItem


def open_items(reach: Reach, today: datetime.date) -> Iterable[WorkItem]:
    units = reach.units(Role.DATA_EDITOR)
    if units == set():
        return []
    requests = (
        DataRequest.objects.for_municipality(reach.town)
        .in_units(units)
        .filter(Q(status__in=AWAITING_ANSWER) | Q(status=Status.APPEALED))
        .select_related("unit")
        .only(
            "id",
            "protocol",
            "title",
            "status",
            "due_date",
            "appeal_due",
            "received_at",
            "assigned_to_id",
            "unit__id",
            "unit__name",
        )
    )
    return [item_for(data_request) for data_request in requests]


def item_for(data_request: DataRequest) -> WorkItem:
    """The request as a work item (also what its notifications are about)."""
    appeal = data_request.status == Status.APPEALED
    return WorkItem(
        kind="data_request",
        kind_label="Pedido de abertura de dados",
        key=f"data_request:{data_request.pk}",
        title=f"{data_request.protocol} — {data_request.title}",
        url=reverse("datarequests:staff_detail", args=[data_request.protocol]),
        action_label="Decidir o recurso" if appeal else "Responder ao pedido",
        unit_id=data_request.unit_id,
        unit_name=data_request.unit.name if data_request.unit else "",
        due=data_request.appeal_due if appeal else data_request.due_date,
        since=data_request.received_at,
        assignee_id=data_request.assigned_to_id,
    )
