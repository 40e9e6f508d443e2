"""The default shared cache: diskcache's Django backend, kept open between requests.

``CACHES`` (see :mod:`paco.settings`) uses diskcache's SQLite-backed cache under
the data directory, so every process of the installation shares cached pages,
content versions and rate-limit counters (``incr`` is one SQLite transaction,
atomic across processes).

Django closes every cache at the end of each request (``request_finished`` →
``close_caches``); for diskcache that closes the SQLite connections, and opening
them again (one per shard, with their PRAGMAs) made each cached page cost about
4 ms instead of about 1 ms (``bench/cache_backends.py``). The connections are
per thread and reopened after a fork (diskcache checks the process id), so
keeping them open is safe.
"""

from __future__ import annotations

from typing import Any

from diskcache import DjangoCache


class SharedDiskCache(DjangoCache):
    def close(self, **kwargs: Any) -> None:
        """Keep the connections for the thread's next request (see the module's text)."""
