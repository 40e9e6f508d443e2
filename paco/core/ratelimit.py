"""Fixed-window counters in Django's cache (shared between processes when Redis is used).

Every per-client limit in Paço counts here, keyed by what the caller names: the
client address from :func:`paco.core.clientip.client_ip` (never a header read
elsewhere), an e-mail address, a municipality. The parts are hashed, so no raw
address or e-mail is kept in the cache.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def hit(scope: str, *parts: object, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt; ``False`` once ``parts`` went over ``limit`` in this window."""
    window = int(time.time() // window_seconds)
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    key = f"paco:ratelimit:{scope}:{digest}:{window}"
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count <= limit
