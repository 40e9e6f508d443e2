"""What ``/verificar/`` answers for a code: one shape for every kind of verifiable record.

Receipts register their finder here (``apps.py``); Processos will register one for
signed documents, so one public page, one code format (:mod:`paco.receipts.codes`)
and one rate limit serve both. A finder gets the request's municipality and a
canonical code, runs at most one query, and returns :class:`Verified` (only what the
public may see) or ``None``: another town's record is simply not found.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from paco.tenancy.models import Municipality


@dataclass(frozen=True)
class Verified:
    what: str  # "Comprovante eletrônico", later "Documento"
    number: str
    issued_at: datetime.datetime
    summary: str  # public text: no personal data
    content_sha256: str
    intact: bool  # the stored content still hashes to the stored digest


Finder = Callable[[Municipality, str], Verified | None]
_finders: list[Finder] = []


def register(finder: Finder) -> Finder:
    if finder not in _finders:
        _finders.append(finder)
    return finder


def find(town: Municipality, code: str) -> Verified | None:
    """The record of ``town`` with this canonical code, from the first finder that has it."""
    for finder in _finders:
        found = finder(town, code)
        if found is not None:
            return found
    return None


def find_receipt(town: Municipality, code: str) -> Verified | None:
    from paco.receipts.models import Receipt

    receipt = Receipt.objects.for_municipality(town).with_code(code).first()
    if receipt is None:
        return None
    receipt.municipality = town  # already loaded: no query for the digest's IBGE code
    return Verified(
        what="Comprovante eletrônico",
        number=receipt.number,
        issued_at=receipt.issued_at,
        summary=receipt.public_summary_text,
        content_sha256=receipt.content_sha256,
        intact=receipt.is_intact(),
    )
