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
