"""Protocol offices (the ``UUUUU`` of a NUP) and the yearly sequences behind them."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from paco.tenancy.models import TenantModel, TenantQuerySet, Unit

five_digits = RegexValidator(r"^\d{5}$", "O código tem exatamente 5 algarismos.")


class ProtocolOffice(TenantModel):
    """The 5-digit protocol-unit code a municipality (or one of its units) numbers with.

    The row without a unit is the municipality's default; a unit without a row of
    its own uses the nearest ancestor's, then the default.
    """

    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="unidade",
        help_text="Em branco: o código de todo o município.",
    )
    code = models.CharField(
        "código da unidade de protocolo", max_length=5, validators=[five_digits]
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "unidade de protocolo"
        verbose_name_plural = "unidades de protocolo"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "unit"], name="protocol_office_unique_unit"
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(unit__isnull=True),
                name="protocol_office_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.unit or self.municipality}"


class ProtocolSequence(TenantModel):
    """The last sequence number given for a code in a year: gap-free, never reused."""

    code = models.CharField("código", max_length=5, validators=[five_digits])
    year = models.PositiveIntegerField("ano")
    last = models.PositiveIntegerField("último número", default=0)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "sequência de protocolo"
        verbose_name_plural = "sequências de protocolo"
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code", "year"], name="protocol_sequence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}/{self.year}: {self.last}"
