"""Append-only audit trail of every staff change."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models

from paco.tenancy.models import Municipality


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def for_municipality(self, municipality: Municipality) -> Self:
        return self.filter(municipality=municipality)

    def for_object(self, obj: models.Model) -> Self:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("A trilha de auditoria não pode ser alterada.")


class AuditEntry(models.Model):
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, verbose_name="município"
    )
    at = models.DateTimeField("quando", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name="quem",
    )
    actor_repr = models.CharField("quem (nome)", max_length=200)
    ip_address = models.GenericIPAddressField("endereço IP", null=True, blank=True)
    action = models.CharField("ação", max_length=80)
    object_type = models.CharField("tipo de objeto", max_length=100)
    object_id = models.CharField("id do objeto", max_length=64)
    object_repr = models.CharField("objeto", max_length=250)
    changes = models.JSONField("alterações (antes → depois)", default=dict)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "registro de auditoria"
        verbose_name_plural = "trilha de auditoria"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_repr}: {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("A trilha de auditoria não pode ser alterada.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("A trilha de auditoria não pode ser apagada.")
