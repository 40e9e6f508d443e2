"""Background work of the import pipeline (django-tasks), and what enqueues it.

The writes (:mod:`.actions`) announce work through signals sent on commit; the
receivers here enqueue the tasks. This module is imported when the app is ready.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django_tasks import task

from paco.opendata import signals
from paco.opendata.models import Resource, ResourceVersion
from paco.opendata.pipeline.actions import record_csv_export
from paco.opendata.pipeline.processing import recover_on_worker_start, run_version


@task()
def process_version(version_id: int) -> str:
    """Process an uploaded version in the worker; returns its final status.

    Each run first looks for imports a killed worker left behind (their process
    is gone), as the worker's start-up does; the import itself runs in a capped
    child process (:mod:`paco.opendata.isolation`).
    """
    recover_on_worker_start()
    version = run_version(version_id)
    return version.status if version is not None else "missing"


@task()
def measure_csv_export(version_id: int) -> str:
    """Store the hash and size of a published version's CSV export (for datapackage.json)."""
    version = ResourceVersion.objects.filter(pk=version_id).first()
    if version is None:
        return "missing"
    return record_csv_export(version).csv_sha256


@receiver(signals.version_queued, dispatch_uid="paco-pipeline-process-version")
def enqueue_processing(sender: Any, *, version_id: int, **kwargs: Any) -> None:
    process_version.enqueue(version_id)


@receiver(signals.version_published, sender=Resource, dispatch_uid="paco-pipeline-measure-csv")
def enqueue_csv_measure(sender: Any, *, version: ResourceVersion, **kwargs: Any) -> None:
    if version.parquet and not version.csv_sha256:
        measure_csv_export.enqueue(version.pk)
