"""Requests to open a database (Lei nº 14.129/2021 art. 30).

Anyone may ask, without an account and without giving reasons. A
:class:`DataRequest` carries the requester's contact details (personal data: never
shown on public pages nor in the open dataset of requests), the description of the
database wanted (public), the assigned unit, the LAI deadlines (computed in
:mod:`paco.datarequests.deadlines`), the answer and, at most, one appeal.

The requester follows the request through a secret link; only a SHA-256 digest
of its token is stored (``token_hash``).

Writes go through :mod:`paco.datarequests.actions`.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from paco.core.publictext import PublicTextModel, PublicTextQuerySet
from paco.tenancy.models import TenantModel, Unit


class Status(models.TextChoices):
    RECEIVED = "recebido", "Recebido"
    IN_ANALYSIS = "em_analise", "Em análise"
    ANSWERED = "respondido", "Respondido"
    APPEALED = "em_recurso", "Em recurso"
    APPEAL_DECIDED = "recurso_decidido", "Recurso decidido"


#: statuses in which the unit still owes the requester an answer
AWAITING_ANSWER = (Status.RECEIVED, Status.IN_ANALYSIS)


class Outcome(models.TextChoices):
    GRANTED = "atendido", "Atendido: base publicada"
    PARTIAL = "parcial", "Atendido em parte"
    DENIED = "negado", "Negado"


class AppealOutcome(models.TextChoices):
    UPHELD = "provido", "Recurso provido (o pedido volta à unidade para ser atendido)"
    REJECTED = "nao_provido", "Recurso não provido (a resposta é mantida)"


def _late_answer(today: datetime.date) -> Q:
    return Q(status__in=AWAITING_ANSWER, due_date__lt=today)


def _late_appeal(today: datetime.date) -> Q:
    return Q(status=Status.APPEALED, appeal_due__lt=today)


class DataRequestQuerySet(PublicTextQuerySet):
    def answer_overdue(self, today: datetime.date) -> Self:
        """Requests whose answer is past its (possibly extended) due date."""
        return self.filter(_late_answer(today))

    def appeal_overdue(self, today: datetime.date) -> Self:
        """Appeals the higher authority has not decided in time."""
        return self.filter(_late_appeal(today))

    def overdue(self, today: datetime.date) -> Self:
        return self.filter(_late_answer(today) | _late_appeal(today))

    def in_units(self, unit_ids: set[int] | None) -> Self:
        """Requests assigned to these units (``None``: all, unassigned included)."""
        return self if unit_ids is None else self.filter(unit_id__in=unit_ids)

    def for_public_list(self) -> Self:
        """What every public surface reads (pages, the open dataset, feeds): only the
        columns the public may see, and their free texts redacted and masked
        (:mod:`paco.core.publictext`)."""
        return self.select_related("unit", "dataset").only(*PUBLIC_FIELDS).public_texts()


#: what the public sees of a request (no name, e-mail, phone, token, appeal text)
PUBLIC_FIELDS = (
    "id",
    "municipality",
    "protocol",
    "title",
    "description",
    "status",
    "received_at",
    "due_date",
    "extended_at",
    "extension_reason",
    "unit__id",
    "unit__name",
    "unit__acronym",
    "unit__slug",
    "answered_at",
    "outcome",
    "answer",
    "dataset__id",
    "dataset__name",
    "dataset__title",
    "dataset__state",
    "appealed_at",
    "appeal_due",
    "appeal_decided_at",
    "appeal_outcome",
    "appeal_decision",
    "redactions",
)


class DataRequest(TenantModel, PublicTextModel):
    #: free texts published with the request (masked and redacted for the public)
    PUBLIC_TEXT_FIELDS = ("title", "description", "extension_reason", "answer", "appeal_decision")

    protocol = models.CharField("protocolo", max_length=20, editable=False)
    # -- what is asked (public) ------------------------------------------------
    title = models.CharField("base de dados pedida", max_length=200)
    description = models.TextField(
        "descrição",
        help_text="Que dados você quer, de que período, em que nível de detalhe. "
        "Este texto será publicado: não inclua dados pessoais.",
    )
    # -- who asks (personal data: never public) --------------------------------
    requester_name = models.CharField("nome", max_length=200)
    requester_email = models.EmailField("e-mail")
    requester_phone = models.CharField("telefone", max_length=40, blank=True)
    hide_identity = models.BooleanField(
        "preservar identidade",
        default=False,
        help_text="A unidade que responde não verá seu nome nem seus contatos.",
    )
    token_hash = models.CharField("resumo do link de acompanhamento", max_length=64)
    # -- workflow --------------------------------------------------------------
    status = models.CharField(
        "situação", max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="unidade responsável",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="servidor responsável",
    )
    received_at = models.DateTimeField("recebido em", auto_now_add=True)
    due_date = models.DateField("prazo da resposta")
    analysis_started_at = models.DateTimeField("análise iniciada em", null=True, blank=True)
    extended_at = models.DateTimeField("prorrogado em", null=True, blank=True)
    extension_reason = models.TextField("justificativa da prorrogação", blank=True)
    # -- the answer ------------------------------------------------------------
    answered_at = models.DateTimeField("respondido em", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="respondido por",
    )
    outcome = models.CharField("resultado", max_length=20, choices=Outcome.choices, blank=True)
    answer = models.TextField("resposta", blank=True)
    dataset = models.ForeignKey(
        "opendata.Dataset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="data_requests",
        verbose_name="conjunto que atende o pedido",
    )
    #: a draft dataset linked with "answer when published": answered automatically
    pending_answer = models.TextField("resposta a enviar na publicação", blank=True)
    # -- the appeal ------------------------------------------------------------
    appeal_until = models.DateField("prazo para recurso", null=True, blank=True)
    appealed_at = models.DateTimeField("recurso apresentado em", null=True, blank=True)
    appeal_text = models.TextField("razões do recurso", blank=True)
    appeal_due = models.DateField("prazo da decisão do recurso", null=True, blank=True)
    appeal_decided_at = models.DateTimeField("recurso decidido em", null=True, blank=True)
    appeal_outcome = models.CharField(
        "decisão do recurso", max_length=20, choices=AppealOutcome.choices, blank=True
    )
    appeal_decision = models.TextField("fundamentação da decisão do recurso", blank=True)
    modified_at = models.DateTimeField("modificado em", auto_now=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "pedido de abertura de base"
        verbose_name_plural = "pedidos de abertura de bases"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "protocol"], name="datarequest_unique_protocol"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "due_date"]),
            models.Index(fields=["token_hash"]),
        ]

    def __str__(self) -> str:
        return f"{self.protocol} — {self.title}"

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    @property
    def running_deadline(self) -> datetime.date | None:
        """The deadline that currently runs: the answer's, the appeal decision's, or none."""
        if self.status in AWAITING_ANSWER:
            return self.due_date
        if self.status == Status.APPEALED:
            return self.appeal_due
        return None

    def days_overdue(self, today: datetime.date) -> int:
        """Days past the deadline that currently runs (0 when on time or nothing is due)."""
        due = self.running_deadline
        return max(0, (today - due).days) if due else 0

    def can_appeal(self, today: datetime.date) -> bool:
        return (
            self.status == Status.ANSWERED
            and self.appealed_at is None
            and self.appeal_until is not None
            and today <= self.appeal_until
        )

    def timeline(self) -> list[tuple[datetime.datetime, str]]:
        """The public history of the request: (when, what), oldest first."""
        events = [(self.received_at, "Pedido recebido")]
        if self.analysis_started_at:
            where = f" pela unidade {self.unit}" if self.unit_id else ""
            events.append((self.analysis_started_at, f"Análise iniciada{where}"))
        if self.extended_at:
            events.append((self.extended_at, "Prazo prorrogado por 10 dias"))
        if self.answered_at:
            events.append((self.answered_at, f"Respondido: {self.get_outcome_display()}"))
        if self.appealed_at:
            events.append((self.appealed_at, "Recurso apresentado"))
        if self.appeal_decided_at:
            events.append(
                (self.appeal_decided_at, f"Recurso decidido: {self.get_appeal_outcome_display()}")
            )
        return events


class ProtocolCounter(TenantModel):
    """The last protocol number given in a municipality and year (DA-2026-000123)."""

    year = models.PositiveIntegerField("ano")
    last = models.PositiveIntegerField("último número", default=0)

    class Meta:
        verbose_name = "contador de protocolos"
        verbose_name_plural = "contadores de protocolos"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="datarequest_counter_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
