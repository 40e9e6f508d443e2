"""Demo content for this app; filled in by its module."""

from __future__ import annotations

from typing import Any


def load(town: Any, units: dict[str, Any]) -> None:
    return None
