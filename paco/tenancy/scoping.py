"""Which records of any model belong to a municipality: the back office's choice lists.

Every related choice the back office shows (a foreign-key select, a list filter,
an autocomplete, the label next to a raw id) comes from :func:`scoped_queryset`.
A model reaches its municipality through a chain of foreign keys found here
once (``Step`` → ``service`` → ``municipality``); vocabularies shared by every
town are listed in :data:`SHARED_MODELS`; a model with neither offers nothing
(fail closed), so a new model can never list another town's records by name.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import models

from paco.tenancy.models import Municipality

#: models whose records are the same for every municipality (national vocabularies)
SHARED_MODELS = frozenset({"opendata.theme", "catalog.audience"})
#: paths that forward foreign keys cannot find (people belong to a town by their roles)
EXTRA_PATHS = {"accounts.user": "memberships__municipality"}
_MAX_DEPTH = 4


@functools.cache
def municipality_path(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its :class:`Municipality` (``None``: no such chain)."""
    label = model._meta.label_lower
    if label in EXTRA_PATHS:
        return EXTRA_PATHS[label]
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    seen = {model}
    for _ in range(_MAX_DEPTH):
        following: list[tuple[type[models.Model], str]] = []
        for current, prefix in frontier:
            for field in current._meta.concrete_fields:
                if not field.many_to_one or field.related_model is None:
                    continue
                target = field.related_model
                path = f"{prefix}{field.name}"
                if target is Municipality:
                    return path
                if isinstance(target, type) and target not in seen:
                    seen.add(target)
                    following.append((target, f"{path}__"))
        frontier = following
    return None


def scoped_queryset(model: Any, municipality: Municipality) -> models.QuerySet[Any]:
    """``model``'s records of ``municipality`` (all of a shared vocabulary; none otherwise)."""
    manager = model._default_manager
    if model is Municipality:
        return manager.filter(pk=municipality.pk)
    if model._meta.label_lower in SHARED_MODELS:
        return manager.all()
    path = municipality_path(model)
    if path is None:
        return manager.none()
    qs = manager.filter(**{path: municipality})
    return qs.distinct() if model._meta.label_lower in EXTRA_PATHS else qs
