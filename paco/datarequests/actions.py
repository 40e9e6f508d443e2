"""Every write to requests to open a database goes through here.

Each function runs in a transaction, checks who acts (``actor=None`` is the
system or the anonymous requester, who proves who they are with the tracking
link), records an audit entry without the requester's personal data, and queues
the e-mail to the requester on commit (:mod:`paco.datarequests.notify`).
Deadlines come from :mod:`paco.datarequests.deadlines` only.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from paco.accounts.models import Role, User
from paco.accounts.permissions import has_role
from paco.audit.services import diff, record, snapshot
from paco.datarequests import deadlines, notify
from paco.datarequests.access import (
    can_decide_appeal,
    can_handle,
    can_reveal_identity,
    hash_token,
)
from paco.datarequests.models import (
    AWAITING_ANSWER,
    AppealOutcome,
    DataRequest,
    Outcome,
    ProtocolCounter,
    Status,
)
from paco.datarequests.work import item_for
from paco.notifications import actions as notifications
from paco.opendata.models import Dataset
from paco.plans.dates import today_local
from paco.tenancy.models import Municipality, Unit

PROTOCOL_PREFIX = "DA"
#: fields never copied to the audit trail (personal data and the token digest)
PRIVATE_FIELDS = (
    "requester_name",
    "requester_email",
    "requester_phone",
    "token_hash",
    "redactions",  # the hidden passages themselves: recorded by count, never by content
)


def _snap(data_request: DataRequest) -> dict[str, Any]:
    return snapshot(data_request, exclude=PRIVATE_FIELDS)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def next_protocol(town: Municipality, year: int) -> str:
    """``DA-2026-000123``: one sequence per municipality and year, safe under concurrency."""
    with transaction.atomic():
        if not ProtocolCounter.objects.filter(municipality=town, year=year).exists():
            try:
                with transaction.atomic():
                    ProtocolCounter.objects.create(municipality=town, year=year)
            except IntegrityError:  # created by a concurrent request
                pass
        # The UPDATE takes the row lock, so two requests never get the same number.
        ProtocolCounter.objects.filter(municipality=town, year=year).update(last=F("last") + 1)
        number = ProtocolCounter.objects.get(municipality=town, year=year).last
    return f"{PROTOCOL_PREFIX}-{year}-{number:06d}"


def _require_handler(actor: User | None, data_request: DataRequest) -> None:
    if actor is not None and not can_handle(actor, data_request):
        raise PermissionDenied("Você não pode tratar este pedido.")


def _require_awaiting(data_request: DataRequest) -> None:
    if data_request.status not in AWAITING_ANSWER:
        raise ValidationError("Este pedido não está aguardando resposta.")


def _save_and_record(
    actor: User | None,
    verb: str,
    data_request: DataRequest,
    before: dict[str, Any],
    *,
    notice: str,
    root: str,
) -> DataRequest:
    """Save, audit the change (``datarequest.<verb>``) and e-mail the requester on commit."""
    data_request.save()
    record(actor, f"datarequest.{verb}", data_request, changes=diff(before, _snap(data_request)))
    notify.send(notice, data_request, root)
    return data_request


@transaction.atomic
def submit_request(
    town: Municipality,
    *,
    title: str,
    description: str,
    name: str,
    email: str,
    phone: str = "",
    hide_identity: bool = False,
    root: str = "",
) -> tuple[DataRequest, str]:
    """Register a request from anyone; returns it and the secret tracking token."""
    now = timezone.now()
    token = new_token()
    data_request = DataRequest(
        municipality=town,
        protocol=next_protocol(town, deadlines.local_date(now).year),
        title=title.strip(),
        description=description.strip(),
        requester_name=name.strip(),
        requester_email=email.strip(),
        requester_phone=phone.strip(),
        hide_identity=hide_identity,
        token_hash=hash_token(token),
        due_date=deadlines.answer_due(deadlines.local_date(now), town=town),
    )
    data_request.full_clean()
    data_request.save()
    record(None, "datarequest.submit", data_request, changes={"after": _snap(data_request)})
    # a new item in the town-wide queue: whoever forwards requests is told
    notifications.notify_new_item(town, item_for(data_request))
    root = root or notify.base_url(town)
    notify.send("received", data_request, root, tracking_url=notify.tracking_url(root, token))
    return data_request, token


@transaction.atomic
def resend_tracking_link(town: Municipality, *, protocol: str, email: str, root: str = "") -> bool:
    """A lost tracking link: if protocol and e-mail match, e-mail a new one (the old one stops
    working). Returns whether it matched; callers must not tell the visitor."""
    data_request = (
        DataRequest.objects.for_municipality(town)
        .select_for_update()
        .filter(protocol=protocol.strip().upper(), requester_email__iexact=email.strip())
        .first()
    )
    if data_request is None:
        return False
    token = new_token()
    data_request.token_hash = hash_token(token)
    data_request.save(update_fields=["token_hash", "modified_at"])
    record(None, "datarequest.resend_link", data_request)
    root = root or notify.base_url(town)
    notify.send("link", data_request, root, tracking_url=notify.tracking_url(root, token))
    return True


@transaction.atomic
def assign_unit(
    actor: User | None, data_request: DataRequest, unit: Unit, *, root: str = ""
) -> DataRequest:
    """Send the request to the unit that answers it; the analysis starts."""
    if unit.municipality_id != data_request.municipality_id:
        raise PermissionDenied("A unidade não pertence a este município.")
    _require_handler(actor, data_request)
    _require_awaiting(data_request)
    if actor is not None and not has_role(actor, data_request.municipality, Role.DATA_EDITOR, unit):
        raise PermissionDenied("Você não pode encaminhar pedidos para esta unidade.")
    before = _snap(data_request)
    data_request.unit = unit
    first = data_request.status == Status.RECEIVED
    if first:
        data_request.status = Status.IN_ANALYSIS
        data_request.analysis_started_at = timezone.now()
    if data_request.assigned_to is not None and not has_role(
        data_request.assigned_to, data_request.municipality, Role.DATA_EDITOR, unit
    ):
        data_request.assigned_to = None  # the new unit's servants pick it up
    notice = "in_analysis" if first else "reassigned"
    _save_and_record(actor, "assign", data_request, before, notice=notice, root=root)
    notifications.notify_new_item(data_request.municipality, item_for(data_request), actor=actor)
    return data_request


@transaction.atomic
def assign_servant(
    actor: User | None, data_request: DataRequest, servant: User | None
) -> DataRequest:
    """Make ``servant`` responsible for the request (``None``: nobody in particular).

    Whoever handles the request may assign it to a data editor of its unit; the
    servant is told (:func:`paco.notifications.actions.notify_assigned`).
    """
    _require_handler(actor, data_request)
    if data_request.status not in (*AWAITING_ANSWER, Status.APPEALED):
        raise ValidationError("Este pedido não está em aberto.")
    town = data_request.municipality
    if servant is not None:
        if data_request.unit is None:
            raise ValidationError("Encaminhe o pedido a uma unidade antes de atribuí-lo.")
        if not has_role(servant, town, Role.DATA_EDITOR, data_request.unit):
            raise ValidationError(
                "Só um editor de dados da unidade responsável pode receber o pedido."
            )
    before = _snap(data_request)
    data_request.assigned_to = servant
    data_request.save(update_fields=["assigned_to", "modified_at"])
    record(
        actor, "datarequest.assign_servant", data_request, changes=diff(before, _snap(data_request))
    )
    if servant is not None:
        notifications.notify_assigned(
            town, item_for(data_request), actor=actor, at=data_request.modified_at
        )
    return data_request


@transaction.atomic
def extend_deadline(
    actor: User | None, data_request: DataRequest, reason: str, *, root: str = ""
) -> DataRequest:
    """Extend the answer deadline once, by 10 days, with a justification, before it ends."""
    _require_handler(actor, data_request)
    _require_awaiting(data_request)
    if data_request.extended_at is not None:
        raise ValidationError("O prazo deste pedido já foi prorrogado uma vez.")
    if not reason.strip():
        raise ValidationError("Informe a justificativa da prorrogação.")
    if today_local() > data_request.due_date:
        raise ValidationError("O prazo já venceu: a prorrogação deve ser feita antes.")
    before = _snap(data_request)
    data_request.extended_at = timezone.now()
    data_request.extension_reason = reason.strip()
    data_request.due_date = deadlines.answer_due(
        deadlines.local_date(data_request.received_at),
        extended=True,
        town=data_request.municipality,
    )
    return _save_and_record(actor, "extend", data_request, before, notice="extended", root=root)


@transaction.atomic
def answer_request(
    actor: User | None,
    data_request: DataRequest,
    *,
    outcome: str,
    text: str,
    dataset: Dataset | None = None,
    root: str = "",
) -> DataRequest:
    """Answer: granted (linked to the dataset that fulfils it), partly granted, or denied.

    A request is answered once the *published* dataset is linked to it: linking a
    draft keeps the request in analysis, and it is answered automatically when the
    dataset is published (:func:`answer_on_publication`).
    """
    _require_handler(actor, data_request)
    _require_awaiting(data_request)
    if outcome not in Outcome.values:
        raise ValidationError("Resultado inválido.")
    if not text.strip():
        raise ValidationError("Escreva a resposta (no caso de negativa, os motivos).")
    if outcome == Outcome.GRANTED and dataset is None:
        raise ValidationError("Para atender o pedido, indique o conjunto de dados publicado.")
    if outcome == Outcome.DENIED and dataset is not None:
        raise ValidationError("Uma negativa não tem conjunto de dados vinculado.")
    if dataset is not None and dataset.municipality_id != data_request.municipality_id:
        raise PermissionDenied("O conjunto não pertence a este município.")
    before = _snap(data_request)
    data_request.outcome = outcome
    data_request.dataset = dataset
    data_request.answered_by = actor
    if dataset is not None and not dataset.is_published:
        data_request.pending_answer = text.strip()
        data_request.save()
        record(
            actor, "datarequest.link_draft", data_request, changes=diff(before, _snap(data_request))
        )
        return data_request
    _finish_answer(data_request, text.strip())
    return _save_and_record(actor, "answer", data_request, before, notice="answered", root=root)


def _finish_answer(data_request: DataRequest, text: str) -> None:
    now = timezone.now()
    data_request.answer = text
    data_request.pending_answer = ""
    data_request.answered_at = now
    data_request.status = Status.ANSWERED
    data_request.appeal_until = deadlines.appeal_deadline(
        deadlines.local_date(now), town=data_request.municipality
    )


def answer_on_publication(dataset: Dataset) -> int:
    """Answer the requests waiting for ``dataset`` to be published; returns how many."""
    if not dataset.is_published:
        return 0
    waiting = (
        DataRequest.objects.for_municipality(dataset.municipality)
        .filter(dataset=dataset, status__in=AWAITING_ANSWER)
        .exclude(pending_answer="")
        .values_list("pk", flat=True)
    )
    done = 0
    for pk in list(waiting):
        with transaction.atomic():
            data_request = DataRequest.objects.select_for_update(of=("self",)).get(pk=pk)
            if data_request.status not in AWAITING_ANSWER or not data_request.pending_answer:
                continue
            before = _snap(data_request)
            _finish_answer(data_request, data_request.pending_answer)
            _save_and_record(None, "answer", data_request, before, notice="answered", root="")
            done += 1
    return done


@transaction.atomic
def file_appeal(data_request: DataRequest, text: str, *, root: str = "") -> DataRequest:
    """The requester (holding the tracking link) appeals within 10 days of the answer."""
    data_request = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if not data_request.can_appeal(today_local()):
        raise ValidationError("Não é possível recorrer: o prazo acabou ou já houve recurso.")
    if not text.strip():
        raise ValidationError("Escreva as razões do recurso.")
    before = _snap(data_request)
    now = timezone.now()
    data_request.appealed_at = now
    data_request.appeal_text = text.strip()
    data_request.appeal_due = deadlines.appeal_answer_due(
        deadlines.local_date(now), town=data_request.municipality
    )
    data_request.status = Status.APPEALED
    _save_and_record(None, "appeal", data_request, before, notice="appealed", root=root)
    # a new task for the unit's queue: deciding the appeal
    notifications.notify_new_item(
        data_request.municipality, item_for(data_request), event=f"appeal-{now.isoformat()}"
    )
    return data_request


@transaction.atomic
def decide_appeal(
    actor: User | None,
    data_request: DataRequest,
    *,
    outcome: str,
    decision: str,
    root: str = "",
) -> DataRequest:
    """The higher authority decides. Upheld: back to the unit with a new 20-day term."""
    if actor is not None and not can_decide_appeal(actor, data_request):
        raise PermissionDenied(
            "O recurso é decidido pela autoridade superior (administrador do município ou "
            "editor de dados da unidade superior), e não por quem assinou a resposta."
        )
    if data_request.status != Status.APPEALED:
        raise ValidationError("Este pedido não tem recurso aguardando decisão.")
    if outcome not in AppealOutcome.values:
        raise ValidationError("Decisão inválida.")
    if not decision.strip():
        raise ValidationError("Fundamente a decisão do recurso.")
    before = _snap(data_request)
    now = timezone.now()
    data_request.appeal_decided_at = now
    data_request.appeal_outcome = outcome
    data_request.appeal_decision = decision.strip()
    if outcome == AppealOutcome.UPHELD:
        data_request.status = Status.IN_ANALYSIS
        data_request.due_date = deadlines.answer_due(
            deadlines.local_date(now), town=data_request.municipality
        )
    else:
        data_request.status = Status.APPEAL_DECIDED
    return _save_and_record(
        actor, "appeal_decision", data_request, before, notice="appeal_decided", root=root
    )


@transaction.atomic
def reveal_identity(actor: User, data_request: DataRequest, reason: str) -> dict[str, str]:
    """The administrator sees a hidden identity, when needed, with the reason audited."""
    if not can_reveal_identity(actor, data_request.municipality):
        raise PermissionDenied("Só o administrador do município pode ver a identidade.")
    if not reason.strip():
        raise ValidationError("Informe por que é preciso ver a identidade.")
    record(actor, "datarequest.reveal_identity", data_request, changes={"reason": reason.strip()})
    return {
        "name": data_request.requester_name,
        "email": data_request.requester_email,
        "phone": data_request.requester_phone,
    }


def _text_field(field: str) -> str:
    if field not in DataRequest.PUBLIC_TEXT_FIELDS:
        raise ValidationError("Campo de texto desconhecido.")
    return field


@transaction.atomic
def redact_passage(
    actor: User | None, data_request: DataRequest, *, field: str, passage: str
) -> DataRequest:
    """Hide a passage of a published text from the public (it becomes “[trecho ocultado]”).

    The stored text does not change: staff and the requester keep reading it as
    written; every public surface applies the redaction (``paco.core.publictext``).
    The audit entry says which text and how many characters, never the passage.
    """
    _require_handler(actor, data_request)
    field = _text_field(field)
    passage = passage.strip()
    if not passage:
        raise ValidationError("Informe o trecho a ocultar.")
    if passage not in str(getattr(data_request, field) or ""):
        raise ValidationError(
            "O trecho não foi encontrado no texto: copie-o exatamente como aparece."
        )
    redactions = _locked_redactions(data_request)
    passages = [str(p) for p in redactions.get(field) or []]
    if passage not in passages:
        passages.append(passage)
    redactions[field] = passages
    return _save_redactions(actor, data_request, redactions, field, "datarequest.redact", passage)


@transaction.atomic
def unredact_passage(
    actor: User | None, data_request: DataRequest, *, field: str, index: int
) -> DataRequest:
    """Publish again a passage hidden by :func:`redact_passage` (personal data stays masked)."""
    _require_handler(actor, data_request)
    field = _text_field(field)
    redactions = _locked_redactions(data_request)
    passages = [str(p) for p in redactions.get(field) or []]
    if not 0 <= index < len(passages):
        raise ValidationError("Trecho ocultado não encontrado.")
    removed = passages.pop(index)
    redactions[field] = passages
    return _save_redactions(actor, data_request, redactions, field, "datarequest.unredact", removed)


def _locked_redactions(data_request: DataRequest) -> dict[str, Any]:
    """The stored hidden passages, read under a row lock (two redactions never race)."""
    locked = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    return dict(locked.redactions or {})


def _save_redactions(
    actor: User | None,
    data_request: DataRequest,
    redactions: dict[str, Any],
    field: str,
    action: str,
    passage: str,
) -> DataRequest:
    """Store the hidden passages; the audit entry counts characters, never the text."""
    data_request.redactions = redactions
    data_request.save(update_fields=["redactions", "modified_at"])
    changes = {
        "field": field,
        "characters": len(passage),
        "hidden_passages": len(redactions[field]),
    }
    record(actor, action, data_request, changes=changes)
    return data_request
