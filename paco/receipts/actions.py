"""Issuing a receipt: the one write of this app.

The caller (the case engine, later Processos) has already checked who acts: a
receipt is issued by the system for a submission it has just accepted, usually in
the same transaction. Here the content is cleaned and sealed, a unique code is
drawn and the audit trail records the issue — the number, the kind and the hash,
never the lines (they may hold the citizen's name or address).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from paco.audit.services import record
from paco.receipts import codes, content
from paco.receipts.models import Receipt
from paco.tenancy.models import Municipality

#: draws of a code before giving up (a clash of 75 random bits is not expected to happen)
CODE_ATTEMPTS = 5


def _subject_town_id(subject: models.Model) -> int | None:
    return getattr(subject, "municipality_id", None)


@transaction.atomic
def issue_receipt(
    municipality: Municipality,
    *,
    kind: str,
    subject: models.Model | None,
    number: str,
    title: str,
    issued_at: datetime.datetime,
    lines: Iterable[Sequence[str] | Mapping[str, str]],
    explanation: Iterable[str] = (),
    public_summary: str,
    actor: Any = None,
) -> Receipt:
    """Issue the receipt of ``subject`` (a saved object of ``municipality``, or ``None``).

    ``lines``: ``(label, value)`` pairs in the order shown — what was asked, the
    unit, the deadline…; ``explanation``: the steps of "how the deadline was
    computed"; ``public_summary``: the one sentence ``/verificar/`` shows to anyone
    with the code, written without personal data (it is masked again when shown).
    Texts longer than :mod:`paco.receipts.content`'s limits are refused
    (``ValidationError``): callers keep their form fields shorter.
    """
    if subject is not None:
        if subject.pk is None:
            raise ValueError("O objeto do comprovante precisa estar salvo.")
        town_id = _subject_town_id(subject)
        if town_id is not None and town_id != municipality.pk:
            raise ValueError("O objeto do comprovante é de outro município.")
    cleaned_lines = content.clean_lines(lines)
    cleaned_explanation = content.clean_explanation(explanation)
    kind = content.clean_text(kind)
    number = content.clean_text(number)
    title = content.clean_text(title)
    summary = content.clean_text(public_summary)
    if not (kind and number and title and summary):
        raise ValidationError("Comprovante sem tipo, número, título ou resumo público.")
    issued_at = issued_at.replace(microsecond=0)  # as shown and hashed: to the second
    sha256 = content.digest(
        content.canonical_document(
            ibge_code=municipality.ibge_code,
            kind=kind,
            number=number,
            title=title,
            issued_at=issued_at,
            lines=cleaned_lines,
            explanation=cleaned_explanation,
        )
    )
    receipt = Receipt(
        municipality=municipality,
        kind=kind,
        subject=subject,
        number=number,
        title=title,
        issued_at=issued_at,
        lines=cleaned_lines,
        explanation=cleaned_explanation,
        content_sha256=sha256,
        public_summary=summary,
    )
    receipt.full_clean(exclude=["code", "municipality", "subject_type", "subject_id"])
    _save_with_new_code(receipt)
    record(
        actor,
        "receipt.issue",
        receipt,
        changes={
            "after": {
                "kind": kind,
                "number": number,
                "content_sha256": sha256,
                "subject": f"{subject._meta.label_lower}:{subject.pk}" if subject else None,
            }
        },
    )
    return receipt


def _save_with_new_code(receipt: Receipt) -> None:
    for _ in range(CODE_ATTEMPTS):
        receipt.code = codes.new_code()
        try:
            with transaction.atomic():
                receipt.save(force_insert=True)
            return
        except IntegrityError:
            receipt._state.adding = True
            if not Receipt.objects.filter(code=receipt.code).exists():
                raise
    raise RuntimeError("Não foi possível sortear um código de verificação livre.")
