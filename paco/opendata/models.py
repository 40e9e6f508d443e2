"""The open-data catalogue: datasets, their resources and each resource's versions.

- :class:`Dataset` is a DCAT ``dcat:Dataset`` (a CKAN "package").
- :class:`Resource` is a distribution (a CKAN "resource"): an uploaded file or an
  external link. Tabular files also get a datastore table (Parquet).
- :class:`ResourceVersion` is one immutable upload: the original file, the
  normalized Parquet, the inferred schema, the validation report and the LGPD
  screening. ``Resource.current_version`` points at the published one; publishing
  is one UPDATE of that pointer, so readers never see a half-published version.
- :class:`InventoryItem` is one entry of the inventory of databases (art. 29
  §2 XI) with its planned opening, linked to the Plano de Dados Abertos stage.

Writes go through ``actions.py`` (catalogue) and ``pipeline/`` (imports).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from paco.opendata import vocab
from paco.opendata.jsonsafe import FiniteJSONField
from paco.tenancy.models import TenantModel, TenantQuerySet, Unit


class Theme(models.Model):
    """A DCAT-BR theme (``dcat:theme``), shared by every municipality. CKAN "group"."""

    key = models.SlugField("identificador", max_length=80, unique=True)
    uri = models.URLField("URI", max_length=250)
    label = models.CharField("nome", max_length=120)

    class Meta:
        verbose_name = "tema"
        verbose_name_plural = "temas"
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class DatasetState(models.TextChoices):
    DRAFT = "draft", "Rascunho"
    PUBLISHED = "published", "Publicado"


class DatasetQuerySet(TenantQuerySet):
    def published(self) -> Self:
        return self.filter(state=DatasetState.PUBLISHED)

    def in_units(self, unit_ids: set[int] | None) -> Self:
        """Datasets of these units (``None``: every unit), for staff lists."""
        return self if unit_ids is None else self.filter(unit_id__in=unit_ids)

    def modified_since(self, when: datetime.datetime) -> Self:
        return self.filter(modified_at__gte=when)

    def update_overdue(self, today: datetime.date) -> Self:
        """Published datasets whose next update is past due ("atualização atrasada")."""
        return self.published().filter(next_update_due__lt=today)


class Dataset(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.SlugField(
        "identificador", max_length=100, help_text="Parte do endereço: letras, números e hífens."
    )
    title = models.CharField("título", max_length=250)
    description = models.TextField(
        "descrição", blank=True, help_text="Em linguagem simples: o que há nos dados e para quê."
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="datasets", verbose_name="unidade publicadora"
    )
    contact_name = models.CharField("responsável (nome)", max_length=200, blank=True)
    contact_email = models.EmailField("responsável (e-mail)", blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="datasets", verbose_name="temas"
    )
    keywords = models.JSONField("palavras-chave", default=list, blank=True)
    license = models.CharField(
        "licença", max_length=40, choices=vocab.license_choices, default=vocab.DEFAULT_LICENSE
    )
    access_rights = models.CharField(
        "nível de acesso",
        max_length=10,
        choices=vocab.access_rights_choices,
        default=vocab.DEFAULT_ACCESS_RIGHTS,
    )
    periodicity = models.CharField(
        "periodicidade de atualização", max_length=20, choices=vocab.frequency_choices, blank=True
    )
    next_update_due = models.DateField("próxima atualização prevista", null=True, blank=True)
    temporal_start = models.DateField("cobertura temporal: início", null=True, blank=True)
    temporal_end = models.DateField("cobertura temporal: fim", null=True, blank=True)
    spatial = models.CharField(
        "cobertura espacial (código IBGE)", max_length=7, blank=True,
        help_text="Em branco: o município.",
    )  # fmt: skip
    version = models.CharField("versão", max_length=40, blank=True)
    state = models.CharField(
        "situação", max_length=20, choices=DatasetState.choices, default=DatasetState.DRAFT
    )
    #: set for datasets the platform publishes about itself ("carta", "cronograma", …)
    system_key = models.CharField("gerado pelo sistema", max_length=40, blank=True, editable=False)
    view_count = models.PositiveIntegerField("visitas", default=0, editable=False)
    created_at = models.DateTimeField("criado em", auto_now_add=True)
    modified_at = models.DateTimeField("modificado em", auto_now=True)
    published_at = models.DateTimeField("publicado em", null=True, blank=True, editable=False)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        verbose_name = "conjunto de dados"
        verbose_name_plural = "conjuntos de dados"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="dataset_unique_name"),
        ]
        indexes = [models.Index(fields=["municipality", "state", "modified_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == DatasetState.PUBLISHED

    @property
    def spatial_code(self) -> str:
        return self.spatial or self.municipality.ibge_code

    def update_is_late(self, today: datetime.date) -> bool:
        return bool(self.next_update_due and self.next_update_due < today)


class ResourceKind(models.TextChoices):
    FILE = "file", "Arquivo"
    LINK = "link", "Link externo"


class ResourceQuerySet(TenantQuerySet):
    def public(self) -> Self:
        """Resources of published datasets that have something to offer."""
        return self.filter(dataset__state=DatasetState.PUBLISHED).filter(
            Q(kind=ResourceKind.LINK) | Q(current_version__isnull=False)
        )

    def with_datastore(self) -> Self:
        """Published tabular resources: the tables of the data API and the SQL sandbox."""
        return self.public().filter(current_version__parquet__gt="")


class Resource(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="resources", verbose_name="conjunto"
    )
    name = models.SlugField("identificador", max_length=100)
    title = models.CharField("título", max_length=250)
    description = models.TextField("descrição", blank=True)
    kind = models.CharField(
        "tipo", max_length=10, choices=ResourceKind.choices, default=ResourceKind.FILE
    )
    url = models.URLField("endereço externo", max_length=500, blank=True)
    format = models.CharField("formato", max_length=20, blank=True, help_text="csv, xlsx, pdf…")
    media_type = models.CharField("tipo de mídia (IANA)", max_length=120, blank=True)
    position = models.PositiveIntegerField("ordem", default=0)
    current_version = models.ForeignKey(
        "ResourceVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="versão publicada",
    )
    #: staff edits of the data dictionary, by column name: title, description, unit,
    #: type, constraints. Merged over the inferred schema of each version.
    dictionary = models.JSONField("dicionário de dados", default=dict, blank=True)
    created_at = models.DateTimeField("criado em", auto_now_add=True)
    modified_at = models.DateTimeField("modificado em", auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "recurso"
        verbose_name_plural = "recursos"
        ordering = ["dataset", "position", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "name"], name="resource_unique_name"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_datastore(self) -> bool:
        return bool(
            self.current_version_id and self.current_version and self.current_version.parquet
        )


class VersionStatus(models.TextChoices):
    QUEUED = "queued", "Na fila"
    PROCESSING = "processing", "Processando"
    NEEDS_REVIEW = "needs_review", "Aguardando revisão (dados pessoais)"
    READY = "ready", "Pronta para publicar"
    PUBLISHED = "published", "Publicada"
    REJECTED = "rejected", "Rejeitada"
    FAILED = "failed", "Falhou"


#: self-published datasets built from citizens' free text: only their current version is public
CURRENT_ONLY_SYSTEM_KEYS = ("pedidos-de-abertura",)

#: statuses a version can be published from
PUBLISHABLE = (VersionStatus.READY, VersionStatus.PUBLISHED)
#: statuses of a version whose processing has not ended
UNFINISHED = (VersionStatus.QUEUED, VersionStatus.PROCESSING)


class ResourceVersionQuerySet(TenantQuerySet):
    def published(self) -> Self:
        """Versions that were published at some time (the history of art. 29 VI)."""
        return self.filter(published_at__isnull=False)

    def public_history(self) -> Self:
        """Published versions the public may still reach (the version history, ``?versao=N``).

        A dataset derived from free text citizens wrote (:data:`CURRENT_ONLY_SYSTEM_KEYS`)
        shows only its current version: its older versions were made before a later
        redaction or a newer detector, so they may hold what the public must not see.
        """
        derived_from_text = models.Q(resource__dataset__system_key__in=CURRENT_ONLY_SYSTEM_KEYS)
        not_current = ~models.Q(pk=models.F("resource__current_version_id"))
        return self.published().exclude(derived_from_text & not_current)

    def unfinished(self) -> Self:
        return self.filter(status__in=UNFINISHED)

    def with_personal_data(self) -> Self:
        """Versions whose screening flagged personal data, or that got an LGPD decision."""
        return self.filter(PERSONAL_DATA_FLAGGED)

    def with_public_original(self) -> Self:
        """Published versions whose original anyone may download (``original_is_public``)."""
        return self.published().exclude(original="").exclude(PERSONAL_DATA_FLAGGED)


#: a version whose stored screening found personal data, or on which staff recorded an
#: LGPD decision (a legal basis, or columns dropped, masked or hashed): its original
#: file holds personal data as uploaded, whatever was published from it
PERSONAL_DATA_FLAGGED = ~Q(personal_data=[]) | ~Q(lgpd_decision={})


class ResourceVersion(TenantModel):
    """One upload of a resource. The files never change once processed."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="versions", verbose_name="recurso"
    )
    number = models.PositiveIntegerField("versão")
    status = models.CharField(
        "situação", max_length=20, choices=VersionStatus.choices, default=VersionStatus.QUEUED
    )
    # the original, as uploaded (storage names, not FileFields: the pipeline owns them)
    original = models.CharField("arquivo original", max_length=300, blank=True)
    original_name = models.CharField("nome do arquivo enviado", max_length=250, blank=True)
    sheet = models.CharField("planilha", max_length=120, blank=True)
    media_type = models.CharField("tipo de mídia", max_length=120, blank=True)
    size = models.BigIntegerField("tamanho (bytes)", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    # the normalized table (tabular files only)
    parquet = models.CharField("dados normalizados (Parquet)", max_length=300, blank=True)
    rows = models.BigIntegerField("linhas", null=True, blank=True)
    schema = FiniteJSONField("esquema (Table Schema)", default=dict, blank=True)
    stats = FiniteJSONField("estatísticas por coluna", default=dict, blank=True)
    # the whole-table CSV export (datapackage.json's ``hash`` and ``bytes``), measured once
    # the version is published (versions never change); empty for versions not yet measured
    csv_sha256 = models.CharField("SHA-256 da exportação CSV", max_length=64, blank=True)
    csv_bytes = models.BigIntegerField("tamanho da exportação CSV (bytes)", null=True, blank=True)
    report = FiniteJSONField("relatório de validação", default=dict, blank=True)
    personal_data = FiniteJSONField("dados pessoais detectados", default=list, blank=True)
    #: the LGPD decision: {"legal_basis": "..."} or {"treatments": {"col": "drop|mask|hash"}}
    lgpd_decision = FiniteJSONField("decisão LGPD", default=dict, blank=True)
    # processing state (the job lives in the task queue; this is what people see)
    progress = models.PositiveSmallIntegerField("progresso (%)", default=0)
    progress_message = models.CharField("etapa", max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField("tentativas", default=0)
    heartbeat_at = models.DateTimeField("último sinal do processamento", null=True, blank=True)
    #: "host|boot id|pid|start time" of the process running the current attempt
    attempt_process = models.CharField("processo da tentativa", max_length=200, blank=True)
    error = models.TextField("erro", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="enviado por",
    )
    created_at = models.DateTimeField("enviado em", auto_now_add=True)
    processed_at = models.DateTimeField("processado em", null=True, blank=True)
    published_at = models.DateTimeField("publicado em", null=True, blank=True)

    objects = ResourceVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "versão de recurso"
        verbose_name_plural = "versões de recursos"
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} — versão {self.number}"

    @property
    def is_current(self) -> bool:
        return self.resource.current_version_id == self.pk

    @property
    def personal_data_flagged(self) -> bool:
        """Whether the screening found personal data or staff decided on it (LGPD)."""
        return bool(self.personal_data) or bool(self.lgpd_decision)

    @property
    def original_is_public(self) -> bool:
        """THE rule for originals: anyone may download this version's original file only
        when it was published and nothing in it was ever flagged as personal data.

        A flagged version's original is the raw upload (every CPF, every name), whatever
        treatment was published from it: only staff of its unit reach it
        (:func:`paco.opendata.access.original_for`); every public link points at the
        treated exports instead. It reads the stored screening, so versions published
        before this rule are covered. Same rule in SQL: ``with_public_original()``.
        """
        return (
            bool(self.original) and self.published_at is not None and not self.personal_data_flagged
        )

    def table_name(self) -> str:
        """The SQL name of this table in the data API: the resource id, as in CKAN."""
        return str(self.resource_id)

    def effective_schema(self) -> dict[str, Any]:
        """The inferred schema with the staff's data dictionary merged over it."""
        edits: dict[str, Any] = self.resource.dictionary or {}
        fields = []
        for field in self.schema.get("fields", []):
            merged = dict(field)
            for key, value in (edits.get(field["name"]) or {}).items():
                if value not in ("", None):
                    merged[key] = value
            fields.append(merged)
        return {**self.schema, "fields": fields}


class InventoryStatus(models.TextChoices):
    PLANNED = "planejada", "Abertura planejada"
    PREPARING = "em_preparacao", "Em preparação"
    PUBLISHED = "publicada", "Publicada"
    RESTRICTED = "restrita", "Não pode ser aberta (sigilo ou dados pessoais)"


class InventoryItemQuerySet(TenantQuerySet):
    def late(self, today: datetime.date) -> Self:
        return self.filter(
            planned_opening__lt=today,
            status__in=[InventoryStatus.PLANNED, InventoryStatus.PREPARING],
        )


class InventoryItem(TenantModel):
    """A database the municipality holds (art. 29 §2 XI), opened or not."""

    name = models.CharField("base de dados", max_length=250)
    description = models.TextField("descrição", blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name="unidade responsável"
    )
    system = models.CharField("sistema de origem", max_length=200, blank=True)
    planned_opening = models.DateField("abertura prevista", null=True, blank=True)
    status = models.CharField(
        "situação", max_length=20, choices=InventoryStatus.choices, default=InventoryStatus.PLANNED
    )
    restriction_reason = models.TextField("motivo da restrição", blank=True)
    dataset = models.ForeignKey(
        Dataset,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inventory_items",
        verbose_name="conjunto que a publica",
    )
    #: the Plano de Dados Abertos stage (a plans.Stage of a plan of kind open_data)
    stage = models.ForeignKey(
        "plans.Stage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="etapa do Plano de Dados Abertos",
    )
    created_at = models.DateTimeField("criado em", auto_now_add=True)
    modified_at = models.DateTimeField("modificado em", auto_now=True)

    objects = InventoryItemQuerySet.as_manager()

    class Meta:
        verbose_name = "base do inventário"
        verbose_name_plural = "inventário de bases de dados"
        ordering = ["planned_opening", "name"]

    def __str__(self) -> str:
        return self.name


class PseudonymKey(TenantModel):
    """The secret of the "hash" (pseudonymization) treatment of one municipality.

    Its own secret, not derived from Django's ``SECRET_KEY``: rotating that secret
    (after a leak, on a new server) must not change the pseudonyms already
    published, or the same person would get two pseudonyms. A database row, so
    ``paco backup`` carries it and ``paco restore`` brings it back with no special
    code. Never shown anywhere (no admin, no audit value); written by
    :func:`paco.opendata.actions.pseudonym_key` only.
    """

    key = models.CharField("chave", max_length=128, editable=False)
    #: "secret_key" (derived once from the old installation-wide key, to keep the
    #: pseudonyms published before this model stable) or "random"
    origin = models.CharField("origem", max_length=20, editable=False)
    created_at = models.DateTimeField("criada em", auto_now_add=True)

    class Meta:
        verbose_name = "chave de pseudonimização"
        verbose_name_plural = "chaves de pseudonimização"
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="pseudonymkey_one_per_town"),
        ]

    def __str__(self) -> str:
        return f"chave de pseudonimização ({self.origin})"
