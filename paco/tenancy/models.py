"""Municipalities (tenants) and their organizational units.

Every domain record in Paço belongs to exactly one :class:`Municipality`. Models
of other apps inherit :class:`TenantModel`, whose manager only offers queries
through :meth:`TenantQuerySet.for_municipality`; views reach protected objects
through ``access.py`` helpers that take the request's municipality. That is the
one place where isolation between municipalities is enforced.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower

from paco.tenancy.validators import (
    format_cnpj,
    normalize_host,
    only_digits,
    validate_cnpj,
    validate_host,
    validate_ibge_code,
)

UFS = (
    "AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA",
    "PB", "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO",
)  # fmt: skip
UF_CHOICES = [(uf, uf) for uf in UFS]


def parse_hosts(value: str | Iterable[str] | None) -> list[str]:
    """Host names from one-per-line text (or a list): normalized, blanks and repeats dropped."""
    lines = value.splitlines() if isinstance(value, str) else list(value or [])
    hosts: list[str] = []
    for line in lines:
        host = normalize_host(line)
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def _forget_on_commit(*municipality_ids: int | None) -> None:
    """Once committed, the host map, the cached towns and these towns' pages are stale."""
    from paco.tenancy.middleware import forget_hosts

    transaction.on_commit(lambda: forget_hosts(*municipality_ids))


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def active(self) -> Self:
        return self.filter(is_active=True)

    def update(self, **kwargs: Any) -> int:
        """``update(hosts="a\nb")`` still works: the host names live in their own table."""
        hosts = kwargs.pop("hosts", None)
        with transaction.atomic(using=self.db):
            towns = list(self) if hosts is not None else []
            count = super().update(**kwargs) if kwargs else len(towns)
            for town in towns:
                town.set_hosts(hosts)
            # the host map, the cached towns and their pages may be stale now
            _forget_on_commit(*self.values_list("pk", flat=True))
        return count


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
    is_active = models.BooleanField("ativo", default=True)
    created_at = models.DateTimeField("criado em", auto_now_add=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = "município"
        verbose_name_plural = "municípios"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}/{self.uf}"

    #: host names given to ``hosts`` and not saved yet (``None``: the stored ones stand)
    _pending_hosts: list[str] | None = None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.cnpj = format_cnpj(self.cnpj)
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            if self._pending_hosts is not None:
                self.set_hosts(self._pending_hosts)
            _forget_on_commit(self.pk)  # a renamed or deactivated town is served fresh at once

    @property
    def cnpj_digits(self) -> str:
        return only_digits(self.cnpj)

    # --- host names ------------------------------------------------------------
    # They live in MunicipalityHost (one row per name, unique in the database);
    # ``hosts`` keeps the one-per-line text interface forms and fixtures use.

    @property
    def hosts(self) -> str:
        """The host names, one per line (setting it stages them; ``save()`` stores them)."""
        return "\n".join(self.host_list())

    @hosts.setter
    def hosts(self, value: str | Iterable[str] | None) -> None:
        self._pending_hosts = parse_hosts(value)

    def host_list(self) -> list[str]:
        """The host names, the main one first."""
        if self._pending_hosts is not None:
            return list(self._pending_hosts)
        if self.pk is None:
            return []
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("host_names")
        if prefetched is not None:
            return [h.host for h in prefetched]
        return list(self.host_names.values_list("host", flat=True))

    def remember_hosts(self, hosts: Iterable[str]) -> None:
        """Take host names already read (the host map) so :meth:`host_list` needs no query."""
        rows = [
            MunicipalityHost(municipality_id=self.pk, host=host, position=position)
            for position, host in enumerate(hosts)
        ]
        self._prefetched_objects_cache = {
            **getattr(self, "_prefetched_objects_cache", {}),
            "host_names": rows,
        }

    def set_hosts(self, value: str | Iterable[str] | None) -> None:
        """Store exactly these host names (the database refuses one another town holds)."""
        hosts = parse_hosts(value)
        with transaction.atomic():
            self.host_names.exclude(host__in=hosts).delete()
            existing = {h.host: h for h in self.host_names.all()}
            for position, host in enumerate(hosts):
                row = existing.get(host)
                if row is None:
                    MunicipalityHost.objects.create(municipality=self, host=host, position=position)
                elif row.position != position:
                    row.position = position
                    row.save(update_fields=["position"])
        self._pending_hosts = None
        getattr(self, "_prefetched_objects_cache", {}).pop("host_names", None)
        _forget_on_commit(self.pk)

    def clean(self) -> None:
        super().clean()
        if self._pending_hosts is None:
            return
        errors: list[str] = []
        for host in self._pending_hosts:
            try:
                validate_host(host)
            except ValidationError as exc:
                errors.extend(exc.messages)
        taken = MunicipalityHost.objects.filter(host__in=self._pending_hosts)
        if self.pk is not None:
            taken = taken.exclude(municipality_id=self.pk)
        for row in taken.select_related("municipality"):
            errors.append(f"O endereço “{row.host}” já pertence a {row.municipality}.")
        if errors:
            raise ValidationError({"hosts": errors})

    @property
    def display_name(self) -> str:
        return f"Prefeitura Municipal de {self.name}"


class MunicipalityHost(models.Model):
    """One host name of a municipality; a name belongs to at most one (a database rule)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="host_names", verbose_name="município"
    )
    host = models.CharField("endereço (host)", max_length=253, unique=True)
    position = models.PositiveSmallIntegerField("ordem", default=0)

    class Meta:
        verbose_name = "endereço do município"
        verbose_name_plural = "endereços dos municípios"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(host=Lower("host")), name="municipality_host_lowercase"
            ),
        ]

    def __str__(self) -> str:
        return self.host

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.host = normalize_host(self.host)
        super().save(*args, **kwargs)
        _forget_on_commit(self.municipality_id)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _forget_on_commit(self.municipality_id)
        return super().delete(*args, **kwargs)


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
