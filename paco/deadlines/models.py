"""The municipality's own calendar and clock rules (the national and state holidays come
from the ``holidays`` library, :mod:`paco.deadlines.calendar`).

- :class:`Holiday`: a day without office hours decreed by the town — a municipal
  holiday, a *ponto facultativo* (Carnaval, Corpus Christi…, when the town's decree
  closes the offices) or a day "sem expediente" (a flood, a power cut). Staff edit the
  list at ``/gestao/prazos/feriados/``; every write goes through
  :mod:`paco.deadlines.actions`.
- :class:`ClockSettings`: the town's counting rule, cut-off hour, how an extension is
  counted and how long a citizen has to answer a request for information. No row: the
  federal defaults (:meth:`ClockSettings.for_town` never writes).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from paco.tenancy.models import Municipality, TenantModel, TenantQuerySet

#: a submission from this local hour on counts as received on the next business day (federal: 19h)
DEFAULT_CUTOFF_HOUR = 19
#: days the citizen has to answer a request for information (Decreto 9.492 art. 18 §2)
DEFAULT_CITIZEN_ANSWER_DAYS = 20


class HolidayKind(models.TextChoices):
    MUNICIPAL = "feriado", "Feriado municipal"
    OPTIONAL = "ponto_facultativo", "Ponto facultativo"
    CLOSED = "sem_expediente", "Sem expediente"


class HolidayQuerySet(TenantQuerySet):
    def in_year(self, year: int) -> HolidayQuerySet:
        return self.filter(date__year=year)


class Holiday(TenantModel):
    """A day the town's offices are closed by its own act (no office hours: not a business day)."""

    date = models.DateField("data")
    name = models.CharField("nome", max_length=120)
    kind = models.CharField(
        "tipo", max_length=20, choices=HolidayKind.choices, default=HolidayKind.MUNICIPAL
    )
    created_at = models.DateTimeField("incluído em", auto_now_add=True)

    objects = HolidayQuerySet.as_manager()

    class Meta:
        verbose_name = "feriado municipal"
        verbose_name_plural = "feriados municipais"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "date"], name="holiday_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class CountingRule(models.TextChoices):
    #: Lei 9.784/1999 art. 66 (STJ Súmula 633 for towns without their own rule)
    CALENDAR = "corridos", "Dias corridos (Lei 9.784, art. 66)"
    #: some state decrees: the first and the last day of the count must be business days
    BUSINESS_ENDS = (
        "corridos_uteis_extremos",
        "Dias corridos, com o primeiro e o último dia em dia útil (decreto estadual ou municipal)",
    )


class ExtensionFrom(models.TextChoices):
    LEGAL_DUE = "vencimento_legal", "Do vencimento legal (o último dia da contagem)"
    ROLLED_DUE = "dia_prorrogado", "Do dia útil para o qual o vencimento passou"


class ClockSettings(models.Model):
    """The town's deadline rules; the federal practice when the town has no row."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name="município"
    )
    counting_rule = models.CharField(
        "regra de contagem",
        max_length=30,
        choices=CountingRule.choices,
        default=CountingRule.CALENDAR,
    )
    cutoff_hour = models.PositiveSmallIntegerField(
        "horário de corte",
        default=DEFAULT_CUTOFF_HOUR,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="Envios a partir desta hora (horário local) contam como recebidos no próximo "
        "dia útil. 24: sem corte.",
    )
    extension_from = models.CharField(
        "prorrogação contada",
        max_length=20,
        choices=ExtensionFrom.choices,
        default=ExtensionFrom.LEGAL_DUE,
    )
    citizen_answer_days = models.PositiveSmallIntegerField(
        "prazo do cidadão para complementar informações (dias)",
        default=DEFAULT_CITIZEN_ANSWER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    modified_at = models.DateTimeField("modificado em", auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "regras de prazo do município"
        verbose_name_plural = "regras de prazo dos municípios"

    def __str__(self) -> str:
        return "Regras de prazo"

    @classmethod
    def for_town(cls, town: Municipality) -> ClockSettings:
        """The town's row, or an unsaved one with the defaults (reading never writes)."""
        found = cls.objects.filter(municipality=town).first()
        return found or cls(municipality=town)
