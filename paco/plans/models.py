"""Plans (cronogramas) of a municipality, their stages and each stage's history.

A :class:`Plan` is reused by later modules (the Plano de Dados Abertos is a plan of
kind ``open_data``); a :class:`Stage` carries an optional ``ref_key`` so another
module can link its own records to a stage without a schema change here.
"""

from __future__ import annotations

import datetime
from typing import Self

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Q

from paco.plans.dates import today_local
from paco.tenancy.models import TenantModel, TenantQuerySet, Unit


class PlanKind(models.TextChoices):
    DIGITAL_GOVERNMENT = "digital_government", "Governo digital (Lei nº 14.129/2021)"
    OPEN_DATA = "open_data", "Plano de Dados Abertos"
    OTHER = "other", "Outro"


class Status(models.TextChoices):
    NOT_STARTED = "nao_iniciada", "Não iniciada"
    IN_PROGRESS = "em_andamento", "Em andamento"
    DONE = "concluida", "Concluída"
    SUSPENDED = "suspensa", "Suspensa"


#: statuses that can be late: work that should have ended but has not
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)


class PlanQuerySet(TenantQuerySet):
    def public(self) -> Self:
        return self.filter(is_public=True)

    def main_first(self) -> Self:
        """Digital-government plans first, then the oldest: the first one is the main plan."""
        return self.annotate(
            _other_kind=models.Case(
                models.When(kind=PlanKind.DIGITAL_GOVERNMENT, then=0),
                default=1,
                output_field=models.IntegerField(),
            )
        ).order_by("_other_kind", "pk")


class Plan(TenantModel):
    title = models.CharField("título", max_length=250)
    slug = models.SlugField("identificador", max_length=80)
    kind = models.CharField(
        "tipo", max_length=30, choices=PlanKind.choices, default=PlanKind.DIGITAL_GOVERNMENT
    )
    description = models.TextField("descrição ou observação", blank=True)
    updated_on = models.DateField("atualizado em", null=True, blank=True)
    is_public = models.BooleanField("publicado", default=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "cronograma"
        verbose_name_plural = "cronogramas"
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="plan_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.title


class StageQuerySet(TenantQuerySet):
    def overdue(self, today: datetime.date | None = None) -> Self:
        """Stages past their deadline that are neither concluded nor suspended."""
        return self.filter(deadline__lt=today or today_local(), status__in=OPEN_STATUSES)

    def summary(self, today: datetime.date | None = None) -> dict[str, int]:
        """Counts by status plus the number overdue, in one query."""
        day = today or today_local()
        late = Q(deadline__lt=day, status__in=OPEN_STATUSES)
        counts: dict[str, int] = self.aggregate(
            total=Count("pk"),
            concluida=Count("pk", filter=Q(status=Status.DONE)),
            em_andamento=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
            nao_iniciada=Count("pk", filter=Q(status=Status.NOT_STARTED)),
            suspensa=Count("pk", filter=Q(status=Status.SUSPENDED)),
            atrasadas=Count("pk", filter=late),
        )
        return counts


class Stage(TenantModel):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="stages", verbose_name="cronograma"
    )
    number = models.PositiveIntegerField("etapa")
    description = models.TextField("descrição")
    duration = models.CharField(
        "prazo", max_length=120, blank=True, help_text="Como foi publicado: “90 dias”."
    )
    start = models.DateField("início", null=True, blank=True)
    deadline = models.DateField("prazo final", null=True, blank=True)
    status = models.CharField(
        "situação", max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    observation = models.TextField("observação", blank=True)
    completed_on = models.DateField(
        "concluída em",
        null=True,
        blank=True,
        help_text="Preenchida ao marcar a etapa como concluída.",
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="unidade responsável",
    )
    ref_key = models.CharField(
        "vínculo",
        max_length=120,
        blank=True,
        help_text="Chave opcional para ligar a etapa a registros de outros módulos.",
    )
    updated_at = models.DateTimeField("última atualização", auto_now=True)

    objects = StageQuerySet.as_manager()

    class Meta:
        verbose_name = "etapa"
        verbose_name_plural = "etapas"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="stage_unique_number"),
        ]

    def __str__(self) -> str:
        return f"Etapa {self.number} — {self.description[:80]}"

    def days_overdue(self, today: datetime.date | None = None) -> int:
        """Days past the deadline (0 when not overdue)."""
        day = today or today_local()
        if self.deadline is None or self.status not in OPEN_STATUSES or self.deadline >= day:
            return 0
        return (day - self.deadline).days

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.days_overdue(today) > 0

    @property
    def days_late_at_completion(self) -> int:
        """Days between the deadline and the completion (0 when done on time or not done)."""
        if self.status != Status.DONE or self.completed_on is None or self.deadline is None:
            return 0
        return max((self.completed_on - self.deadline).days, 0)

    @property
    def status_text(self) -> str:
        """The situation as shown to people: a stage finished late says so."""
        late = self.days_late_at_completion
        if late:
            return f"Concluída com {late} dia{'s' if late > 1 else ''} de atraso"
        return str(self.get_status_display())


class StageChangeQuerySet(TenantQuerySet):
    def public_fields(self) -> Self:
        return self.filter(field__in=PUBLIC_HISTORY_FIELDS)


#: fields whose history is shown to the public (without who changed them)
PUBLIC_HISTORY_FIELDS = ("status", "deadline", "start", "observation")


class StageChange(TenantModel):
    """One field of one stage changed: who, when, old → new."""

    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, related_name="changes", verbose_name="etapa"
    )
    field = models.CharField("campo", max_length=40)
    old_value = models.TextField("valor anterior", blank=True)
    new_value = models.TextField("novo valor", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="alterado por",
    )
    actor_repr = models.CharField("alterado por (nome)", max_length=200, blank=True)
    changed_at = models.DateTimeField("alterado em", auto_now_add=True)

    objects = StageChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "alteração de etapa"
        verbose_name_plural = "alterações de etapas"
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.stage}: {self.field}"

    @property
    def field_label(self) -> str:
        try:
            model_field = Stage._meta.get_field(self.field)
        except FieldDoesNotExist:  # a field removed later keeps its raw name
            return self.field
        return str(getattr(model_field, "verbose_name", self.field))

    def display(self, value: str) -> str:
        if self.field == "status":
            return dict(Status.choices).get(value, value)
        if self.field in ("deadline", "start") and value:
            try:
                return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
            except ValueError:
                return value
        return value or "—"

    def old_display(self) -> str:
        return self.display(self.old_value)

    def new_display(self) -> str:
        return self.display(self.new_value)
