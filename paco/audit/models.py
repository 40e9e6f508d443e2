"""Append-only, hash-chained audit trail of every staff change.

Append-only at every level: the instance refuses ``save()`` after creation and
``delete()``; the queryset refuses ``update``, ``delete``, ``bulk_update`` and
``bulk_create``; the database refuses ``UPDATE``, ``DELETE`` (and ``TRUNCATE`` on
PostgreSQL) by triggers (``paco.audit.triggers``). ``paco.audit.services.record``
is the one writer; it links each entry to the previous one (``paco.audit.chain``).

The foreign keys are ``PROTECT``: a municipality or a user that appears in the
trail cannot be deleted (deactivate the user instead). ``SET_NULL`` would be an
``UPDATE`` of the trail, which the triggers refuse, and would change the entry's
digest; ``actor_repr`` keeps the name as it was anyway.
"""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from paco.tenancy.models import Municipality

REFUSED_CHANGE = "A trilha de auditoria não pode ser alterada."
REFUSED_DELETE = "A trilha de auditoria não pode ser apagada."


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def for_municipality(self, municipality: Municipality) -> Self:
        return self.filter(municipality=municipality)

    def for_object(self, obj: models.Model) -> Self:
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(REFUSED_CHANGE)

    def _update(self, values: Any) -> Any:
        raise PermissionError(REFUSED_CHANGE)

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise PermissionError(REFUSED_CHANGE)

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEntry]:  # type: ignore[override]
        raise PermissionError(
            "Registros de auditoria são criados um a um por paco.audit.services.record()."
        )

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(REFUSED_DELETE)

    def _raw_delete(self, using: Any) -> int:
        raise PermissionError(REFUSED_DELETE)


class AuditEntry(models.Model):
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, verbose_name="município"
    )
    at = models.DateTimeField("quando", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="quem",
    )
    actor_repr = models.CharField("quem (nome)", max_length=200)
    ip_address = models.GenericIPAddressField("endereço IP", null=True, blank=True)
    action = models.CharField("ação", max_length=80)
    object_type = models.CharField("tipo de objeto", max_length=100)
    object_id = models.CharField("id do objeto", max_length=64)
    object_repr = models.CharField("objeto", max_length=250)
    changes = models.JSONField("alterações (antes → depois)", default=dict)
    # The hash chain (paco.audit.chain): position, previous entry's digest, own digest.
    seq = models.PositiveBigIntegerField("nº na cadeia", unique=True, editable=False)
    prev_digest = models.CharField("resumo do anterior", max_length=64, editable=False)
    digest = models.CharField("resumo (SHA-256)", max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "registro de auditoria"
        verbose_name_plural = "trilha de auditoria"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_repr}: {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(REFUSED_CHANGE)
        if not self.digest:
            raise PermissionError(
                "Registros de auditoria são criados por paco.audit.services.record()."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(REFUSED_DELETE)

    @property
    def description(self) -> str:
        """The entry as a sentence in pt-BR ("Publicou a versão 2 de …")."""
        from paco.audit.labels import describe

        return describe(self)
