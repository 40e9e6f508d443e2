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

from paco.accounts.models import User
from paco.atendimento.models import (
    Case,
    CaseEvent,
    Channel,
    IdentityMode,
    Kind,
    OmbudsmanType,
)
from paco.atendimento.policies import policy_for
from paco.audit.services import record
from paco.catalog.models import Service
from paco.deadlines import clock
from paco.protocol.numbering import allocate
from paco.tenancy.models import Municipality, Unit


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
) -> Opened:
    """Receive a case: NUP, effective receipt day, deadline, first timeline event, audit.

    ``actor`` is the servant recording a walk-in, phone or letter submission
    (``channel`` says which); ``None`` when the citizen submits it themselves.
    """
    if channel != Channel.INTERNET and actor is None:
        raise PermissionDenied(
            "Só um servidor registra atendimentos presenciais, por telefone ou carta."
        )
    _check_identity(kind, identity_mode, requester)
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
        CaseEvent.objects.create(
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
    return Opened(case, code)
