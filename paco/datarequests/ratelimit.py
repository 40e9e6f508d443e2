"""A fixed-window per-address limit kept in Django's cache (shared when Redis is used)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

#: new requests (and link re-sends) per address and municipality, per hour
LIMIT = 5
WINDOW_SECONDS = 3600


def hit(scope: str, town_id: int, address: str, *, limit: int | None = None) -> bool:
    """Count one attempt; ``False`` once the address went over the limit in this window."""
    limit = LIMIT if limit is None else limit
    window = int(time.time() // WINDOW_SECONDS)
    digest = hashlib.sha256(address.encode()).hexdigest()[:24]  # no raw IPs in the cache
    key = f"paco:datarequests:{scope}:{town_id}:{digest}:{window}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count <= limit
