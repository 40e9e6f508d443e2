"""Open-data work: versions awaiting a decision, datasets whose update is late."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.urls import reverse

from paco.accounts.models import Role
from paco.opendata.models import Dataset, ResourceVersion, VersionStatus
from paco.workspace.reach import Reach
from paco.workspace.work import WorkItem

_AWAITING = {
    VersionStatus.NEEDS_REVIEW: "Decidir sobre os dados pessoais encontrados",
    VersionStatus.READY: "Revisar e publicar a versão",
}


def open_items(reach: Reach, today: datetime.date) -> Iterable[WorkItem]:
    units = reach.units(Role.DATA_EDITOR)
    if units == set():
        return []
    versions = (
        ResourceVersion.objects.for_municipality(reach.town)
        .filter(status__in=list(_AWAITING))
        .select_related("resource__dataset__unit")
        .order_by("created_at")
    )
    datasets = (
        Dataset.objects.for_municipality(reach.town)
        .update_overdue(today)
        .select_related("unit")
        .order_by("next_update_due")
    )
    if units is not None:
        versions = versions.filter(resource__dataset__unit_id__in=units)
        datasets = datasets.filter(unit_id__in=units)
    items = []
    for version in versions:
        items.append(version_item(version))
    for dataset in datasets:
        items.append(
            WorkItem(
                kind="dataset_update",
                kind_label="Atualização de conjunto de dados",
                key=f"dataset_update:{dataset.pk}:{dataset.next_update_due}",
                title=dataset.title,
                url=reverse("pipeline:upload", args=[dataset.name]),
                action_label="Enviar a nova versão dos dados",
                unit_id=dataset.unit_id,
                unit_name=dataset.unit.name if dataset.unit else "",
                due=dataset.next_update_due,
                since=None,
            )
        )
    return items


def version_item(version: ResourceVersion) -> WorkItem:
    """A version awaiting a servant (the LGPD decision, or review and publication)."""
    dataset = version.resource.dataset
    return WorkItem(
        kind="version_review",
        kind_label="Versão de dados a revisar",
        key=f"version_review:{version.pk}",
        title=f"{dataset.title} — {version.resource.title}, versão {version.number}",
        url=reverse("pipeline:version", args=[version.resource_id, version.number]),
        action_label=_AWAITING[VersionStatus(version.status)],
        unit_id=dataset.unit_id,
        unit_name=dataset.unit.name if dataset.unit else "",
        due=None,
        since=version.created_at,
    )


def notify_awaiting(version: ResourceVersion) -> None:
    """Tell the dataset's unit that a version awaits them (called where it starts waiting).

    A version published automatically never waits, so nobody is told about it.
    """
    from paco.notifications.actions import notify_new_item

    if version.status not in _AWAITING:
        return
    report = version.report or {}
    options = report.get("options") or {}
    errors = int(report.get("error_count") or 0)
    published_at_once = options.get("auto_publish") and (not errors or options.get("accept_errors"))
    if version.status == VersionStatus.READY and published_at_once:
        return
    version = ResourceVersion.objects.select_related("resource__dataset__unit").get(pk=version.pk)
    notify_new_item(version.municipality, version_item(version))
