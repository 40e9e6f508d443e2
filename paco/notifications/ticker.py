"""The thread that runs :func:`paco.notifications.tasks.tick` beside the task worker.

Started by the process that runs the background tasks (``paco serve``'s task
thread, ``paco db_worker``), so exactly one process of an installation runs it
when the file lock of :mod:`paco.core.server` is held; the pass is idempotent
anyway (see :mod:`paco.notifications.tasks`).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


class Ticker(threading.Thread):
    def __init__(self, interval: float | None = None) -> None:
        super().__init__(name="paco-notifications", daemon=True)
        self.interval = float(interval or settings.PACO_NOTIFY_TICK_SECONDS)
        self.stopping = threading.Event()

    def run(self) -> None:
        from paco.notifications.tasks import tick

        while not self.stopping.wait(self.interval):
            close_old_connections()
            try:
                tick()
            except Exception:  # logged; the next pass tries again
                logger.exception("A passagem periódica dos avisos falhou.")
            finally:
                connection.close()

    def stop(self, timeout: float | None = None) -> None:
        self.stopping.set()
        self.join(timeout)
