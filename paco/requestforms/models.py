"""Online request forms of the Carta's services, the citizen's drafts, appointment slots.

Staff mark a service (:class:`paco.catalog.models.Service`) as requestable
online by giving it a :class:`ServiceForm`, whose :class:`FormField` rows are the
questions asked, and whose :class:`DocumentRequirement` rows are the documents
the Carta's steps list (one per line of ``Step.documents``). A document the town
itself issues (``issued_by_town``) is never asked of the citizen (Lei 13.726/2018
art. 3º): the town looks it up. Submitting the form opens a case through
:func:`paco.atendimento.actions.open_case`; until then the answers live in a
:class:`Draft`. Presencial services offer :class:`Slot` rows of their unit; a
:class:`Booking` ties one to the case. Writes go through :mod:`.actions`.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils import timezone

from paco.tenancy.models import TenantModel, TenantQuerySet, Unit


class GovBrLevel(models.TextChoices):
    BRONZE = "bronze", "Bronze"
    SILVER = "prata", "Prata"
    GOLD = "ouro", "Ouro"


class ServiceFormQuerySet(TenantQuerySet):
    def enabled(self) -> Self:
        return self.filter(enabled=True, service__status="published")

    def about_a_place(self) -> Self:
        """The forms Open311 exposes: enabled, published, asking for a location."""
        return self.enabled().filter(requires_location=True)


class ServiceForm(TenantModel):
    service = models.OneToOneField(
        "catalog.Service",
        on_delete=models.CASCADE,
        related_name="request_form",
        verbose_name="serviço",
    )
    enabled = models.BooleanField(
        "aceita pedidos pela internet",
        default=False,
        help_text="Marcado, a página do serviço mostra “Solicitar pela internet”.",
    )
    intro = models.TextField(
        "orientação ao cidadão",
        blank=True,
        help_text="Aparece no topo do formulário. Frases curtas.",
    )
    requires_location = models.BooleanField(
        "pede o local",
        default=False,
        help_text="Para serviços sobre um lugar (iluminação, buraco, árvore): endereço e, "
        "se a pessoa quiser, as coordenadas. Estes serviços também saem na API Open311.",
    )
    appointments = models.BooleanField(
        "agendamento presencial",
        default=False,
        help_text="A pessoa escolhe um dos horários abertos pela unidade do serviço.",
    )
    min_govbr_level = models.CharField(
        "nível mínimo da conta gov.br",
        max_length=8,
        choices=GovBrLevel.choices,
        blank=True,
        help_text="Deixe em branco se qualquer pessoa pode pedir, com ou sem conta.",
    )
    updated_at = models.DateTimeField("atualizado em", auto_now=True)

    objects = ServiceFormQuerySet.as_manager()

    class Meta:
        verbose_name = "formulário de pedido"
        verbose_name_plural = "formulários de pedido"

    def __str__(self) -> str:
        return f"Formulário de “{self.service}”"


class FieldKind(models.TextChoices):
    TEXT = "texto", "Texto curto"
    LONG_TEXT = "texto_longo", "Texto longo"
    NUMBER = "numero", "Número"
    DATE = "data", "Data"
    CPF = "cpf", "CPF"
    CNPJ = "cnpj", "CNPJ"
    EMAIL = "email", "E-mail"
    PHONE = "telefone", "Telefone"
    CEP = "cep", "CEP"
    CHOICE = "escolha", "Escolha numa lista"
    YES_NO = "sim_nao", "Sim ou não"
    FILE = "arquivo", "Arquivo"


class FileType(models.TextChoices):
    """What an uploaded file may be, recognised by its content (never by its name)."""

    PDF = "pdf", "PDF"
    JPEG = "jpeg", "Imagem JPEG"
    PNG = "png", "Imagem PNG"


DEFAULT_FILE_TYPES = "pdf,jpeg,png"
DEFAULT_MAX_MB = 10
#: the largest file any field may accept (the form's own limit is at most this)
MAX_MB = 20


class FormField(models.Model):
    form = models.ForeignKey(ServiceForm, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveSmallIntegerField("ordem", default=1)
    key = models.SlugField(
        "identificador",
        max_length=40,
        help_text="Curto, sem espaços (ex.: numero-do-poste). Não mude depois de publicado: "
        "os pedidos já feitos guardam as respostas por ele.",
    )
    label = models.CharField("pergunta", max_length=200)
    help = models.CharField("explicação", max_length=300, blank=True)
    kind = models.CharField("tipo", max_length=12, choices=FieldKind.choices)
    choices = models.TextField(
        "opções", blank=True, help_text="Para “escolha numa lista”: uma opção por linha."
    )
    required = models.BooleanField("obrigatório", default=False)
    required_if_key = models.SlugField(
        "obrigatório quando a pergunta",
        max_length=40,
        blank=True,
        help_text="Identificador de outra pergunta deste formulário.",
    )
    required_if_value = models.CharField(
        "tiver a resposta",
        max_length=100,
        blank=True,
        help_text="Ex.: “sim”, ou uma das opções da lista.",
    )
    file_types = models.CharField(
        "tipos de arquivo aceitos",
        max_length=40,
        default=DEFAULT_FILE_TYPES,
        blank=True,
        help_text="Para arquivos: pdf, jpeg, png (separados por vírgula).",
    )
    max_size_mb = models.PositiveSmallIntegerField(
        "tamanho máximo (MB)",
        default=DEFAULT_MAX_MB,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MB)],
    )

    class Meta:
        verbose_name = "pergunta do formulário"
        verbose_name_plural = "perguntas do formulário"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="formfield_unique_key"),
        ]

    def __str__(self) -> str:
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def file_type_list(self) -> list[str]:
        return [t.strip() for t in self.file_types.split(",") if t.strip()]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == FieldKind.CHOICE and len(self.choice_list()) < 2:
            errors["choices"] = "Uma lista de escolha precisa de pelo menos duas opções."
        if self.kind == FieldKind.FILE:
            unknown = set(self.file_type_list()) - set(FileType.values)
            if unknown or not self.file_type_list():
                errors["file_types"] = "Use um ou mais de: pdf, jpeg, png."
        if bool(self.required_if_key) != bool(self.required_if_value):
            errors["required_if_value"] = (
                "Para uma pergunta obrigatória só em um caso, informe a outra pergunta "
                "e a resposta."
            )
        if self.required_if_key and self.required_if_key == self.key:
            errors["required_if_key"] = "A condição tem de ser sobre outra pergunta."
        if errors:
            raise ValidationError(errors)


class DocumentRequirement(models.Model):
    """A document a step of the Carta lists, as the online form asks it (or does not)."""

    form = models.ForeignKey(ServiceForm, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveSmallIntegerField("ordem", default=1)
    name = models.CharField("documento", max_length=200)
    issued_by_town = models.BooleanField(
        "emitido pela própria prefeitura",
        default=False,
        help_text="A prefeitura consulta o documento; o cidadão nunca precisa enviá-lo "
        "(Lei 13.726/2018).",
    )
    ask_online = models.BooleanField(
        "pedir o arquivo no formulário",
        default=True,
        help_text="Desmarque o que não é um arquivo (um endereço, um número) ou que o "
        "formulário já pergunta de outro jeito.",
    )
    required = models.BooleanField("envio obrigatório", default=False)
    file_types = models.CharField("tipos aceitos", max_length=40, default=DEFAULT_FILE_TYPES)
    max_size_mb = models.PositiveSmallIntegerField(
        "tamanho máximo (MB)",
        default=DEFAULT_MAX_MB,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MB)],
    )

    class Meta:
        verbose_name = "documento pedido"
        verbose_name_plural = "documentos pedidos"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "name"], name="documentrequirement_unique"),
            # the law, in the database: what the town issues is never demanded
            models.CheckConstraint(
                condition=~models.Q(issued_by_town=True, required=True),
                name="documentrequirement_town_never_required",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def asked(self) -> bool:
        """Whether the online form asks for the file (never for what the town issues)."""
        return self.ask_online and not self.issued_by_town

    def file_type_list(self) -> list[str]:
        return [t.strip() for t in self.file_types.split(",") if t.strip()]

    def clean(self) -> None:
        if self.issued_by_town and self.required:
            raise ValidationError(
                {
                    "required": "Um documento que a própria prefeitura emite não pode ser "
                    "exigido do cidadão (Lei 13.726/2018, art. 3º)."
                }
            )


class Draft(TenantModel):
    """What a citizen typed in a service's form, kept on every POST until it is sent.

    Owned by an account, or, for someone not signed in, by the SHA-256 of a random
    key kept in the session and in the form itself (so an expired session does not
    orphan it).
    """

    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="+", verbose_name="serviço"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    key_hash = models.CharField("resumo da chave do rascunho", max_length=64, blank=True)
    data = models.JSONField("respostas", default=dict, blank=True)
    updated_at = models.DateTimeField("salvo em", auto_now=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "rascunho de pedido"
        verbose_name_plural = "rascunhos de pedido"
        indexes = [
            models.Index(fields=["key_hash"]),
            models.Index(fields=["owner", "service"]),
        ]

    def __str__(self) -> str:
        return f"Rascunho {self.pk}"


def draft_file_path(instance: DraftFile, filename: str) -> str:
    digest = instance.sha256
    return f"rascunhos/{instance.municipality_id}/{instance.draft_id}/{digest[:2]}/{digest}"


class DraftFile(TenantModel):
    """A file that passed the checks, kept with its draft until the case takes it."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    key = models.CharField("campo", max_length=60)
    file = models.FileField("arquivo", upload_to=draft_file_path, max_length=200)
    name = models.CharField("nome", max_length=200)
    content_type = models.CharField("tipo", max_length=100)
    size = models.PositiveBigIntegerField("tamanho (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)

    objects = TenantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["draft", "key"], name="draftfile_unique_key"),
        ]


class SlotQuerySet(TenantQuerySet):
    def free(self) -> Self:
        return self.filter(booked__lt=F("capacity"))


class Slot(TenantModel):
    """A time a unit receives people in person, for up to ``capacity`` of them."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="+", verbose_name="unidade"
    )
    starts_at = models.DateTimeField("início")
    capacity = models.PositiveSmallIntegerField(
        "vagas", default=1, validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    #: bookings taken (kept next to the capacity so a conditional UPDATE enforces it)
    booked = models.PositiveSmallIntegerField("vagas ocupadas", default=0)

    objects = SlotQuerySet.as_manager()

    class Meta:
        verbose_name = "horário de atendimento"
        verbose_name_plural = "horários de atendimento"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "starts_at"], name="slot_unique_time"),
            models.CheckConstraint(condition=models.Q(booked__lte=F("capacity")), name="slot_cap"),
        ]

    def __str__(self) -> str:
        return timezone.localtime(self.starts_at).strftime("%d/%m/%Y %H:%M")


class Booking(TenantModel):
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    case = models.OneToOneField(
        "atendimento.Case", on_delete=models.CASCADE, related_name="booking"
    )
    created_at = models.DateTimeField("agendado em", auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "agendamento"
        verbose_name_plural = "agendamentos"
