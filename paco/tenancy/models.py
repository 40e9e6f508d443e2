"""Municipalities (tenants) and their organizational units.

Every domain record in Paço belongs to exactly one :class:`Municipality`. Models
of other apps inherit :class:`TenantModel`, whose manager only offers queries
through :meth:`TenantQuerySet.for_municipality`; views reach protected objects
through ``access.py`` helpers that take the request's municipality. That is the
one place where isolation between municipalities is enforced.
"""

from __future__ import annotations

from typing import Any, Self

from django.db import models

from paco.tenancy.validators import format_cnpj, only_digits, validate_cnpj, validate_ibge_code

UFS = (
    "AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA",
    "PB", "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO",
)  # fmt: skip
UF_CHOICES = [(uf, uf) for uf in UFS]


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def active(self) -> Self:
        return self.filter(is_active=True)


class Municipality(models.Model):
    name = models.CharField("nome", max_length=120)
    slug = models.SlugField("identificador", unique=True)
    uf = models.CharField("UF", max_length=2, choices=UF_CHOICES)
    ibge_code = models.CharField(
        "código IBGE", max_length=7, unique=True, validators=[validate_ibge_code]
    )
    cnpj = models.CharField("CNPJ", max_length=18, validators=[validate_cnpj])
    site_url = models.URLField("site oficial", blank=True)
    logo = models.ImageField("brasão ou logotipo", upload_to="logos/", blank=True)
    address = models.CharField("endereço da sede", max_length=250, blank=True)
    phone = models.CharField("telefone", max_length=40, blank=True)
    email = models.EmailField("e-mail de contato", blank=True)
    ombudsman_url = models.URLField("página da ouvidoria", blank=True)
    open_data_portal_url = models.URLField(
        "página no Portal Brasileiro de Dados Abertos",
        blank=True,
        help_text="Endereço da página do município em dados.gov.br.",
    )
    hosts = models.TextField(
        "endereços (hosts)",
        blank=True,
        help_text="Um nome de host por linha, por exemplo servicos.exemplo.sp.gov.br. "
        "Numa instalação com um só município, pode ficar em branco.",
    )
    is_active = models.BooleanField("ativo", default=True)
    created_at = models.DateTimeField("criado em", auto_now_add=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = "município"
        verbose_name_plural = "municípios"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}/{self.uf}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.cnpj = format_cnpj(self.cnpj)
        super().save(*args, **kwargs)

    @property
    def cnpj_digits(self) -> str:
        return only_digits(self.cnpj)

    def host_list(self) -> list[str]:
        return [h.strip().lower() for h in self.hosts.splitlines() if h.strip()]

    @property
    def display_name(self) -> str:
        return f"Prefeitura Municipal de {self.name}"


class TenantQuerySet(models.QuerySet[Any]):
    """Base queryset of every municipality-owned model."""

    def for_municipality(self, municipality: Municipality) -> Self:
        return self.filter(municipality=municipality)


class TenantModel(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, verbose_name="município", related_name="+"
    )

    class Meta:
        abstract = True


class UnitQuerySet(TenantQuerySet):
    def roots(self) -> Self:
        return self.filter(parent__isnull=True)

    def main_unit(self) -> Unit | None:
        """The main unit (the first top-level one created): where the system files datasets."""
        unit: Unit | None = self.roots().order_by("pk").first()
        return unit


class Unit(TenantModel):
    """An organizational unit: órgão, secretaria, departamento, setor."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="unidade superior",
    )
    name = models.CharField("nome", max_length=200)
    acronym = models.CharField("sigla", max_length=30, blank=True)
    slug = models.SlugField("identificador", max_length=80)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("telefone", max_length=40, blank=True)
    address = models.CharField("endereço", max_length=250, blank=True)
    opening_hours = models.CharField("horário de atendimento", max_length=200, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "unidade"
        verbose_name_plural = "unidades"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="unit_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def ancestors(self) -> list[Unit]:
        """This unit's chain of superiors, nearest first (cycle-safe)."""
        chain: list[Unit] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain
