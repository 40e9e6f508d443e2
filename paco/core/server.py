"""Gunicorn configuration and hooks used by ``paco serve``.

``paco serve`` prepares the instance (static files, checks) and then *replaces
itself* with gunicorn (``os.execv``), so no extra supervisor process holds a
copy of Django in memory. This module is gunicorn's config file
(``-c python:paco.core.server``).

Both cores: by default gunicorn runs one web process per core, up to two
(:func:`default_workers`), each with a few threads. The master loads Paço once
(``preload_app``: settings, apps, URL configuration, templates' modules), freezes
those objects out of the garbage collector's reach (:func:`gc.freeze`) and forks
the web processes, which share that memory copy-on-write. Heavy libraries (DuckDB,
rdflib, openpyxl…) are imported on first use (:mod:`paco.core.lazy`), so an idle
installation stays small (figures in ``bench/RESULTS.md`` and docs/decisions.md).

The background-task worker (django-tasks-db's ``Worker``) runs as a thread in
one web worker process, chosen through an exclusive file lock in the data
directory. So web and tasks share one memory budget:

* if the task thread dies, it terminates its web worker process, and gunicorn
  starts a new one (with a new task thread) — the pair is supervised together;
* if a web worker dies, gunicorn replaces it; the lock is released with the
  process, and the next worker to take it runs the tasks;
* Ctrl+C / SIGTERM reach the gunicorn master, which stops the workers
  gracefully; each worker stops its task thread after the current task.

The processes agree through the shared cache (``CACHES`` in :mod:`paco.settings`:
diskcache under the data directory, or Redis), never through process memory.

Settings come from environment variables written by ``paco serve``.
"""

from __future__ import annotations

import fcntl
import gc
import logging
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

from paco.core.clientip import PEER  # the connection's peer, as gunicorn's %(h)s

logger = logging.getLogger("paco.server")

TASKS_ENV = "PACO_SERVE_TASKS"
TASKS_INTERVAL_ENV = "PACO_SERVE_TASKS_INTERVAL"
RECYCLE_ENV = "PACO_RECYCLE_MB"
IDLE_ENV = "PACO_RECYCLE_IDLE_SECONDS"
SEND_TIMEOUT_ENV = "PACO_SEND_TIMEOUT_SECONDS"
LOCK_NAME = "tasks-worker.lock"

# --- gunicorn settings read from this module ---------------------------------
worker_class = "gthread"
preload_app = True
accesslog = "-"
# the worker's pid ends each access-log line: which process answered (tests, operations)
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" pid=%(p)s'
logger_class = "paco.core.server.AccessLogger"
control_socket_disable = True
graceful_timeout = 25
timeout = 60


class AccessLogger(GunicornLogger):
    """Gunicorn's logger, writing the line of :data:`access_log_format` directly.

    Gunicorn's own ``access`` first builds a table of every request and response
    header and environment value any format could name, then formats the line from it:
    about a third of what a cached page costs the server (``bench/RESULTS.md``). This
    writes the same line (same fields, same escaping of quotes) from the few values the
    format names. Another ``--access-logformat`` is written by gunicorn's own code.
    """

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        if self.cfg.access_log_format != access_log_format:
            super().access(resp, req, environ, request_time)
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        get = environ.get
        request_line = (
            f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}"
        )
        line = (
            f"{_safe(get(PEER, '-'))} - {_safe(self._get_user(environ) or '-')} "
            f'{self.now()} "{_safe(request_line)}" {status} '
            f'{"-" if sent is None else sent} "{_safe(get("HTTP_REFERER", "-"))}" '
            f'"{_safe(get("HTTP_USER_AGENT", "-"))}" pid=<{os.getpid()}>'
        )
        try:
            self.access_log.info(line)
        except Exception:
            self.error(traceback.format_exc())


def _safe(value: Any) -> Any:
    """What gunicorn's ``SafeAtoms`` does to each value: quotes escaped."""
    return value.replace('"', '\\"') if isinstance(value, str) else value


def resident_mb() -> float:
    """This process's resident memory now, in MB (0 where /proc is not available)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class TaskThread(threading.Thread):
    """Runs django-tasks-db's worker loop once this process holds the lock.

    Some tasks load DuckDB and work on whole files; the memory they leave behind
    would stay in this web process for good. So once the process has grown by more
    than ``recycle_mb`` since the thread took the lock, the thread stops taking tasks
    after the current one and calls ``on_recycle``: gunicorn then retires this web
    process gracefully (it finishes its requests) and forks a fresh one from the
    preloaded master, and the next process to take the lock runs the queue.
    """

    def __init__(
        self,
        lock_path: Path,
        interval: float,
        recycle_mb: float = 0,
        on_recycle: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name="paco-tasks", daemon=True)
        self.lock_path = lock_path
        self.interval = interval
        self.recycle_mb = recycle_mb
        self.on_recycle = on_recycle
        self.worker: Any = None
        self.ticker: Any = None
        self.recycled = False
        self.stopping = threading.Event()
        self.waiting = threading.Event()  # set once the lock was found held elsewhere

    def _watch_memory(self, worker: Any) -> None:
        """Stop ``worker`` after the task that makes this process outgrow ``recycle_mb``."""
        if not (self.recycle_mb and self.on_recycle and hasattr(worker, "run_task")):
            return
        baseline = resident_mb()
        run_task = worker.run_task

        def run_and_weigh(result: Any) -> None:
            run_task(result)
            grown = resident_mb() - baseline
            if grown > self.recycle_mb:
                logger.info(
                    "O processo cresceu %.0f MB com as tarefas; um processo novo assume.", grown
                )
                self.recycled = True
                worker.running = False

        worker.run_task = run_and_weigh

    def run(self) -> None:
        from django.db import connection
        from django.utils.crypto import get_random_string
        from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
        from django_tasks_db.management.commands.db_worker import Worker

        with self.lock_path.open("a") as handle:
            while not self._try_lock(handle):  # another web process runs the tasks
                self.waiting.set()
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
            self._watch_memory(self.worker)
            try:
                self.worker.run()
                if self.recycled and self.on_recycle is not None:
                    self.on_recycle()
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


def default_workers() -> int:
    """Web processes when nothing is configured: one per core, at most two.

    Two processes use both cores of the small machine Paço is sized for and stay
    within its memory budget; bigger installations set ``--workers`` /
    ``PACO_WEB_WORKERS`` (and usually a shared Redis cache and separate workers).
    """
    return max(1, min(2, len(os.sched_getaffinity(0))))


def when_ready(server: Any) -> None:
    """Gunicorn hook (in the master, after preloading, before forking the web processes).

    Import the URL configuration (and with it every view module) once here, so the
    web processes share it instead of each importing it on its first request, then
    move everything loaded so far out of the garbage collector's generations: the
    collector would otherwise write to those objects' headers in each process and
    un-share their pages.
    """
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 — imports the views
    connections.close_all()  # nothing opened before the fork is inherited
    gc.freeze()


class IdleRecycler(threading.Thread):
    """Retires this web process once it sits idle after having grown.

    A cold public page can load DuckDB (a dataset's preview reads its Parquet file:
    about 50 MB that stay in the process for good). Under load that memory is
    working memory; once the process has served nothing for ``idle_seconds`` (no
    request in flight, no task running) and is more than ``limit_mb`` above its
    size after the fork, it is retired gracefully (``alive = False``, as gunicorn's
    ``max_requests`` does) and gunicorn forks a fresh one from the preloaded master,
    so an idle installation returns to its small size without churning under load.
    """

    def __init__(self, worker: Any, limit_mb: float, idle_seconds: float) -> None:
        super().__init__(name="paco-recycler", daemon=True)
        self.worker = worker
        self.limit_mb = limit_mb
        self.idle_seconds = idle_seconds
        self.baseline = resident_mb()
        self.in_flight = 0
        self.last_request = time.monotonic()
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def request_started(self) -> None:
        with self.lock:
            self.in_flight += 1

    def request_finished(self) -> None:
        with self.lock:
            self.in_flight -= 1
            self.last_request = time.monotonic()

    def should_retire(self) -> bool:
        task = _task_thread.worker if _task_thread is not None else None
        with self.lock:
            busy = self.in_flight > 0 or bool(getattr(task, "running_task", False))
            idle_for = time.monotonic() - self.last_request
        return (
            not busy
            and idle_for >= self.idle_seconds
            and resident_mb() - self.baseline > self.limit_mb
        )

    def run(self) -> None:
        while not self.stopping.wait(min(5.0, self.idle_seconds / 2)):
            if self.should_retire():
                logger.warning(
                    "Processo web ocioso com %.0f MB além do início; um processo novo assume.",
                    resident_mb() - self.baseline,
                )
                self.worker.alive = False
                return


_recycler: IdleRecycler | None = None


def post_worker_init(worker: Any) -> None:
    """Gunicorn hook (in each web worker, after the app loaded): start the task thread
    and the idle recycler."""
    global _task_thread, _recycler
    recycle_mb = float(os.environ.get(RECYCLE_ENV, "40"))
    if recycle_mb > 0:
        _recycler = IdleRecycler(worker, recycle_mb, float(os.environ.get(IDLE_ENV, "30")))
        _recycler.start()
    if os.environ.get(TASKS_ENV, "1") != "1":
        return
    from django.conf import settings

    interval = float(os.environ.get(TASKS_INTERVAL_ENV, "2"))

    def retire() -> None:  # what gunicorn's max_requests does: finish requests, then exit
        worker.alive = False

    _task_thread = TaskThread(Path(settings.DATA_DIR) / LOCK_NAME, interval, recycle_mb, retire)
    _task_thread.start()


def pre_request(worker: Any, request: Any) -> None:
    """Gunicorn hook (in the web worker, before each request).

    Gunicorn's threads write responses on blocking sockets: a client that stops
    reading a download (a file sent with ``sendfile``, a streamed export) would hold
    the thread as long as the TCP connection lives. With a timeout on the socket, a
    write that makes no progress for ``PACO_SEND_TIMEOUT_SECONDS`` fails and the
    thread is free again (the connection is closed).
    """
    if _recycler is not None:
        _recycler.request_started()
    seconds = float(os.environ.get(SEND_TIMEOUT_ENV, "30") or 0)
    sock = getattr(getattr(request, "unreader", None), "sock", None)
    if seconds > 0 and sock is not None:
        sock.settimeout(seconds)


def post_request(worker: Any, request: Any, environ: Any, response: Any) -> None:
    """Gunicorn hook (in the web worker, after each response was sent)."""
    if _recycler is not None:
        _recycler.request_finished()


def worker_exit(server: Any, worker: Any) -> None:
    """Gunicorn hook (in the web worker, on exit): let the current task finish."""
    if _recycler is not None:
        _recycler.stopping.set()
    if _task_thread is not None:
        _task_thread.stop(timeout=graceful_timeout - 5)
