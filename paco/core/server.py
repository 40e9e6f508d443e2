"""Gunicorn configuration and hooks used by ``paco serve``.

``paco serve`` prepares the instance (static files, checks) and then *replaces
itself* with gunicorn (``os.execv``), so no extra supervisor process holds a
copy of Django in memory. This module is gunicorn's config file
(``-c python:paco.core.server``); gunicorn reads it in the master, which never
imports Django (no ``--preload``): the master stays small (~25 MB).

The background-task worker (django-tasks-db's ``Worker``) runs as a thread in
one web worker process, chosen through an exclusive file lock in the data
directory. So web and tasks share one Python process and one memory budget:

* if the task thread dies, it terminates its web worker process, and gunicorn
  starts a new one (with a new task thread) — the pair is supervised together;
* if a web worker dies, gunicorn replaces it; the lock is released with the
  process, and the next worker to take it runs the tasks;
* Ctrl+C / SIGTERM reach the gunicorn master, which stops the workers
  gracefully; each worker stops its task thread after the current task.

Settings come from environment variables written by ``paco serve``.
"""

from __future__ import annotations

import fcntl
import logging
import os
import signal
import threading
from pathlib import Path
from typing import Any

logger = logging.getLogger("paco.server")

TASKS_ENV = "PACO_SERVE_TASKS"
TASKS_INTERVAL_ENV = "PACO_SERVE_TASKS_INTERVAL"
LOCK_NAME = "tasks-worker.lock"

# --- gunicorn settings read from this module ---------------------------------
worker_class = "gthread"
accesslog = "-"
control_socket_disable = True
graceful_timeout = 25
timeout = 60


class TaskThread(threading.Thread):
    """Runs django-tasks-db's worker loop once this process holds the lock."""

    def __init__(self, lock_path: Path, interval: float) -> None:
        super().__init__(name="paco-tasks", daemon=True)
        self.lock_path = lock_path
        self.interval = interval
        self.worker: Any = None
        self.ticker: Any = None
        self.stopping = threading.Event()

    def run(self) -> None:
        from django.db import connection
        from django.utils.crypto import get_random_string
        from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
        from django_tasks_db.management.commands.db_worker import Worker

        with self.lock_path.open("a") as handle:
            while not self._try_lock(handle):  # another web process runs the tasks
                if self.stopping.wait(self.interval):
                    return
            from paco.opendata.pipeline.processing import recover_on_worker_start

            recover_on_worker_start()  # imports a killed worker left half done
            from paco.notifications.ticker import Ticker

            self.ticker = Ticker()  # retries, digests and the deadline scan
            self.ticker.start()
            self.worker = Worker(
                queue_names=[DEFAULT_TASK_QUEUE_NAME],
                interval=self.interval,
                batch=False,
                backend_name=DEFAULT_TASK_BACKEND_ALIAS,
                startup_delay=True,
                max_tasks=None,
                worker_id=f"paco-{os.getpid()}-{get_random_string(8)}",
                excluded_queue_names=[],
            )
            try:
                self.worker.run()
            except Exception:
                logger.exception("O processador de tarefas parou; reiniciando o processo web.")
                os.kill(os.getpid(), signal.SIGTERM)
            finally:
                connection.close()

    @staticmethod
    def _try_lock(handle: Any) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def stop(self, timeout: float) -> None:
        self.stopping.set()
        if self.worker is not None:
            self.worker.running = False
        if self.ticker is not None:
            self.ticker.stopping.set()
        self.join(timeout)


_task_thread: TaskThread | None = None


def post_worker_init(worker: Any) -> None:
    """Gunicorn hook (in each web worker, after the app loaded): start the task thread."""
    global _task_thread
    if os.environ.get(TASKS_ENV, "1") != "1":
        return
    from django.conf import settings

    interval = float(os.environ.get(TASKS_INTERVAL_ENV, "2"))
    _task_thread = TaskThread(Path(settings.DATA_DIR) / LOCK_NAME, interval)
    _task_thread.start()


def worker_exit(server: Any, worker: Any) -> None:
    """Gunicorn hook (in the web worker, on exit): let the current task finish."""
    if _task_thread is not None:
        _task_thread.stop(timeout=graceful_timeout - 5)
