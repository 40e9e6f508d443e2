"""Background work of the import pipeline (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paco.opendata.models import ResourceVersion
from paco.opendata.pipeline.processing import recover_on_worker_start, run_version
from paco.opendata.pipeline.services import record_csv_export


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
