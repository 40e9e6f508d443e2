"""``record()``: the helper every action calls after it changes data."""

from __future__ import annotations

import datetime
import decimal
import json
import logging
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connections, models, transaction
from django.db.models.fields.files import FieldFile
from django.forms.models import model_to_dict
from django.utils import timezone

from paco.audit import chain
from paco.audit.context import current_ip
from paco.audit.labels import LABELS
from paco.audit.models import AuditEntry
from paco.core.cache import invalidate_public_pages
from paco.tenancy.models import Municipality

logger = logging.getLogger(__name__)

#: Key of the PostgreSQL advisory lock that serializes writers of the chain
#: (an arbitrary 63-bit constant: "paco-audit" in hex).
CHAIN_LOCK = 0x7061636F5F617564


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
    """Append one entry to the trail, linked to the previous one (``paco.audit.chain``)."""
    _check_label(action)
    user = actor if actor is not None and not isinstance(actor, AnonymousUser) else None
    if municipality is None:
        municipality = getattr(obj, "municipality", None)
    # Every action records an entry, so this is the one place public pages learn
    # that the municipality's content changed (see paco.core.cache).
    town_id = municipality.pk if municipality is not None else None
    transaction.on_commit(lambda: invalidate_public_pages(town_id))
    ip = current_ip.get() or None
    entry = AuditEntry(
        municipality=municipality,
        actor=user,
        actor_repr=(str(user) if user else "sistema")[:200],
        # Stored as the database gives it back, so the digest recomputes identically.
        ip_address=AuditEntry._meta.get_field("ip_address").to_python(ip) if ip else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:250],
        changes=json.loads(json.dumps(changes or {})),
    )
    with transaction.atomic(using=AuditEntry.objects.db):
        _append(entry)
    return entry


def _append(entry: AuditEntry) -> None:
    """Link ``entry`` to the chain's head and insert it, one writer at a time.

    PostgreSQL: a transaction-level advisory lock, held until the enclosing
    transaction ends, so the head read below is the committed one. SQLite: the
    ``IMMEDIATE`` transactions of settings.py already take the single write lock
    at ``BEGIN``. Either way the unique ``seq`` makes a fork impossible.
    """
    connection = connections[AuditEntry.objects.db]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    head = AuditEntry.objects.order_by("-seq").values_list("seq", "digest").first()
    entry.seq, entry.prev_digest = head if head else (0, chain.GENESIS)
    entry.seq += 1
    now = timezone.now()
    entry.at = now.replace(microsecond=now.microsecond // 1000 * 1000)  # as chain digests it
    entry.digest = chain.digest_of(entry)
    entry.save(force_insert=True)


def _check_label(action: str) -> None:
    """Every code people will read needs its pt-BR sentence (``paco.audit.labels``)."""
    if action in LABELS:
        return
    message = (
        f"Ação de auditoria sem rótulo em pt-BR: {action!r}. Acrescente-a em paco/audit/labels.py."
    )
    if settings.TESTING or settings.DEBUG:
        raise ValueError(message)
    logger.error(message)
