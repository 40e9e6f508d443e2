"""Citizens: the profile that makes a user a citizen, who viewed their data, deletion requests.

A citizen is a :class:`paco.accounts.models.User` (global, like staff) with a
:class:`CitizenProfile`. The CPF is optional and, when given, the key of the account:
unique, check digits validated (``paco.citizens.cpf``). gov.br login (OpenID Connect)
confirms it and keeps the account's reliability level (bronze, prata, ouro).
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from paco.tenancy.models import Municipality, TenantQuerySet


class Channel(models.TextChoices):
    EMAIL = "email", "Por e-mail (e também aqui no site)"
    APP = "app", "Só aqui no site"


class Level(models.TextChoices):
    """gov.br account levels, lowest first (``reliability_info.level``)."""

    BRONZE = "bronze", "Bronze"
    PRATA = "prata", "Prata"
    OURO = "ouro", "Ouro"


#: the order of the levels, for "at least prata"
LEVEL_RANK = {"": 0, Level.BRONZE: 1, Level.PRATA: 2, Level.OURO: 3}


class CitizenProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="citizen_profile",
        verbose_name="usuário",
    )
    cpf = models.CharField("CPF", max_length=11, blank=True, default="")
    cpf_verified_at = models.DateTimeField("CPF confirmado pelo gov.br em", null=True, blank=True)
    phone = models.CharField("telefone", max_length=20, blank=True, default="")
    preferred_channel = models.CharField(
        "como prefere receber avisos", max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    email_verified_at = models.DateTimeField("e-mail confirmado em", null=True, blank=True)
    govbr_level = models.CharField(
        "nível da conta gov.br", max_length=10, choices=Level.choices, blank=True, default=""
    )
    govbr_level_seen_at = models.DateTimeField("nível visto em", null=True, blank=True)
    created_in = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="cadastrado no site de",
    )
    created_at = models.DateTimeField("criado em", auto_now_add=True)

    class Meta:
        verbose_name = "perfil de cidadão"
        verbose_name_plural = "perfis de cidadãos"
        constraints = [
            models.UniqueConstraint(fields=["cpf"], condition=~Q(cpf=""), name="citizen_cpf_unique")
        ]

    def __str__(self) -> str:
        # never the CPF or the e-mail: this is what audit entries and logs show
        return f"Cidadão nº {self.user_id}"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class PersonalDataViewQuerySet(TenantQuerySet):
    def of_citizen(self, user: models.Model) -> Self:
        return self.filter(citizen=user)


class PersonalDataView(models.Model):
    """One look by a staff member at a citizen's data (LGPD; Lei 14.129 art. 25 §1).

    Written by :func:`paco.citizens.actions.record_personal_data_view`, which the case
    engine calls on every staff view of a citizen's case; shown in "Meus dados".
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name="município"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="personal_data_views",
        verbose_name="cidadão",
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="servidor",
    )
    viewer_name = models.CharField("servidor (nome)", max_length=200)
    context = models.CharField("o que foi visto", max_length=200)
    viewed_at = models.DateTimeField("quando", auto_now_add=True, db_index=True)

    objects = PersonalDataViewQuerySet.as_manager()

    class Meta:
        verbose_name = "acesso a dados pessoais"
        verbose_name_plural = "acessos a dados pessoais"
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["citizen", "municipality", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.viewer_name}: {self.context}"


class DeletionStatus(models.TextChoices):
    PENDING = "pending", "Aguardando a prefeitura"
    DONE = "done", "Atendido: dados excluídos"
    REFUSED = "refused", "Não atendido (guarda exigida por lei)"


class DeletionRequestQuerySet(TenantQuerySet):
    def pending(self) -> Self:
        return self.filter(status=DeletionStatus.PENDING)


class DeletionRequest(models.Model):
    """A citizen asks the town to delete their personal data (LGPD art. 18 VI)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name="município"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="deletion_requests",
        verbose_name="cidadão",
    )
    citizen_name = models.CharField("nome informado", max_length=200)
    reason = models.TextField("motivo (opcional)", blank=True, default="")
    status = models.CharField(
        "situação", max_length=10, choices=DeletionStatus.choices, default=DeletionStatus.PENDING
    )
    answer = models.TextField("resposta da prefeitura", blank=True, default="")
    created_at = models.DateTimeField("pedido em", auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="tratado por",
    )
    handled_at = models.DateTimeField("tratado em", null=True, blank=True)

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "pedido de exclusão de dados"
        verbose_name_plural = "pedidos de exclusão de dados"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Pedido de exclusão nº {self.pk}"
