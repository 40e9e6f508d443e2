"""Users and the roles staff hold in units of a municipality."""

from __future__ import annotations

from typing import Self

from django.contrib.auth.models import AbstractUser
from django.db import models

from paco.tenancy.models import Municipality, TenantQuerySet, Unit


class User(AbstractUser):
    """Any person who signs in: municipal staff now, citizens in a later module."""

    email = models.EmailField("e-mail", blank=True)

    class Meta:
        verbose_name = "usuário"
        verbose_name_plural = "usuários"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMIN = "admin", "Administrador do município"
    CATALOG_EDITOR = "catalog_editor", "Editor da Carta de Serviços"
    PLAN_EDITOR = "plan_editor", "Editor do cronograma"
    DATA_EDITOR = "data_editor", "Editor de dados abertos"
    #: handles the Atendimento cases (service requests, e-SIC, ouvidoria) of their unit
    ATTENDANT = "attendant", "Atendente"
    #: ouvidoria staff: handle manifestations and alone see identity-preserved requesters
    OMBUDSMAN = "ombudsman", "Ouvidor"


class MembershipQuerySet(TenantQuerySet):
    def for_user(self, user: User) -> Self:
        return self.filter(user=user)


class StaffMembership(models.Model):
    """A role held by a staff user in a municipality, optionally limited to one unit.

    A membership without a unit covers the whole municipality. A membership in a
    unit covers that unit and every unit below it.
    """

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="município",
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name="servidor"
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name="unidade",
        help_text="Em branco: vale para todo o município.",
    )
    role = models.CharField("papel", max_length=30, choices=Role.choices)
    created_at = models.DateTimeField("criado em", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "papel de servidor"
        verbose_name_plural = "papéis de servidores"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "municipality", "unit", "role"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        where = self.unit or self.municipality
        return f"{self.user} — {self.get_role_display()} — {where}"


class ApiTokenQuerySet(TenantQuerySet):
    def active(self) -> Self:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A secret a staff member's scripts send as ``Authorization: Token …`` to the write API.

    Only a SHA-256 digest of the secret is stored; the secret is shown once, when
    the token is created (``paco.accounts.tokens``). A token acts as its user, in
    its municipality, with the user's roles at the time of each call.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name="município"
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="servidor"
    )
    name = models.CharField("nome", max_length=120, help_text="Para que serve, onde está em uso.")
    digest = models.CharField("resumo (SHA-256)", max_length=64, unique=True, editable=False)
    prefix = models.CharField("início do token", max_length=12, editable=False)
    created_at = models.DateTimeField("criado em", auto_now_add=True)
    last_used_at = models.DateTimeField("último uso", null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField("revogado em", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "token de API"
        verbose_name_plural = "tokens de API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
