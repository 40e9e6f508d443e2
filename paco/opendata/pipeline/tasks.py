"""Background work of the import pipeline (django-tasks), and what enqueues it.

The writes (:mod:`.actions`) announce work through signals sent on commit; the
receivers here enqueue the tasks. This module is imported when the app is ready.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django_tasks import task

from paco.opendata import signals
from paco.opendata.datastore import artifacts
from paco.opendata.models import Dataset, DatasetState, Resource, ResourceVersion
from paco.opendata.pipeline.actions import record_csv_export
from paco.opendata.pipeline.processing import recover_on_worker_start, run_version

logger = logging.getLogger(__name__)


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
    """Build a published version's files (exports, engine file, row store: :mod:`artifacts`),
    then store the hash and size of its CSV export (for datapackage.json)."""
    version = ResourceVersion.objects.select_related("resource__dataset").filter(pk=version_id)
    found = version.first()
    if found is None:
        return "missing"
    if found.parquet and found.published_at is not None and public_enough(found):
        try:
            artifacts.build(found)
        except Exception:  # the Parquet path keeps answering; the figures are still stored
            logger.exception("Arquivos da versão %s não construídos.", found.pk)
        if not public_enough(found):  # withdrawn while it was being built
            artifacts.remove(found)
    return record_csv_export(found).csv_sha256


def public_enough(version: ResourceVersion) -> bool:
    """Whether the public may still reach the version (the artifacts exist for those only)."""
    if version.resource.dataset.state != DatasetState.PUBLISHED:
        return False
    return ResourceVersion.objects.public_history().filter(pk=version.pk).exists()


@receiver(signals.version_queued, dispatch_uid="paco-pipeline-process-version")
def enqueue_processing(sender: Any, *, version_id: int, **kwargs: Any) -> None:
    process_version.enqueue(version_id)


@receiver(signals.version_published, sender=Resource, dispatch_uid="paco-pipeline-measure-csv")
def enqueue_csv_measure(
    sender: Any, *, resource: Resource, version: ResourceVersion, **kwargs: Any
) -> None:
    if version.parquet and (not version.csv_sha256 or artifacts.ready(version) is None):
        measure_csv_export.enqueue(version.pk)
    # older versions the public can no longer reach (current-only datasets) lose their files
    reachable = set(resource.versions.public_history().values_list("pk", flat=True))
    for older in resource.versions.exclude(pk=version.pk).exclude(parquet=""):
        if older.pk not in reachable:
            artifacts.remove(older)


@receiver(signals.dataset_changed, sender=Dataset, dispatch_uid="paco-pipeline-dataset-files")
def follow_dataset_state(sender: Any, *, dataset: Dataset, **kwargs: Any) -> None:
    """A withdrawn dataset's versions lose their built files; a published one gets them back."""
    versions = ResourceVersion.objects.filter(resource__dataset=dataset).exclude(parquet="")
    if dataset.state != DatasetState.PUBLISHED:
        for version in versions:
            artifacts.remove(version)
        return
    current = versions.filter(resource__current_version=models.F("pk"))
    for version in current:
        if artifacts.ready(version) is None:
            measure_csv_export.enqueue(version.pk)


@receiver(post_delete, sender=ResourceVersion, dispatch_uid="paco-pipeline-version-files")
def remove_deleted_files(sender: Any, *, instance: ResourceVersion, **kwargs: Any) -> None:
    if instance.parquet:
        artifacts.remove(instance)
