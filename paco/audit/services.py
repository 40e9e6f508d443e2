"""``record()``: the helper every action calls after it changes data."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict

from paco.audit.context import current_ip
from paco.audit.models import AuditEntry
from paco.core.cache import invalidate_public_pages
from paco.tenancy.models import Municipality


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(obj: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """A JSON-ready dict of a model's editable fields, for before/after diffs."""
    data = model_to_dict(obj, exclude=list(exclude))
    return {key: _plain(value) for key, value in data.items()}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    *,
    municipality: Municipality | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    user = actor if actor is not None and not isinstance(actor, AnonymousUser) else None
    if municipality is None:
        municipality = getattr(obj, "municipality", None)
    # Every action records an entry, so this is the one place public pages learn
    # that the municipality's content changed (see paco.core.cache).
    town_id = municipality.pk if municipality is not None else None
    transaction.on_commit(lambda: invalidate_public_pages(town_id))
    return AuditEntry.objects.create(
        municipality=municipality,
        actor=user,
        actor_repr=str(user) if user else "sistema",
        ip_address=current_ip.get() or None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:250],
        changes=changes or {},
    )
