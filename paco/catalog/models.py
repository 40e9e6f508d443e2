"""The Carta de Serviços (Lei nº 13.460/2017, art. 7º), modelled on the federal catalogue."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse

from paco.catalog import search
from paco.tenancy.models import TenantModel, TenantQuerySet, Unit


def lines(text: str) -> list[str]:
    """A one-item-per-line text field as a list (blank lines dropped)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Audience(models.Model):
    """Segmento da sociedade (fixed list of the federal catalogue, created by a migration)."""

    name = models.CharField("nome", max_length=80, unique=True)
    slug = models.SlugField("identificador", unique=True)
    order = models.PositiveSmallIntegerField("ordem", default=0)

    class Meta:
        verbose_name = "público"
        verbose_name_plural = "públicos"
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:audience", args=[self.slug])


AUDIENCES = [
    ("cidadaos", "Cidadãos"),
    ("empresas", "Empresas"),
    ("orgaos-e-entidades-publicas", "Órgãos e entidades públicas"),
    ("demais-segmentos", "Demais segmentos (ONGs, organizações sociais, etc)"),
]


class Taxonomy(TenantModel):
    """A municipality's own list for browsing services (categories, life events)."""

    name = models.CharField("nome", max_length=120)
    slug = models.SlugField("identificador", max_length=80)
    description = models.TextField("descrição", blank=True)

    objects = TenantQuerySet.as_manager()
    url_name: str

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="%(class)s_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(self.url_name, args=[self.slug])


class Category(Taxonomy):
    url_name = "catalog:category"

    class Meta(Taxonomy.Meta):
        verbose_name = "categoria"
        verbose_name_plural = "categorias"


class LifeEvent(Taxonomy):
    url_name = "catalog:life_event"

    class Meta(Taxonomy.Meta):
        verbose_name = "evento da vida"
        verbose_name_plural = "eventos da vida"


class Status(models.TextChoices):
    DRAFT = "draft", "Rascunho"
    PUBLISHED = "published", "Publicado"
    ARCHIVED = "archived", "Arquivado"


class DigitalStatus(models.TextChoices):
    DIGITAL = "digital", "Digital"
    PARTIAL = "parcialmente-digital", "Parcialmente digital"
    IN_PERSON = "presencial", "Presencial"


class TimeKind(models.TextChoices):
    UP_TO = "ate", "Até"
    BETWEEN = "entre", "Entre"
    AVERAGE = "emMedia", "Em média"
    IMMEDIATE = "atendimentoImediato", "Atendimento imediato"
    NOT_ESTIMATED = "naoEstimadoAinda", "Não estimado"


class TimeUnit(models.TextChoices):
    MINUTES = "minutos", "minutos"
    HOURS = "horas", "horas"
    DAYS = "dias", "dias"
    CALENDAR_DAYS = "dias-corridos", "dias corridos"
    BUSINESS_DAYS = "dias-uteis", "dias úteis"
    MONTHS = "meses", "meses"


class ServiceQuerySet(TenantQuerySet):
    def published(self) -> Self:
        return self.filter(status=Status.PUBLISHED)

    def search(self, query: str) -> Self:
        """Services whose texts contain every query word (any form); name matches first."""
        terms = search.query_terms(query)
        if not terms:
            return self
        qs = self
        rank: Any = Value(0)
        for alternatives in terms:
            match = Q()
            in_name = Q()
            for form in alternatives:
                match |= Q(search_document__contains=f" {form}")
                in_name |= Q(search_name__contains=f" {form}")
            qs = qs.filter(match)
            rank = rank + Case(When(in_name, then=Value(1)), default=Value(0))
        return qs.annotate(
            search_rank=models.ExpressionWrapper(rank, output_field=IntegerField())
        ).order_by("-search_rank", "name")

    def for_cards(self) -> Self:
        return self.select_related("unit").only(
            "id", "slug", "name", "description", "digital_status", "unit__name", "unit__acronym"
        )

    def for_detail(self) -> Self:
        return self.select_related("unit").prefetch_related(
            "requesters",
            "steps__costs",
            "steps__channels",
            "categories",
            "life_events",
            "audiences",
        )


class Service(TenantModel):
    # identification
    name = models.CharField("nome do serviço", max_length=200)
    slug = models.SlugField("identificador no endereço", max_length=120)
    acronym = models.CharField("sigla", max_length=30, blank=True)
    popular_names = models.TextField(
        "nomes populares", blank=True, help_text="Um por linha: como as pessoas chamam o serviço."
    )
    description = models.TextField(
        "o que é", help_text="Em linguagem simples: frases curtas, sem siglas nem jargão."
    )
    status = models.CharField(
        "situação", max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="services", verbose_name="unidade responsável"
    )
    contact = models.TextField("contato", blank=True, help_text="Telefone, e-mail, endereço.")
    # classification
    categories = models.ManyToManyField(
        Category, blank=True, related_name="services", verbose_name="categorias"
    )
    life_events = models.ManyToManyField(
        LifeEvent, blank=True, related_name="services", verbose_name="eventos da vida"
    )
    audiences = models.ManyToManyField(
        Audience, blank=True, related_name="services", verbose_name="públicos"
    )
    keywords = models.TextField("palavras-chave", blank=True, help_text="Uma por linha.")
    legislation = models.TextField("legislação", blank=True, help_text="Uma norma por linha.")
    # time
    time_kind = models.CharField(
        "prazo máximo", max_length=20, choices=TimeKind.choices, default=TimeKind.NOT_ESTIMATED
    )
    time_min = models.PositiveIntegerField("prazo mínimo (quantidade)", null=True, blank=True)
    time_max = models.PositiveIntegerField("prazo máximo (quantidade)", null=True, blank=True)
    time_unit = models.CharField(
        "unidade do prazo", max_length=15, choices=TimeUnit.choices, blank=True
    )
    time_description = models.TextField("observações sobre o prazo", blank=True)
    # the waiting time lives on each channel (Channel.waiting_time): see waiting_times()
    # conditions
    priority = models.TextField("tratamento prioritário", blank=True)
    accessibility = models.TextField("condições de acessibilidade", blank=True)
    service_standards = models.TextField(
        "como você será atendido", blank=True, help_text="Tratamento dispensado no atendimento."
    )
    complaints = models.TextField(
        "reclamações, sugestões e outras manifestações",
        blank=True,
        help_text="Onde e como registrar reclamações, denúncias, elogios e sugestões.",
    )
    # digital
    digital_status = models.CharField(
        "situação digital", max_length=22, choices=DigitalStatus.choices,
        default=DigitalStatus.IN_PERSON,
    )  # fmt: skip
    digital_url = models.URLField("link do serviço digital", blank=True)
    digitization_note = models.TextField(
        "pode ser digital? (inventário)",
        blank=True,
        help_text="Se e como este serviço pode se tornar digital, e o que falta.",
    )
    digitization_planned_for = models.DateField("previsão de digitalização", null=True, blank=True)
    # bookkeeping
    last_reviewed = models.DateField("data da última revisão", null=True, blank=True)
    search_document = models.TextField(editable=False, default="")
    search_name = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("criado em", auto_now_add=True)
    updated_at = models.DateTimeField("atualizado em", auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = "serviço"
        verbose_name_plural = "serviços"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="service_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:service", args=[self.slug])

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.time_kind in (TimeKind.UP_TO, TimeKind.AVERAGE, TimeKind.BETWEEN):
            if self.time_max is None:
                errors["time_max"] = "Informe a quantidade máxima do prazo."
            if not self.time_unit:
                errors["time_unit"] = "Informe a unidade do prazo (dias, horas…)."
        if self.time_kind == TimeKind.BETWEEN:
            if self.time_min is None:
                errors["time_min"] = "Informe a quantidade mínima do prazo."
            elif self.time_max is not None and self.time_min > self.time_max:
                errors["time_min"] = "O prazo mínimo não pode ser maior que o máximo."
        if self.digital_status != DigitalStatus.IN_PERSON and not self.digital_url:
            errors["digital_url"] = "Informe o link do serviço digital."
        if errors:
            raise ValidationError(errors)

    def popular_name_list(self) -> list[str]:
        return lines(self.popular_names)

    def keyword_list(self) -> list[str]:
        return lines(self.keywords)

    def legislation_list(self) -> list[str]:
        return lines(self.legislation)

    @property
    def is_free(self) -> bool:
        return all(not step.costs.all() for step in self.steps.all())

    def waiting_times(self) -> list[str]:
        """“Canal: espera” for every channel that states a waiting time, in page order.

        The one source is :attr:`Channel.waiting_time`; this is what the BNSP
        export's service-level ``tempoEstimadoEspera`` says (prefetch
        ``steps__channels``, as :meth:`ServiceQuerySet.for_detail` does).
        """
        seen: list[str] = []
        for step in self.steps.all():
            for channel in step.channels.all():
                wait = channel.waiting_time.strip()
                text = f"{channel.get_kind_display()}: {wait}"
                if wait and text not in seen:
                    seen.append(text)
        return seen

    def time_text(self) -> str:
        unit = self.get_time_unit_display() if self.time_unit else ""
        if self.time_kind == TimeKind.IMMEDIATE:
            return "Atendimento imediato"
        if self.time_kind == TimeKind.NOT_ESTIMATED:
            return "Ainda não estimado"
        if self.time_kind == TimeKind.BETWEEN:
            return f"Entre {self.time_min} e {self.time_max} {unit}"
        if self.time_kind == TimeKind.AVERAGE:
            return f"Em média {self.time_max} {unit}"
        return f"Até {self.time_max} {unit}"


class Requester(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="requesters", verbose_name="serviço"
    )
    kind = models.CharField("quem pode pedir", max_length=200)
    requirements = models.TextField("requisitos", blank=True)

    class Meta:
        verbose_name = "quem pode pedir"
        verbose_name_plural = "quem pode pedir"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.kind


class Step(models.Model):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="steps", verbose_name="serviço"
    )
    order = models.PositiveSmallIntegerField("ordem", default=1)
    title = models.CharField("etapa", max_length=200)
    description = models.TextField("descrição", blank=True)
    documents = models.TextField(
        "documentos necessários", blank=True, help_text="Um documento por linha."
    )

    class Meta:
        verbose_name = "etapa"
        verbose_name_plural = "etapas"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def document_list(self) -> list[str]:
        return lines(self.documents)


class Cost(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="costs")
    description = models.CharField("descrição do custo", max_length=200)
    value = models.DecimalField(
        "valor (R$)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    variable = models.BooleanField(
        "valor variável", default=False, help_text="Marque se o valor depende do caso."
    )

    class Meta:
        verbose_name = "custo"
        verbose_name_plural = "custos"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class ChannelKind(models.TextChoices):
    WEB = "web", "Internet"
    WEB_SCHEDULE = "web-agendar", "Agendamento pela internet"
    WEB_ENROLL = "web-inscrever-se", "Inscrição pela internet"
    WEB_SIMULATE = "web-simular", "Simulação pela internet"
    WEB_FEES = "web-calcular-taxas", "Cálculo de taxas pela internet"
    WEB_TRACK = "web-acompanhar", "Acompanhamento pela internet"
    WEB_QUERY = "web-consultar", "Consulta pela internet"
    WEB_ISSUE = "web-emitir", "Emissão pela internet"
    WEB_FILL = "web-preencher", "Formulário pela internet"
    WEB_DECLARE = "web-declarar", "Declaração pela internet"
    IN_PERSON = "presencial", "Presencial"
    PHONE = "telefone", "Telefone"
    EMAIL = "e-mail", "E-mail"
    POSTAL = "postal", "Correios"
    APP = "aplicativo-movel", "Aplicativo"
    SMS = "sms", "SMS"
    FAX = "fax", "Fax"


class Channel(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField("canal", max_length=20, choices=ChannelKind.choices)
    description = models.TextField(
        "onde / como",
        help_text="Endereço da página, telefone, e-mail; para atendimento presencial, "
        "endereço e horário.",
    )
    waiting_time = models.CharField(
        "tempo estimado de espera",
        max_length=200,
        blank=True,
        help_text="Quanto a pessoa espera para ser atendida neste canal, por exemplo "
        "“até 15 minutos”. É o único lugar onde o tempo de espera do serviço é informado.",
    )

    class Meta:
        verbose_name = "canal de atendimento"
        verbose_name_plural = "canais de atendimento"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def is_link(self) -> bool:
        return self.kind.startswith("web") and self.description.startswith(("https://", "http://"))


class ServiceVersionQuerySet(TenantQuerySet):
    pass


class ServiceVersion(TenantModel):
    """A saved state of a service, in the BNSP detail shape; one per saved change."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="versions", verbose_name="serviço"
    )
    number = models.PositiveIntegerField("versão")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="autor",
    )
    author_repr = models.CharField("autor", max_length=200, default="sistema")
    created_at = models.DateTimeField("data", auto_now_add=True)
    data = models.JSONField("conteúdo")

    objects = ServiceVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "versão de serviço"
        verbose_name_plural = "versões de serviços"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="serviceversion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} — versão {self.number}"
