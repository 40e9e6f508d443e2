"""Throttled progress reports: ``callback(done, total)`` at most ``rate`` times a second."""

from __future__ import annotations

import time
from collections.abc import Callable

ProgressCallback = Callable[[int, int], None]


class Progress:
    """Forward ``(done, total)`` to the callback, never going back, at most ~10 times a second.

    ``total`` is the size of the work in arbitrary units (bytes of the source
    file for CSV); phases report fractions of it through :meth:`fraction`.
    """

    def __init__(self, callback: ProgressCallback | None, total: int, rate: float = 10.0) -> None:
        self.callback = callback
        self.total = max(total, 1)
        self.interval = 1.0 / rate
        self.last_time = 0.0
        self.done = 0

    def update(self, done: int, *, force: bool = False) -> None:
        if self.callback is None:
            return
        done = min(max(done, self.done), self.total)
        now = time.monotonic()
        if not force and now - self.last_time < self.interval:
            return
        self.last_time, self.done = now, done
        self.callback(done, self.total)

    def fraction(self, value: float, *, force: bool = False) -> None:
        self.update(int(self.total * min(max(value, 0.0), 1.0)), force=force)

    def finish(self) -> None:
        self.update(self.total, force=True)
