"""Every write to cases goes through here (transaction, permission, audit, side effects on commit).

This module starts with the one entry point every channel shares, :func:`open_case`
(the citizen's form, the ouvidoria and e-SIC forms, staff recording a walk-in,
Open311, the JSON API). Transitions (assign, transfer, ask for information,
extend, conclude, reopen, appeal, rate) follow the same shape.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from paco.accounts.models import Role, User
from paco.atendimento.access import RequesterProof
from paco.atendimento.deadline import deadline_of
from paco.atendimento.models import (
    Appeal,
    Attachment,
    Case,
    CaseEvent,
    CasePause,
    Channel,
    IdentityMode,
    Kind,
    OmbudsmanType,
    Outcome,
    Rating,
    Status,
    TownRules,
)
from paco.atendimento.policies import APPEAL_DECISION, APPEAL_FILING, policy_for
from paco.audit.services import record
from paco.catalog.models import Service
from paco.deadlines import clock
from paco.plans.dates import PLAN_TIME_ZONE, today_local
from paco.protocol.numbering import allocate
from paco.receipts.actions import issue_receipt
from paco.tenancy.models import Municipality, Unit
from paco.workspace.reach import Reach


@dataclass(frozen=True)
class Requester:
    """Who asks (personal data). Empty for an anonymous manifestation."""

    name: str = ""
    document: str = ""
    email: str = ""
    phone: str = ""
    citizen: User | None = None


@dataclass(frozen=True)
class Opened:
    case: Case
    #: the secret the citizen follows the case with (shown once, on the receipt); ``None``
    #: when the case is followed through the citizen's account only
    access_code: str | None


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def new_access_code() -> str:
    """12 characters from an alphabet without look-alikes, grouped for reading aloud."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _check_identity(kind: str, mode: str, requester: Requester) -> None:
    if mode == IdentityMode.ANONYMOUS:
        if kind != Kind.OMBUDSMAN:
            raise ValidationError("Só manifestações de ouvidoria podem ser anônimas.")
        if requester != Requester():
            raise ValidationError("Uma manifestação anônima não leva dados de identificação.")
    elif not (requester.citizen or requester.name):
        raise ValidationError({"requester_name": "Informe seu nome."})


def open_case(
    town: Municipality,
    *,
    kind: str,
    subject: str,
    description: str,
    requester: Requester,
    identity_mode: str = IdentityMode.IDENTIFIED,
    ombudsman_type: str = "",
    service: Service | None = None,
    unit: Unit | None = None,
    channel: str = Channel.INTERNET,
    form_data: dict[str, Any] | None = None,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    submitted_at: datetime.datetime | None = None,
    actor: User | None = None,
    files: list[Any] | None = None,
) -> Opened:
    """Receive a case: NUP, effective receipt day, deadline, first timeline event, audit.

    ``actor`` is the servant recording a walk-in, phone or letter submission
    (``channel`` says which); ``None`` when the citizen submits it themselves.
    """
    if channel != Channel.INTERNET and actor is None:
        raise PermissionDenied(
            "Só um servidor registra atendimentos presenciais, por telefone ou carta."
        )
    if actor is not None:
        reach = Reach(actor, town)
        if not (reach.has(Role.ATTENDANT) or reach.has(Role.OMBUDSMAN)):
            raise PermissionDenied(
                f"Só quem tem o papel {Role.ATTENDANT.label} registra atendimentos."
            )
    _check_identity(kind, identity_mode, requester)
    checked = _checked(files)
    if identity_mode == IdentityMode.ANONYMOUS:
        ombudsman_type = OmbudsmanType.COMMUNICATION
    if service is not None and service.municipality_id != town.pk:
        raise PermissionDenied("Serviço de outro município.")
    if unit is None and service is not None:
        unit = service.unit
    submitted_at = submitted_at or timezone.now()
    policy = policy_for(kind, service)
    needs_code = requester.citizen is None or identity_mode != IdentityMode.IDENTIFIED
    code = new_access_code() if needs_code else None
    with transaction.atomic():
        received = clock.received_on(town, submitted_at)
        deadline = clock.compute(town, policy, received) if policy else None
        case = Case(
            municipality=town,
            number=allocate(town, unit=unit, year=received.year),
            kind=kind,
            ombudsman_type=ombudsman_type,
            service=service,
            subject=subject,
            description=description,
            channel=channel,
            identity_mode=identity_mode,
            citizen=requester.citizen,
            requester_name=requester.name,
            requester_document=requester.document,
            requester_email=requester.email,
            requester_phone=requester.phone,
            access_code_hash=hash_code(code) if code else "",
            registered_by=actor,
            form_data=form_data or {},
            address=address,
            latitude=latitude,
            longitude=longitude,
            unit=unit,
            submitted_at=submitted_at,
            received_on=received,
            policy=policy.code if policy else "",
            due_on=deadline.due_on if deadline else None,
        )
        case.full_clean(exclude=["number", "access_code_hash"])
        case.save()
        first = CaseEvent.objects.create(
            municipality=town,
            case=case,
            at=submitted_at,
            code="received",
            unit=unit,
            actor=actor,
            text="Recebido" + (f" ({case.get_channel_display().lower()})" if actor else ""),
            data={"steps": list(deadline.steps)} if deadline else {},
        )
        # no personal data in the trail: the number, kind and channel only
        record(actor, "case.open", case, changes={"kind": [None, kind], "channel": [None, channel]})
        _attach(case, first, checked, actor or requester.citizen, public=True)
        _issue_receipt(case, deadline, actor)
        _after_open(case, actor)
    return Opened(case, code)


#: what a receipt repeats of the description (the whole text stays in the case)
RECEIPT_EXCERPT = 1500


def _issue_receipt(case: Case, deadline: clock.Deadline | None, actor: User | None) -> None:
    """The electronic receipt of the submission (Lei 14.129 art. 8), verifiable at /verificar/."""
    local = timezone.localtime(case.submitted_at, PLAN_TIME_ZONE)
    description = case.description
    if len(description) > RECEIPT_EXCERPT:
        description = description[:RECEIPT_EXCERPT].rstrip() + "… (texto completo no atendimento)"
    kind = case.get_kind_display()
    if case.ombudsman_type:
        kind += f" ({case.get_ombudsman_type_display()})"
    lines = [
        ("Tipo", kind),
        ("Assunto", case.subject),
        ("Descrição", description),
        ("Canal", case.get_channel_display()),
        ("Recebido para contagem do prazo em", f"{case.received_on:%d/%m/%Y}"),
        ("Prazo", f"{case.due_on:%d/%m/%Y}" if case.due_on else "sem prazo definido"),
    ]
    if case.unit_id:
        lines.insert(4, ("Unidade", str(case.unit)))
    issue_receipt(
        case.municipality,
        kind="atendimento.caso",
        subject=case,
        number=case.number,
        title=f"Comprovante de {case.get_kind_display().lower()}",
        issued_at=case.submitted_at,
        lines=lines,
        explanation=deadline.steps if deadline else (),
        # no personal data, and not the subject either: it may name people
        public_summary=f"{kind} nº {case.number}, enviado em {local:%d/%m/%Y às %H:%M}.",
        actor=actor,
    )


# -- shared steps of every transition -------------------------------------------------------


def _after_open(case: Case, actor: User | None) -> None:
    """Tell the unit's servants (new item) and the requester (the receipt's e-mail)."""
    from paco.atendimento import notify

    event = case.events.order_by("pk").first()
    notify.new_item(case, actor)
    if event is not None:
        notify.requester(case, event)


def _require_handler(actor: User | None, case: Case) -> Reach:
    """The servant handles ``case`` (its unit's Atendente, the ouvidoria, the administrator)."""
    from paco.atendimento.access import handles

    if actor is None:
        raise PermissionDenied("Só um servidor do município faz esta ação.")
    reach = Reach(actor, case.municipality)
    if not handles(reach, case):
        unit = case.unit.name if case.unit else "sem unidade"
        raise PermissionDenied(
            f"Você não tem o papel {Role.ATTENDANT.label} na unidade deste atendimento ({unit})."
        )
    return reach


def _require_requester(proof: RequesterProof, case: Case) -> User | None:
    if proof.case_id != case.pk:
        raise PermissionDenied("Só quem fez o pedido pode fazer esta ação.")
    return proof.user


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock (two clerks clicking at once act one after the other)."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("unit", "service", "citizen")
        .get(pk=case.pk)
    )


def _event(
    case: Case,
    code: str,
    text: str,
    *,
    actor: User | None,
    public: bool = True,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        at=timezone.now(),
        code=code,
        public=public,
        unit=case.unit,
        actor=actor,
        text=text,
        data=data or {},
    )
    if public:
        from paco.atendimento import notify

        notify.requester(case, event)
    return event


def policy_of(case: Case) -> clock.Policy | None:
    return policy_for(case.kind, case.service)


def _recompute(case: Case) -> clock.Deadline | None:
    deadline = deadline_of(case)
    case.due_on = deadline.due_on if deadline else None
    return deadline


def rules_for(town: Municipality) -> TownRules:
    return TownRules.objects.for_municipality(town).first() or TownRules(municipality=town)


def _checked(files: list[Any] | None) -> list[Any]:
    """Every file checked before anything is written (a refused file changes nothing)."""
    from paco.atendimento.uploads import check_all

    return check_all(list(files or []))


def _attach(
    case: Case, event: CaseEvent | None, files: list[Any], actor: User | None, public: bool
) -> list[Attachment]:
    from paco.atendimento.uploads import store

    return [store(case, event, f, uploaded_by=actor, public=public) for f in files]


# -- the clerk ---------------------------------------------------------------------------------


@transaction.atomic
def assign(actor: User, case: Case, servant: User | None) -> Case:
    """Make ``servant`` responsible (``None``: nobody); the servant must handle the case too."""
    from paco.atendimento import notify
    from paco.atendimento.access import handles

    _require_handler(actor, case)
    case = _locked(case)
    if servant is not None and not handles(Reach(servant, case.municipality), case):
        raise ValidationError({"servant": "Este servidor não atende a unidade do atendimento."})
    before = case.assigned_to_id
    case.assigned_to = servant
    if case.status == Status.RECEIVED:
        case.status = Status.IN_PROGRESS
    case.save(update_fields=["assigned_to", "status", "modified_at"])
    _event(
        case,
        "assigned",
        f"Atribuído a {servant}" if servant else "Sem servidor responsável",
        actor=actor,
        public=False,
    )
    record(
        actor,
        "case.assign",
        case,
        changes={"assigned_to": [before, servant.pk if servant else None]},
    )
    notify.assigned(case, actor)
    return case


@transaction.atomic
def transfer(actor: User, case: Case, unit: Unit, reason: str = "") -> Case:
    """Send the case to another unit of the town (the history keeps where it was)."""
    from paco.atendimento import notify

    _require_handler(actor, case)
    case = _locked(case)
    if unit.municipality_id != case.municipality_id:
        raise PermissionDenied("Unidade de outro município.")
    if unit.pk == case.unit_id:
        raise ValidationError({"unit": "O atendimento já está nesta unidade."})
    if case.status not in (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_CITIZEN):
        raise ValidationError("Só atendimentos em aberto podem ser encaminhados.")
    before = case.unit
    case.unit = unit
    case.assigned_to = None
    case.save(update_fields=["unit", "assigned_to", "modified_at"])
    _event(
        case,
        "transferred",
        f"Encaminhado de {before.name if before else 'triagem'} para {unit.name}.",
        actor=actor,
        data={"from": before.pk if before else None, "to": unit.pk},
    )
    if reason:
        _event(case, "note", f"Motivo do encaminhamento: {reason}", actor=actor, public=False)
    record(actor, "case.transfer", case, changes={"unit": [str(before or ""), unit.name]})
    notify.new_item(case, actor)
    return case


@transaction.atomic
def add_note(actor: User, case: Case, text: str, files: list[Any] | None = None) -> CaseEvent:
    """An internal note (never shown to the citizen), with optional internal files."""
    _require_handler(actor, case)
    files = _checked(files)
    if not text.strip():
        raise ValidationError({"text": "Escreva a nota."})
    event = _event(case, "note", text.strip(), actor=actor, public=False)
    _attach(case, event, files or [], actor, public=False)
    record(actor, "case.note", case)
    return event


@transaction.atomic
def ask_information(actor: User, case: Case, question: str) -> Case:
    """Ask the requester for more information; the clock stops when the policy says so."""
    _require_handler(actor, case)
    case = _locked(case)
    if case.identity_mode == IdentityMode.ANONYMOUS and not case.access_code_hash:
        raise ValidationError("Este atendimento não tem como receber respostas do cidadão.")
    if case.status not in (Status.RECEIVED, Status.IN_PROGRESS):
        raise ValidationError("Só se pede informação de um atendimento em andamento.")
    if not question.strip():
        raise ValidationError({"question": "Escreva o que precisa ser informado."})
    today = today_local()
    CasePause.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        started_on=today,
        citizen_due_on=today + datetime.timedelta(days=CITIZEN_DAYS),
        question=question.strip(),
    )
    policy = policy_of(case)
    case.status = Status.WAITING_CITIZEN
    _recompute(case)
    case.save(update_fields=["status", "due_on", "modified_at"])
    paused = policy is not None and policy.pauses_on_request_for_information
    _event(
        case,
        "info_requested",
        question.strip(),
        actor=actor,
        data={
            "citizen_due_on": (today + datetime.timedelta(days=CITIZEN_DAYS)).isoformat(),
            "paused": paused,
        },
    )
    record(actor, "case.ask", case, changes={"status": [None, case.status]})
    return case


#: days the requester has to answer a request for information (then the case may be archived)
CITIZEN_DAYS = 20


@transaction.atomic
def answer_information(
    proof: RequesterProof, case: Case, text: str, files: list[Any] | None = None
) -> Case:
    """The requester answers; the clock runs again from today."""
    user = _require_requester(proof, case)
    files = _checked(files)
    case = _locked(case)
    if case.status != Status.WAITING_CITIZEN:
        raise ValidationError("Este atendimento não está aguardando informações suas.")
    if not text.strip() and not files:
        raise ValidationError({"text": "Escreva a resposta ou anexe um documento."})
    pause = case.pauses.filter(ended_on__isnull=True).order_by("-pk").first()
    if pause is not None:
        pause.ended_on = today_local()
        pause.save(update_fields=["ended_on"])
    case.status = Status.IN_PROGRESS
    _recompute(case)
    case.save(update_fields=["status", "due_on", "modified_at"])
    event = _event(case, "citizen_answered", text.strip(), actor=user)
    _attach(case, event, files or [], user, public=True)
    record(user, "case.citizen_answer", case, changes={"status": [None, case.status]})
    _notify_unit(case, user, "citizen-answer")
    return case


@transaction.atomic
def add_document(proof: RequesterProof, case: Case, files: list[Any], text: str = "") -> Case:
    """The requester adds a document to an open case."""
    user = _require_requester(proof, case)
    files = _checked(files)
    if case.status in (Status.ARCHIVED,):
        raise ValidationError("Este atendimento está arquivado.")
    if not files:
        raise ValidationError({"files": "Escolha um arquivo."})
    event = _event(case, "document_added", text.strip() or "Documento enviado", actor=user)
    _attach(case, event, files, user, public=True)
    record(user, "case.document", case)
    return case


@transaction.atomic
def archive_unanswered(actor: User, case: Case) -> Case:
    """The requester's 20 days passed without an answer: the case may be archived."""
    _require_handler(actor, case)
    case = _locked(case)
    pause = case.pauses.filter(ended_on__isnull=True).order_by("-pk").first()
    if case.status != Status.WAITING_CITIZEN or pause is None:
        raise ValidationError("Este atendimento não está aguardando o cidadão.")
    if pause.citizen_due_on >= today_local():
        raise ValidationError(f"O cidadão tem até {pause.citizen_due_on:%d/%m/%Y} para responder.")
    return _archive(actor, case, "Arquivado: as informações pedidas não foram enviadas no prazo.")


@transaction.atomic
def extend(actor: User, case: Case, reason: str) -> Case:
    """Extend the deadline once, with a justification the requester sees."""
    _require_handler(actor, case)
    case = _locked(case)
    policy = policy_of(case)
    if policy is None or not policy.extension_days:
        raise ValidationError("O prazo deste atendimento não admite prorrogação.")
    if case.extended_at is not None:
        raise ValidationError("O prazo já foi prorrogado uma vez.")
    if case.status not in (Status.RECEIVED, Status.IN_PROGRESS):
        raise ValidationError("Só se prorroga o prazo de um atendimento em andamento.")
    if case.due_on is not None and case.due_on < today_local():
        raise ValidationError("O prazo já venceu: a prorrogação é pedida antes do vencimento.")
    if len(reason.strip()) < 10:
        raise ValidationError({"reason": "Explique ao cidadão por que o prazo será prorrogado."})
    before = case.due_on
    case.extended_at = timezone.now()
    case.extension_reason = reason.strip()
    deadline = _recompute(case)
    case.save(update_fields=["extended_at", "extension_reason", "due_on", "modified_at"])
    _event(
        case,
        "extended",
        f"Prazo prorrogado por {policy.extension_days} dias, até "
        f"{case.due_on:%d/%m/%Y}. Justificativa: {case.extension_reason}",
        actor=actor,
        data={"steps": list(deadline.steps) if deadline else []},
    )
    record(
        actor,
        "case.extend",
        case,
        changes={"due_on": [str(before), str(case.due_on)]},
    )
    return case


@transaction.atomic
def conclude(
    actor: User, case: Case, outcome: str, text: str, files: list[Any] | None = None
) -> Case:
    """Answer the requester: deferido, indeferido, respondido or atendido em parte."""
    _require_handler(actor, case)
    files = _checked(files)
    case = _locked(case)
    if outcome not in Outcome.values or outcome == Outcome.FORWARDED:
        raise ValidationError({"outcome": "Escolha o resultado."})
    if case.status not in (Status.RECEIVED, Status.IN_PROGRESS, Status.WAITING_CITIZEN):
        raise ValidationError("Este atendimento não está em aberto.")
    if len(text.strip()) < 5:
        raise ValidationError({"text": "Escreva a resposta ao cidadão (com a justificativa)."})
    _close_pause(case)
    case.status = Status.CONCLUDED
    case.concluded_at = timezone.now()
    case.outcome = outcome
    case.conclusion = text.strip()
    case.save(
        update_fields=["status", "concluded_at", "outcome", "conclusion", "due_on", "modified_at"]
    )
    data: dict[str, Any] = {"outcome": outcome}
    if case.kind in APPEALABLE:
        data["appeal_until"] = appeal_filing_due(case).isoformat()
    event = _event(
        case,
        "concluded",
        f"{Outcome(outcome).label}: {case.conclusion}",
        actor=actor,
        data=data,
    )
    _attach(case, event, files or [], actor, public=True)
    record(actor, "case.conclude", case, changes={"outcome": [None, outcome]})
    return case


def _close_pause(case: Case) -> None:
    open_pause = case.pauses.filter(ended_on__isnull=True).first()
    if open_pause is not None:
        open_pause.ended_on = today_local()
        open_pause.save(update_fields=["ended_on"])
        _recompute(case)


def _archive(actor: User, case: Case, text: str) -> Case:
    _close_pause(case)
    before = case.status
    case.status = Status.ARCHIVED
    case.archived_at = timezone.now()
    case.save(update_fields=["status", "archived_at", "due_on", "modified_at"])
    _event(case, "archived", text, actor=actor)
    record(actor, "case.archive", case, changes={"status": [before, case.status]})
    return case


@transaction.atomic
def archive(actor: User, case: Case, reason: str) -> Case:
    """Archive a case (duplicate, out of scope, concluded long ago), with a reason."""
    _require_handler(actor, case)
    case = _locked(case)
    if case.status == Status.ARCHIVED:
        raise ValidationError("Este atendimento já está arquivado.")
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": "Diga ao cidadão por que o atendimento é arquivado."})
    return _archive(actor, case, f"Arquivado: {reason.strip()}")


@transaction.atomic
def forward_to_body(actor: User, case: Case, body: str, text: str) -> Case:
    """An e-SIC request about another body's information: forwarded, with notice (LAI art. 11
    §1 III)."""
    _require_handler(actor, case)
    case = _locked(case)
    if case.kind != Kind.INFORMATION:
        raise ValidationError("Só pedidos de acesso à informação são encaminhados a outro órgão.")
    if case.status not in (Status.RECEIVED, Status.IN_PROGRESS):
        raise ValidationError("Este pedido não está em aberto.")
    if not body.strip():
        raise ValidationError({"body": "Informe o órgão que detém a informação."})
    case.status = Status.CONCLUDED
    case.outcome = Outcome.FORWARDED
    case.concluded_at = timezone.now()
    case.conclusion = f"Encaminhado a {body.strip()}. {text.strip()}".strip()
    case.save(update_fields=["status", "outcome", "concluded_at", "conclusion", "modified_at"])
    _event(case, "forwarded", case.conclusion, actor=actor, data={"body": body.strip()})
    record(actor, "case.forward", case, changes={"outcome": [None, Outcome.FORWARDED]})
    return case


# -- the requester -----------------------------------------------------------------------


#: kinds whose answer can be appealed (LAI art. 15; Lei 14.129 art. 30 follows the LAI)
APPEALABLE = (Kind.INFORMATION, Kind.OPEN_DATA)
#: days to file the complaint for no answer, counted from the received day (Decreto 7.724 art. 22)
COMPLAINT_AFTER_DAYS = 30


def _last_answer_day(case: Case) -> datetime.date:
    decided = [a.decided_at for a in case.appeals.all() if a.decided_at and a.level > 0]
    moment = max(decided) if decided else case.concluded_at
    assert moment is not None
    return moment.astimezone(PLAN_TIME_ZONE).date()


def appeal_filing_due(case: Case) -> datetime.date:
    """The last day to appeal the answer (or the last decision): 10 days (LAI art. 15)."""
    deadline = clock.compute(case.municipality, APPEAL_FILING, _last_answer_day(case))
    assert deadline.due_on is not None
    return deadline.due_on


def reopen_window(case: Case) -> int:
    rules = rules_for(case.municipality)
    if case.kind == Kind.SERVICE:
        return rules.reopen_days_service
    if case.kind == Kind.OMBUDSMAN:
        return rules.reopen_days_ombudsman
    return 0  # e-SIC and art. 30: the appeal is the way to contest an answer


def can_reopen(case: Case, today: datetime.date | None = None) -> bool:
    days = reopen_window(case)
    if case.status != Status.CONCLUDED or not days or case.concluded_at is None:
        return False
    concluded = case.concluded_at.astimezone(PLAN_TIME_ZONE).date()
    return (today or today_local()) <= concluded + datetime.timedelta(days=days)


def next_appeal_level(case: Case) -> int | None:
    """The level the requester may file now, or ``None``."""
    if case.kind not in APPEALABLE or case.status != Status.CONCLUDED:
        return None
    if case.outcome == Outcome.FORWARDED:
        return None
    levels = [a.level for a in case.appeals.all() if a.level > 0]
    level = max(levels, default=0) + 1
    if level > rules_for(case.municipality).appeal_levels:
        return None
    if today_local() > appeal_filing_due(case):
        return None
    return level


def can_complain(case: Case, today: datetime.date | None = None) -> bool:
    """The complaint for no answer: an e-SIC request open 30 days after it was received."""
    if case.kind not in APPEALABLE or case.status not in (Status.RECEIVED, Status.IN_PROGRESS):
        return False
    if any(a.level == 0 for a in case.appeals.all()):
        return False
    return (today or today_local()) > case.received_on + datetime.timedelta(
        days=COMPLAINT_AFTER_DAYS
    )


@transaction.atomic
def reopen(proof: RequesterProof, case: Case, reason: str) -> Case:
    user = _require_requester(proof, case)
    case = _locked(case)
    if not can_reopen(case):
        raise ValidationError("Este atendimento não pode mais ser reaberto.")
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": "Diga por que o atendimento deve ser reaberto."})
    policy = policy_of(case)
    case.status = Status.IN_PROGRESS
    case.outcome = ""
    if policy is not None:  # a new period from the reopening day
        deadline = clock.compute(case.municipality, policy, today_local())
        case.due_on = deadline.due_on
    case.save(update_fields=["status", "outcome", "due_on", "modified_at"])
    _event(case, "reopened", f"Reaberto pelo cidadão: {reason.strip()}", actor=user)
    record(user, "case.reopen", case, changes={"status": [Status.CONCLUDED, case.status]})
    _notify_unit(case, user, "reopened")
    return case


@transaction.atomic
def appeal(proof: RequesterProof, case: Case, reasons: str) -> Appeal:
    """File the next appeal level (LAI art. 15: 10 days to file, decided in 5)."""
    user = _require_requester(proof, case)
    case = _locked(case)
    level = next_appeal_level(case)
    if level is None:
        raise ValidationError("Não cabe recurso agora (prazo ou instâncias esgotados).")
    if len(reasons.strip()) < 5:
        raise ValidationError({"reasons": "Escreva as razões do recurso."})
    filed = timezone.now()
    due = clock.compute(
        case.municipality, APPEAL_DECISION, clock.received_on(case.municipality, filed)
    )
    item = Appeal.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        level=level,
        filed_at=filed,
        reasons=reasons.strip(),
        due_on=due.due_on or today_local(),
    )
    case.status = Status.APPEALED
    case.due_on = due.due_on
    case.save(update_fields=["status", "due_on", "modified_at"])
    _event(
        case,
        "appealed",
        f"Recurso em {level}ª instância: {item.reasons}",
        actor=user,
        data={"level": level, "due_on": str(due.due_on), "steps": list(due.steps)},
    )
    record(user, "case.appeal", case, changes={"level": [None, level]})
    _notify_unit(case, user, f"appeal-{level}")
    return item


@transaction.atomic
def complain(proof: RequesterProof, case: Case, text: str) -> Appeal:
    """The complaint for no answer (level 0), to the authority above the unit."""
    user = _require_requester(proof, case)
    case = _locked(case)
    if not can_complain(case):
        raise ValidationError(
            f"A reclamação por falta de resposta cabe depois de {COMPLAINT_AFTER_DAYS} dias "
            "sem resposta."
        )
    filed = timezone.now()
    due = clock.compute(
        case.municipality, APPEAL_DECISION, clock.received_on(case.municipality, filed)
    )
    item = Appeal.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        level=0,
        filed_at=filed,
        reasons=text.strip() or "Pedido sem resposta.",
        due_on=due.due_on or today_local(),
    )
    _event(case, "complaint", f"Reclamação por falta de resposta: {item.reasons}", actor=user)
    record(user, "case.complaint", case)
    _notify_unit(case, user, "complaint")
    return item


def can_decide_appeal(actor: User | None, case: Case) -> bool:
    """The authority above the unit that answered: the administrator or an Atendente of the
    parent unit — never who signed the answer under appeal."""
    if actor is None:
        return False
    reach = Reach(actor, case.municipality)
    if reach.has_unit_id(Role.ADMIN, None):
        return True
    answered_by = (
        case.events.filter(code="concluded").order_by("-pk").values_list("actor_id", flat=True)
    ).first()
    if answered_by == actor.pk:
        return False
    parent_id = case.unit.parent_id if case.unit else None
    return parent_id is not None and reach.has_unit_id(Role.ATTENDANT, parent_id)


@transaction.atomic
def decide_appeal(actor: User, case: Case, *, upheld: bool, decision: str) -> Appeal:
    case = _locked(case)
    if not can_decide_appeal(actor, case):
        raise PermissionDenied(
            "O recurso é decidido pela autoridade superior à unidade que respondeu."
        )
    pending = case.appeals.filter(decided_at__isnull=True).order_by("level").first()
    if pending is None:
        raise ValidationError("Não há recurso pendente.")
    if len(decision.strip()) < 5:
        raise ValidationError({"decision": "Escreva a decisão, com a justificativa."})
    pending.decided_at = timezone.now()
    pending.upheld = upheld
    pending.decision = decision.strip()
    pending.save(update_fields=["decided_at", "upheld", "decision"])
    if pending.level > 0:
        case.status = Status.CONCLUDED
        case.due_on = None
        case.save(update_fields=["status", "due_on", "modified_at"])
    what = "Recurso" if pending.level else "Reclamação"
    verdict = "provido" if upheld else "não provido"
    data: dict[str, Any] = {"level": pending.level, "upheld": upheld}
    if pending.level:
        data["appeal_until"] = appeal_filing_due(case).isoformat()
    _event(case, "appeal_decided", f"{what} {verdict}: {pending.decision}", actor=actor, data=data)
    record(actor, "case.appeal_decide", case, changes={"upheld": [None, upheld]})
    return pending


@transaction.atomic
def rate(
    proof: RequesterProof,
    case: Case,
    *,
    score: int,
    resolved: str,
    dimension: str = "",
    comment: str = "",
) -> Rating:
    """The one optional rating, after conclusion."""
    user = _require_requester(proof, case)
    case = _locked(case)
    if case.status != Status.CONCLUDED and case.concluded_at is None:
        raise ValidationError("A avaliação fica disponível depois da resposta.")
    if Rating.objects.filter(case=case).exists():
        raise ValidationError("Este atendimento já foi avaliado.")
    rating = Rating(
        municipality_id=case.municipality_id,
        case=case,
        score=score,
        resolved=resolved,
        dimension=dimension,
        comment=comment.strip(),
    )
    rating.full_clean(exclude=["case"])
    rating.save()
    record(user, "case.rate", case, changes={"score": [None, score]})
    return rating


def _notify_unit(case: Case, actor: User | None, event: str) -> None:
    from paco.atendimento import notify

    notify.new_item(case, actor, event=event)
