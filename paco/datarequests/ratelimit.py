"""A fixed-window per-address limit on new requests (see :mod:`paco.core.ratelimit`)."""

from __future__ import annotations

from paco.core import ratelimit

#: new requests (and link re-sends) per address and municipality, per hour
LIMIT = 5
WINDOW_SECONDS = 3600


def hit(scope: str, town_id: int, address: str, *, limit: int | None = None) -> bool:
    """Count one attempt; ``False`` once the address went over the limit in this window."""
    return ratelimit.hit(
        f"datarequests:{scope}",
        town_id,
        address,
        limit=LIMIT if limit is None else limit,
        window_seconds=WINDOW_SECONDS,
    )
