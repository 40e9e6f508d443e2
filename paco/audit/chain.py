"""The hash chain that makes a change to any past audit entry detectable.

One chain per installation (not per municipality): entries without a town
(installation superusers, the system) and an edit that crosses towns are covered
by the same proof, and one lock serializes writers.

Entry *n* stores ``seq = n``, ``prev_digest`` (the ``digest`` of entry *n − 1*, or
``GENESIS`` for the first) and ``digest = sha256(canonical(entry))``, where the
canonical form is compact, key-sorted JSON of every stored field except the
row id and the digest itself. Changing any field, removing or inserting an entry
breaks the chain at that entry; ``verify()`` names the first one.

Values are canonicalized as the database and a backup give them back (UTC
timestamps to the millisecond, JSON numbers with integral floats as integers — PostgreSQL's
``jsonb`` turns ``1e20`` into ``100000000000000000000``), so a digest computed
when writing equals the one recomputed when reading, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paco.audit.models import AuditEntry

GENESIS = "0" * 64


def _plain_json(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _plain_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_json(v) for v in value]
    return value


def _utc(at: datetime.datetime) -> str:
    # Milliseconds: Django's JSON serializer (dumpdata, hence ``paco backup``) keeps
    # no more, so an entry must digest the same after a backup and restore.
    return at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:23] + "Z"


def canonical(entry: AuditEntry) -> bytes:
    data = {
        "seq": entry.seq,
        "prev_digest": entry.prev_digest,
        "at": _utc(entry.at),
        "municipality": entry.municipality_id,
        "actor": entry.actor_id,
        "actor_repr": entry.actor_repr,
        "ip_address": entry.ip_address or None,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "changes": _plain_json(entry.changes),
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest_of(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first entry where the chain does not hold."""

    entry_id: int
    seq: int | None
    at: datetime.datetime
    reason: str

    def __str__(self) -> str:
        when = self.at.astimezone(datetime.UTC).strftime("%d/%m/%Y %H:%M:%S UTC")
        return f"registro id {self.entry_id} (nº {self.seq}, de {when}): {self.reason}"


@dataclass(frozen=True)
class Verdict:
    checked: int
    head: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def walk(entries: Iterable[AuditEntry]) -> Verdict:
    """Check ``entries`` (in ``seq`` order) link up from the genesis; stop at the first break."""
    expected_seq, previous, checked = 1, GENESIS, 0
    for entry in entries:
        reason = _mismatch(entry, expected_seq, previous)
        if reason:
            return Verdict(checked, previous, Break(entry.pk, entry.seq, entry.at, reason))
        expected_seq, previous, checked = expected_seq + 1, entry.digest, checked + 1
    return Verdict(checked, previous, None)


def _mismatch(entry: AuditEntry, expected_seq: int, previous: str) -> str:
    if entry.seq != expected_seq:
        return (
            f"esperava o nº {expected_seq} e encontrou o nº {entry.seq}: "
            "um ou mais registros foram apagados ou inseridos fora da cadeia"
        )
    if entry.prev_digest != previous:
        return "o resumo do registro anterior gravado nele não confere (a cadeia foi refeita)"
    if digest_of(entry) != entry.digest:
        return "o conteúdo não confere com o resumo gravado (o registro foi alterado)"
    return ""


def ordered(queryset: Any) -> Iterator[AuditEntry]:
    entries: Iterator[AuditEntry] = queryset.order_by("seq").iterator(chunk_size=2000)
    return entries
