"""Notices to servants about their work: in the app (a counter and a list) and by e-mail.

A :class:`Notification` is one notice to one servant about one work item
(:class:`paco.workspace.work.WorkItem`, named by its stable ``key``). Its
``dedupe_key`` makes every notice idempotent: the same event (a deadline in N days
for the same item and due date, an assignment made at a given moment) is stored
once, so the periodic scan can run any number of times.

E-mail delivery is tracked on the notice itself (``email_state``, attempts, last
error, next attempt): a failed send is retried with backoff, a bounded number of
times (:mod:`paco.notifications.tasks`).

What each servant receives is their :class:`Preference` (one row per servant and
town; without a row, every kind by e-mail, one message per event). The town's
default number of days before a deadline is :class:`TownSettings`.

Writes go through :mod:`paco.notifications.actions`.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models

from paco.tenancy.models import TenantModel, TenantQuerySet, Unit


class Kind(models.TextChoices):
    NEW_ITEM = "new_item", "Novo item na fila da unidade"
    ASSIGNED = "assigned", "Item atribuído a mim"
    DUE_SOON = "due_soon", "Prazo se aproximando"
    OVERDUE = "overdue", "Prazo vencido"


class Channel(models.TextChoices):
    OFF = "off", "Não avisar"
    APP = "app", "Só aqui no Paço"
    EMAIL = "email", "Aqui no Paço e por e-mail"


class EmailState(models.TextChoices):
    NONE = "", "Sem e-mail"
    PENDING = "pending", "A enviar"
    DIGEST = "digest", "No resumo diário"
    SENDING = "sending", "Enviando"
    SENT = "sent", "Enviado"
    FAILED = "failed", "Falhou (tentativas esgotadas)"


class NotificationQuerySet(TenantQuerySet):
    def for_user(self, user: object) -> Self:
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(TenantModel):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="destinatário",
    )
    kind = models.CharField("tipo", max_length=20, choices=Kind.choices)
    #: the work item's stable key (``data_request:42``)
    item_key = models.CharField("item", max_length=120)
    #: one notice per (recipient, dedupe_key): kind, item and what makes the event unique
    dedupe_key = models.CharField("chave de unicidade", max_length=200)
    title = models.CharField("título", max_length=300)
    url = models.CharField("endereço", max_length=300)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="unidade",
    )
    due = models.DateField("prazo", null=True, blank=True)
    created_at = models.DateTimeField("criado em", auto_now_add=True)
    read_at = models.DateTimeField("lido em", null=True, blank=True)
    # -- e-mail delivery -----------------------------------------------------------
    email_state = models.CharField(
        "e-mail", max_length=10, choices=EmailState.choices, default="", blank=True
    )
    email_attempts = models.PositiveSmallIntegerField("tentativas de envio", default=0)
    email_error = models.CharField("último erro de envio", max_length=300, blank=True)
    email_next_at = models.DateTimeField("próxima tentativa", null=True, blank=True)
    emailed_at = models.DateTimeField("enviado em", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "aviso"
        verbose_name_plural = "avisos"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "recipient", "dedupe_key"],
                name="notification_unique_event",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "municipality", "read_at"]),
            models.Index(fields=["email_state", "email_next_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


#: the preference field of each kind
KIND_FIELDS = {
    Kind.NEW_ITEM: "new_item",
    Kind.ASSIGNED: "assigned",
    Kind.DUE_SOON: "due_soon",
    Kind.OVERDUE: "overdue",
}


def _channel(label: str) -> models.CharField[str, str]:
    return models.CharField(label, max_length=10, choices=Channel.choices, default=Channel.EMAIL)


class Preference(TenantModel):
    """What one servant receives in one town (no row: every kind by e-mail, no digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name="servidor",
    )
    new_item = _channel("novo item na fila da unidade")
    assigned = _channel("item atribuído a mim")
    due_soon = _channel("prazo se aproximando")
    overdue = _channel("prazo vencido")
    digest = models.BooleanField(
        "resumo diário",
        default=False,
        help_text="Um e-mail por dia com todos os avisos, em vez de um e-mail por aviso.",
    )
    days_before = models.PositiveSmallIntegerField(
        "dias de antecedência",
        null=True,
        blank=True,
        help_text="Avisar quantos dias antes do prazo. Em branco: o padrão do município.",
    )
    last_digest_on = models.DateField("último resumo em", null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "preferência de avisos"
        verbose_name_plural = "preferências de avisos"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "user"], name="notification_preference_unique_user"
            ),
        ]

    def __str__(self) -> str:
        return f"Avisos de {self.user}"

    def channel(self, kind: str) -> str:
        return str(getattr(self, KIND_FIELDS[Kind(kind)]))


class TownSettings(TenantModel):
    """The town's defaults for its servants' notices."""

    days_before = models.PositiveSmallIntegerField(
        "dias de antecedência (padrão do município)",
        null=True,
        blank=True,
        help_text="Quantos dias antes do prazo os servidores são avisados, salvo escolha "
        "própria. Em branco: o padrão da instalação (PACO_NOTIFY_DAYS_BEFORE).",
    )
    #: the day the deadline scan last ran for the town (it runs once a day)
    last_scan_on = models.DateField("última verificação de prazos em", null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "configuração de avisos do município"
        verbose_name_plural = "configurações de avisos do município"
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="notification_town_unique"),
        ]

    def __str__(self) -> str:
        return f"Avisos de {self.municipality}"
