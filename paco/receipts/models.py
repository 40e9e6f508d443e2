"""The receipt: what was received, when, by whom it is handled — sealed by a hash, found by code.

A :class:`Receipt` is written once (:func:`paco.receipts.actions.issue_receipt`) and
never changed: ``save()`` refuses an update. It points at what it is a receipt of
(``subject``: any model, through a content type) and carries everything it shows,
so it reads the same even if the case later changes.

Two audiences:

- whoever may see the subject (the citizen, the clerk) sees the whole receipt:
  ``lines`` and ``explanation`` may hold personal data (a name, an address);
- anyone with the code sees at ``/verificar/`` only ``public_summary`` (masked again
  at read time, :mod:`paco.core.publictext`), the number, the date and the hash.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Self

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from paco.core.origin import town_root
from paco.core.publictext import public_text
from paco.receipts import codes, content, presentation
from paco.tenancy.models import TenantModel, TenantQuerySet


class ReceiptQuerySet(TenantQuerySet):
    def for_subject(self, subject: models.Model) -> Self:
        """The receipts of one object (newest first)."""
        kind = ContentType.objects.get_for_model(subject)
        return self.filter(subject_type=kind, subject_id=subject.pk).order_by("-issued_at", "-pk")

    def with_code(self, code: str) -> Self:
        """By canonical code (:func:`paco.receipts.codes.parse` first)."""
        return self.filter(code=code)


class ImmutableReceiptError(RuntimeError):
    """A receipt was about to be changed after it was issued."""


class Receipt(TenantModel):
    code = models.CharField(
        "código de verificação", max_length=codes.LENGTH, unique=True, editable=False
    )
    kind = models.CharField(
        "tipo", max_length=60, help_text="O que o comprovante registra, p. ex. “atendimento.caso”."
    )
    subject_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="tipo do objeto",
    )
    subject_id = models.PositiveBigIntegerField("objeto", null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    number = models.CharField("número (protocolo)", max_length=40)
    title = models.CharField("título", max_length=content.MAX_TITLE)
    issued_at = models.DateTimeField("emitido em")
    lines = models.JSONField("conteúdo", default=list)
    explanation = models.JSONField("como o prazo foi calculado", default=list, blank=True)
    content_sha256 = models.CharField("resumo SHA-256 do conteúdo", max_length=64)
    public_summary = models.CharField(
        "resumo público",
        max_length=content.MAX_SUMMARY,
        help_text="O que /verificar/ mostra a quem tem o código: sem dados pessoais.",
    )
    created_at = models.DateTimeField("registrado em", auto_now_add=True)

    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = "comprovante"
        verbose_name_plural = "comprovantes"
        ordering = ["-issued_at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="receipt_subject"),
        ]

    def __str__(self) -> str:
        # what the audit trail shows: the number, never the content
        return f"Comprovante {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableReceiptError("Um comprovante emitido não muda.")
        super().save(*args, **kwargs)

    # --- presentation ------------------------------------------------------------------
    @property
    def display_code(self) -> str:
        """``7KQ2-M9XD-4TPB-R3H3``."""
        return codes.formatted(self.code)

    @property
    def verification_path(self) -> str:
        return reverse("receipts:verified", args=[self.display_code])

    @cached_property
    def verification_url(self) -> str:
        """The address in the QR code: the town's own host (``paco.core.origin.town_root``).

        Reads the town's host names: give the receipt the request's municipality
        (``receipt.municipality = request.municipality``, whose hosts are already known)
        and this costs no query.
        """
        return town_root(self.municipality) + self.verification_path

    @property
    def issued_text(self) -> str:
        """``02/03/2026 às 14:05:09 (horário de Brasília)``."""
        return presentation.local_moment(self.issued_at)

    @property
    def qr_svg(self) -> SafeString:
        """The QR code of :attr:`verification_url`, as inline SVG."""
        return mark_safe(presentation.qr_svg(self.verification_url))  # noqa: S308 (segno's SVG)

    @property
    def public_summary_text(self) -> str:
        """The summary as the public sees it (personal data masked, whatever was stored)."""
        return public_text(self.public_summary)

    # --- integrity ---------------------------------------------------------------------
    def canonical_document(self) -> bytes:
        return content.canonical_document(
            ibge_code=self.municipality.ibge_code,
            kind=self.kind,
            number=self.number,
            title=self.title,
            issued_at=self.issued_at,
            lines=self.lines,
            explanation=self.explanation,
        )

    def is_intact(self) -> bool:
        """Whether the stored content still hashes to the stored digest."""
        return content.digest(self.canonical_document()) == self.content_sha256
