"""``paco db_worker``: django-tasks-db's worker that first takes over interrupted imports.

The same start-up as the task thread of ``paco serve`` (:mod:`paco.core.server`):
before the first task, every import whose attempt's process is gone (a worker
killed mid-job) is queued again once or marked failed
(:func:`paco.opendata.pipeline.processing.recover_on_worker_start`), at once
rather than when the next import happens to arrive. Beside the worker runs the
periodic pass of the servants' notices (:mod:`paco.notifications.ticker`).
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = (
        "Executa as tarefas em segundo plano (django-tasks-db); ao iniciar, retoma ou encerra "
        "as importações que um processo interrompido deixou pela metade."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        from paco.notifications.ticker import Ticker
        from paco.opendata.pipeline.processing import recover_on_worker_start

        recover_on_worker_start()
        ticker = Ticker()  # servants' notices: retries, digests, deadline scan
        ticker.start()
        try:
            super().handle(*args, **options)
        finally:
            ticker.stop(timeout=5)
