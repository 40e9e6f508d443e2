"""The one JSON boundary of a version's outcome: no NaN or ±Infinity ever reaches the database.

``json.dumps`` writes ``NaN``/``Infinity`` by default, which no JSON parser and neither
database accepts (SQLite's ``JSON_VALID`` check, PostgreSQL's ``json`` type): storing a
statistic that became ``inf`` used to fail after the last progress write and leave the
version “processing 99%”. :class:`FiniteJSONField` replaces every non-finite float by
``null`` on its way to the database, whatever step computed it.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import models


def finite_json(value: Any) -> Any:
    """``value`` with every NaN/±Infinity float (at any depth) replaced by ``None``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite_json(item) for item in value]
    return value


class FiniteJSONField(models.JSONField):
    """A JSONField that stores non-finite floats as ``null`` (strict JSON, both engines)."""

    def get_prep_value(self, value: Any) -> Any:
        return super().get_prep_value(finite_json(value))

    def deconstruct(self) -> Any:
        # Same column as a JSONField: migrations see no change.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
