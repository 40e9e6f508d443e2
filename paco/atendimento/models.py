"""Cases: every request a citizen makes to the town, in one engine.

A :class:`Case` is a service request (Carta de Serviços), an ouvidoria
manifestation (Lei 13.460), an access-to-information request (e-SIC, LAI) or a
request to open a database (Lei 14.129 art. 30). All share a NUP
(:mod:`paco.protocol`), a deadline from the shared clock (:mod:`paco.deadlines`),
a public timeline (:class:`CaseEvent`), attachments, a handling unit, transfers
and, after conclusion, one optional :class:`Rating`.

Personal data (requester's name, document, contacts, the account) never leaves
the case's access helpers; an identity-preserved case shows it only to ouvidoria
staff, an anonymous one has none. Writes go through :mod:`paco.atendimento.actions`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from paco.tenancy.models import TenantModel, TenantQuerySet, Unit


class Kind(models.TextChoices):
    SERVICE = "servico", "Solicitação de serviço"
    OMBUDSMAN = "ouvidoria", "Manifestação de ouvidoria"
    INFORMATION = "esic", "Pedido de acesso à informação"
    OPEN_DATA = "dados", "Pedido de abertura de base de dados"


class OmbudsmanType(models.TextChoices):
    COMPLAINT = "reclamacao", "Reclamação"
    REPORT = "denuncia", "Denúncia"
    PRAISE = "elogio", "Elogio"
    SUGGESTION = "sugestao", "Sugestão"
    REQUEST = "solicitacao", "Solicitação"
    #: an anonymous manifestation is received as a "comunicação" (Decreto 9.492 art. 23)
    COMMUNICATION = "comunicacao", "Comunicação"


class Channel(models.TextChoices):
    INTERNET = "internet", "Internet"
    IN_PERSON = "presencial", "Presencial"
    PHONE = "telefone", "Telefone"
    LETTER = "carta", "Carta"
    EMAIL = "email", "E-mail"


class IdentityMode(models.TextChoices):
    IDENTIFIED = "identificado", "Identificado"
    #: only ouvidoria staff see who asked; the handling unit does not
    PRESERVED = "preservado", "Identidade preservada"
    ANONYMOUS = "anonimo", "Anônimo"


class Status(models.TextChoices):
    RECEIVED = "recebido", "Recebido"
    IN_PROGRESS = "em_andamento", "Em andamento"
    WAITING_CITIZEN = "aguardando_cidadao", "Aguardando informações do cidadão"
    CONCLUDED = "concluido", "Concluído"
    APPEALED = "em_recurso", "Em recurso"
    ARCHIVED = "arquivado", "Arquivado"


#: statuses in which the town owes the citizen something
OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_CITIZEN, Status.APPEALED)


class Outcome(models.TextChoices):
    GRANTED = "deferido", "Deferido"
    DENIED = "indeferido", "Indeferido"
    ANSWERED = "respondido", "Respondido"
    PARTIAL = "parcial", "Atendido em parte"
    FORWARDED = "encaminhado", "Encaminhado a outro órgão"


class CaseQuerySet(TenantQuerySet):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def of_kind(self, kind: str) -> CaseQuerySet:
        return self.filter(kind=kind)


class Case(TenantModel):
    number = models.CharField("protocolo (NUP)", max_length=20, editable=False)
    kind = models.CharField("tipo", max_length=12, choices=Kind.choices)
    ombudsman_type = models.CharField(
        "tipo de manifestação", max_length=12, choices=OmbudsmanType.choices, blank=True
    )
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name="serviço",
    )
    subject = models.CharField("assunto", max_length=200)
    description = models.TextField("descrição")
    channel = models.CharField(
        "canal de entrada", max_length=12, choices=Channel.choices, default=Channel.INTERNET
    )
    # -- who asks (personal data) ------------------------------------------------
    identity_mode = models.CharField(
        "identificação",
        max_length=12,
        choices=IdentityMode.choices,
        default=IdentityMode.IDENTIFIED,
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name="conta do cidadão",
    )
    requester_name = models.CharField("nome", max_length=200, blank=True)
    requester_document = models.CharField("documento de identificação", max_length=60, blank=True)
    requester_email = models.EmailField("e-mail", blank=True)
    requester_phone = models.CharField("telefone", max_length=40, blank=True)
    #: SHA-256 of the secret access code given with the receipt (anonymous, preserved or no account)
    access_code_hash = models.CharField("resumo do código de acesso", max_length=64, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="registrado por (atendimento presencial, telefone ou carta)",
    )
    # -- what (service form answers, place) ----------------------------------------
    form_data = models.JSONField("respostas do formulário", default=dict, blank=True)
    address = models.CharField("endereço", max_length=250, blank=True)
    latitude = models.DecimalField(
        "latitude", max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        "longitude", max_digits=9, decimal_places=6, null=True, blank=True
    )
    # -- handling -----------------------------------------------------------------------
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="unidade",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="servidor responsável",
    )
    status = models.CharField(
        "situação", max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    # -- the clock (paco.deadlines) -------------------------------------------------
    submitted_at = models.DateTimeField("enviado em")
    received_on = models.DateField("recebido em (para a contagem do prazo)")
    policy = models.CharField("regra de prazo", max_length=30, blank=True)
    due_on = models.DateField("prazo", null=True, blank=True)
    extended_at = models.DateTimeField("prorrogado em", null=True, blank=True)
    extension_reason = models.TextField("justificativa da prorrogação", blank=True)
    # -- the end ---------------------------------------------------------------------
    concluded_at = models.DateTimeField("concluído em", null=True, blank=True)
    outcome = models.CharField("resultado", max_length=12, choices=Outcome.choices, blank=True)
    conclusion = models.TextField("resposta ao cidadão", blank=True)
    archived_at = models.DateTimeField("arquivado em", null=True, blank=True)
    created_at = models.DateTimeField("criado em", auto_now_add=True)
    modified_at = models.DateTimeField("modificado em", auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = "atendimento"
        verbose_name_plural = "atendimentos"
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="case_unique_number"),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "due_on"]),
            models.Index(fields=["municipality", "unit", "status"]),
            models.Index(fields=["municipality", "kind", "submitted_at"]),
            models.Index(fields=["citizen", "submitted_at"]),
            models.Index(fields=["access_code_hash"]),
        ]

    def __str__(self) -> str:
        # the number only: the subject may carry personal data, and str() reaches the audit trail
        return self.number

    @property
    def slug(self) -> str:
        """The number's digits, for addresses (``/`` cannot sit in a path segment)."""
        return "".join(ch for ch in self.number if ch.isdigit())


#: what each event code means, in pt-BR (timeline, e-mails)
EVENT_LABELS = {
    "received": "Recebido",
    "assigned": "Atribuído",
    "transferred": "Encaminhado a outra unidade",
    "note": "Nota interna",
    "info_requested": "Pedido de informações ao cidadão",
    "citizen_answered": "Resposta do cidadão",
    "document_added": "Documento enviado",
    "extended": "Prazo prorrogado",
    "concluded": "Respondido",
    "archived": "Arquivado",
    "forwarded": "Encaminhado a outro órgão",
    "reopened": "Reaberto",
    "appealed": "Recurso apresentado",
    "complaint": "Reclamação por falta de resposta",
    "appeal_decided": "Recurso decidido",
    "deadline_changed": "Prazo recalculado",
}


class CaseEvent(TenantModel):
    """One step in a case's history; ``public`` events are the citizen's timeline."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("quando")
    code = models.CharField("evento", max_length=40)
    public = models.BooleanField("visível ao cidadão", default=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField("texto", blank=True)
    data = models.JSONField("dados", default=dict, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "evento do atendimento"
        verbose_name_plural = "eventos do atendimento"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"])]

    def get_label(self) -> str:
        return EVENT_LABELS.get(self.code, self.code)


class CasePause(TenantModel):
    """The clock stopped while the town waits for the citizen (a request for information)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField("suspenso em")
    ended_on = models.DateField("retomado em", null=True, blank=True)
    citizen_due_on = models.DateField("prazo do cidadão")
    question = models.TextField("informação pedida")

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "pk"]


class Appeal(TenantModel):
    """An appeal against an e-SIC answer, at one of the levels the town's decree sets.

    Level 0 is the complaint for no answer (LAI art. 22 of Decreto 7.724: "reclamação"),
    filed when the request went unanswered; levels 1, 2 … are the appeal instances.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appeals")
    level = models.PositiveSmallIntegerField("instância")
    filed_at = models.DateTimeField("apresentado em")
    reasons = models.TextField("razões")
    due_on = models.DateField("prazo da decisão")
    decided_at = models.DateTimeField("decidido em", null=True, blank=True)
    upheld = models.BooleanField("provido", null=True)
    decision = models.TextField("decisão", blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["case", "level"], name="appeal_unique_level"),
        ]


def attachment_path(instance: Attachment, filename: str) -> str:
    digest = instance.sha256
    return f"atendimento/{instance.municipality_id}/{instance.case_id}/{digest[:2]}/{digest}"


class Attachment(TenantModel):
    """A file of a case, served only after an access check (never from a public URL)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField("arquivo", upload_to=attachment_path, max_length=200)
    name = models.CharField("nome", max_length=200)
    content_type = models.CharField("tipo", max_length=100)
    size = models.PositiveBigIntegerField("tamanho (bytes)")
    sha256 = models.CharField("SHA-256", max_length=64)
    #: internal files (notes' attachments) are never shown to the citizen
    public = models.BooleanField("visível ao cidadão", default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("enviado em", auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]


class Resolved(models.TextChoices):
    YES = "sim", "Sim"
    PARTLY = "parcialmente", "Parcialmente"
    NO = "nao", "Não"


class Dimension(models.TextChoices):
    CLARITY = "clareza", "Clareza"
    EASE = "facilidade", "Facilidade de uso"
    CHANNELS = "canais", "Qualidade dos canais"
    EFFORT = "esforco", "Custo e esforço"
    PERFORMANCE = "desempenho", "Desempenho e disponibilidade"
    TIME = "tempo", "Tempo"
    EFFECTIVENESS = "eficacia", "Eficácia"


SCORE_LABELS = {1: "Péssima", 2: "Ruim", 3: "Regular", 4: "Boa", 5: "Excelente"}


class Rating(TenantModel):
    """The citizen's one optional rating of a concluded case."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(
        "avaliação", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    resolved = models.CharField(
        "sua demanda foi resolvida?", max_length=12, choices=Resolved.choices
    )
    dimension = models.CharField("aspecto", max_length=12, choices=Dimension.choices, blank=True)
    comment = models.TextField("comentário", blank=True)
    created_at = models.DateTimeField("avaliado em", auto_now_add=True)

    objects = TenantQuerySet.as_manager()


class TownRules(TenantModel):
    """Per-municipality rules of Atendimento (the town's own decree; federal defaults)."""

    #: appeal instances after the first answer (LAI art. 15 and the town's decree, art. 45)
    appeal_levels = models.PositiveSmallIntegerField(
        "instâncias de recurso (e-SIC)",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    #: days after conclusion in which the citizen may reopen a service request
    reopen_days_service = models.PositiveSmallIntegerField(
        "dias para reabrir uma solicitação de serviço", default=30
    )
    #: days after conclusion in which the citizen may reopen an ouvidoria manifestation
    reopen_days_ombudsman = models.PositiveSmallIntegerField(
        "dias para reabrir uma manifestação de ouvidoria", default=30
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "regras do atendimento"
        verbose_name_plural = "regras do atendimento"
        constraints = [
            models.UniqueConstraint(fields=["municipality"], name="townrules_unique_town"),
        ]

    def __str__(self) -> str:
        return "Regras do atendimento"


class Outgoing(TenantModel):
    """An e-mail to a requester about a public event, kept until sent (retried with backoff)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outgoing")
    event = models.ForeignKey(CaseEvent, null=True, on_delete=models.CASCADE, related_name="+")
    to = models.EmailField("para")
    subject = models.CharField("assunto", max_length=200)
    body = models.TextField("texto")
    sent_at = models.DateTimeField("enviado em", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentativas", default=0)
    next_at = models.DateTimeField("próxima tentativa", null=True, blank=True)
    last_error = models.CharField("último erro", max_length=300, blank=True)
    created_at = models.DateTimeField("criado em", auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["sent_at", "next_at"])]
