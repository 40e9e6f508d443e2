"""Background work of the import pipeline (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from paco.opendata.pipeline.processing import recover_on_worker_start, run_version


@task()
def process_version(version_id: int) -> str:
    """Process an uploaded version in the worker; returns its final status.

    Each run first looks for imports a killed worker left behind (their heartbeat
    stopped minutes ago), so a standalone ``paco db_worker`` recovers them too.
    """
    recover_on_worker_start()
    version = run_version(version_id)
    return version.status if version is not None else "missing"
