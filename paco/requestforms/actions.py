"""Every write of online service requests: forms (staff), drafts and submissions (citizens), slots.

A submission does not create a case itself: it calls
:func:`paco.atendimento.actions.open_case` (NUP, deadline, first event, audit) and,
in the same transaction, stores the files as the case's attachments and books the
slot. Drafts are the citizen's own unsent scratchpad: saved on every POST, not
audited (see docs/decisions.md), deleted when the case is opened.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.forms import BaseInlineFormSet
from django.utils import timezone

from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.atendimento.actions import Opened, Requester, open_case
from paco.atendimento.models import Attachment, Kind
from paco.audit.services import record
from paco.catalog.models import Service
from paco.requestforms import files as filecheck
from paco.requestforms.models import (
    Booking,
    DocumentRequirement,
    Draft,
    DraftFile,
    ServiceForm,
    Slot,
)
from paco.tenancy.models import Municipality, Unit

#: words in a document's name that say the town itself issues it (a staff member confirms)
TOWN_ISSUED_HINTS = (
    "municipa",
    "prefeitura",
    "alvará",
    "habite-se",
    "inscrição imobiliária",
    "carnê do iptu",
)


# --- staff: the form ----------------------------------------------------------------
def _require_editor(actor: User | None, service: Service) -> None:
    """``None`` is the system itself (the demo loader, the CLI), as in the catalog's actions."""
    if actor is not None:
        require_role(actor, service.municipality, Role.CATALOG_EDITOR, service.unit)


def town_issues(service: Service, name: str) -> bool:
    """A first guess of whether the town issues the document ``name`` (staff confirm it).

    True when the name matches one of the town's own Carta services (“Alvará de
    construção”, “Certidão negativa de débitos municipais”) or carries a word that
    only the town's documents carry.
    """
    lowered = name.casefold()
    if any(hint in lowered for hint in TOWN_ISSUED_HINTS):
        return True
    own = Service.objects.for_municipality(service.municipality).values_list("name", flat=True)
    return any(lowered.startswith(str(n).casefold()) for n in own if len(str(n)) > 5)


def carta_documents(service: Service) -> list[str]:
    """Every document the service's steps list, in step order, without repeats."""
    seen: list[str] = []
    for step in service.steps.all():
        for name in step.document_list():
            if name[:200] not in seen:
                seen.append(name[:200])
    return seen


def _sync_documents(form: ServiceForm) -> None:
    """The form's document rows follow the Carta: new lines added, gone lines removed."""
    names = carta_documents(form.service)
    existing = {d.name: d for d in form.documents.all()}
    for position, name in enumerate(names, start=1):
        doc = existing.pop(name, None)
        if doc is None:
            issued = town_issues(form.service, name)
            DocumentRequirement.objects.create(
                form=form, position=position, name=name, issued_by_town=issued
            )
        elif doc.position != position:
            doc.position = position
            doc.save(update_fields=["position"])
    for gone in existing.values():
        gone.delete()


def create_form(actor: User | None, service: Service) -> ServiceForm:
    """Give ``service`` an online form (off until staff enable it), its documents from the Carta."""
    _require_editor(actor, service)
    with transaction.atomic():
        form, created = ServiceForm.objects.get_or_create(
            service=service, defaults={"municipality": service.municipality}
        )
        _sync_documents(form)
        if created:
            record(actor, "requestform.create", form)
    return form


def save_form(
    actor: User | None,
    form: ServiceForm,
    *,
    questions: BaseInlineFormSet[Any, Any, Any] | None = None,
    documents: BaseInlineFormSet[Any, Any, Any] | None = None,
) -> ServiceForm:
    """Save the form's settings (``form`` as edited) and, when given, its two lists."""
    _require_editor(actor, form.service)
    with transaction.atomic():
        before = ServiceForm.objects.get(pk=form.pk)
        form.save()
        changes: dict[str, Any] = {}
        for name in ("enabled", "requires_location", "appointments", "min_govbr_level"):
            if getattr(before, name) != getattr(form, name):
                changes[name] = [getattr(before, name), getattr(form, name)]
        if questions is not None:
            questions.save()
            if questions.has_changed():
                changes["fields"] = [None, form.fields.count()]
        if documents is not None:
            documents.save()
            if documents.has_changed():
                changes["documents"] = [None, form.documents.filter(required=True).count()]
        _sync_documents(form)
        record(actor, "requestform.update", form, changes=changes)
    return form


# --- citizens: drafts ---------------------------------------------------------------
def new_draft_key() -> str:
    return secrets.token_urlsafe(24)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def find_draft(service: Service, *, user: User | None, key: str | None) -> Draft | None:
    """The draft of this person for this service: their account's, or the anonymous key's.

    An anonymous draft found by key while signed in is adopted by the account (the
    session expired, the person signed in again, the form was posted).
    """
    drafts = Draft.objects.for_municipality(service.municipality).filter(service=service)
    if user is not None:
        own = drafts.filter(owner=user).order_by("-updated_at").first()
        if own is not None:
            return own
    if key:
        found = drafts.filter(key_hash=key_hash(key), owner=None).first()
        if found is not None and user is not None:
            found.owner = user
            found.key_hash = ""
            found.save(update_fields=["owner", "key_hash"])
        return found
    return None


def save_draft(
    service: Service,
    *,
    user: User | None,
    key: str | None,
    data: dict[str, str],
    accepted: dict[str, tuple[Any, filecheck.Checked]],
) -> Draft:
    """Keep what was typed and every file that passed the checks (the person's own, not audited)."""
    with transaction.atomic():
        draft = find_draft(service, user=user, key=key)
        if draft is None:
            draft = Draft(municipality=service.municipality, service=service)
            if user is not None:
                draft.owner = user
            else:
                if not key:
                    raise ValueError("an anonymous draft needs its key")
                draft.key_hash = key_hash(key)
        draft.data = data
        draft.save()
        for name, (upload, checked) in accepted.items():
            DraftFile.objects.filter(draft=draft, key=name).delete()
            kept = DraftFile(
                municipality=draft.municipality,
                draft=draft,
                key=name,
                name=(upload.name or "arquivo")[-200:],
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
            upload.seek(0)
            kept.file.save(checked.sha256, File(upload), save=False)
            kept.save()
    return draft


def discard_draft(draft: Draft) -> None:
    paths = [(f.file.storage, f.file.name) for f in draft.files.all()]
    draft.delete()

    def remove() -> None:
        for storage, name in paths:
            if name:
                storage.delete(name)

    transaction.on_commit(remove)


# --- citizens: the submission ------------------------------------------------------------
class SlotFull(Exception):
    """The chosen time filled up between the page and the submission."""


@dataclass
class Submission:
    """What the form produced, in the shape :func:`submit` takes."""

    description: str
    requester: Requester
    answers: list[dict[str, str]] = field(default_factory=list)
    #: (document or question label, draft file | attachment to reuse)
    files: list[tuple[str, DraftFile | Attachment]] = field(default_factory=list)
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    slot: Slot | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def book(slot: Slot, case: Any) -> Booking:
    """Take one place in ``slot`` for ``case``: one conditional UPDATE, so capacity holds."""
    taken = Slot.objects.filter(pk=slot.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise SlotFull("Este horário acabou de ser preenchido. Escolha outro.")
    return Booking.objects.create(municipality=case.municipality, slot=slot, case=case)


def _copy_file(
    case: Any, label: str, source: DraftFile | Attachment, user: User | None
) -> Attachment:
    if isinstance(source, Attachment) and (
        source.municipality_id != case.municipality_id
        or user is None
        or source.case.citizen_id != user.pk
    ):
        raise PermissionDenied("Este arquivo não é seu.")
    attachment = Attachment(
        municipality=case.municipality,
        case=case,
        name=source.name,
        content_type=source.content_type,
        size=source.size,
        sha256=source.sha256,
        uploaded_by=user,
    )
    with source.file.open("rb") as fh:
        attachment.file.save(source.sha256, ContentFile(fh.read()), save=False)
    attachment.save()
    return attachment


def submit(
    form: ServiceForm,
    submission: Submission,
    *,
    user: User | None,
    draft: Draft | None = None,
    channel_actor: User | None = None,
    submitted_at: datetime.datetime | None = None,
) -> Opened:
    """Open the case of a filled form: :func:`open_case`, its files and slot, one transaction."""
    service = form.service
    if not form.enabled or service.status != "published":
        raise PermissionDenied("Este serviço não recebe pedidos pela internet.")
    documents: list[dict[str, str]] = []
    with transaction.atomic():
        opened = open_case(
            service.municipality,
            kind=Kind.SERVICE,
            subject=service.name[:200],
            description=submission.description,
            requester=submission.requester,
            service=service,
            form_data={"respostas": submission.answers, **submission.extra},
            address=submission.address,
            latitude=submission.latitude,
            longitude=submission.longitude,
            submitted_at=submitted_at,
        )
        case = opened.case
        for label, source in submission.files:
            attachment = _copy_file(case, label, source, user)
            documents.append(
                {"documento": label, "arquivo": attachment.name, "sha256": attachment.sha256}
            )
        if submission.slot is not None:
            booking = book(submission.slot, case)
            case.form_data["agendamento"] = booking.slot.starts_at.isoformat()
        if documents or submission.slot is not None:
            case.form_data["documentos"] = documents
            case.save(update_fields=["form_data"])
        record(
            user,
            "requestform.submit",
            case,
            changes={"files": [None, len(documents)], "slot": [None, bool(submission.slot)]},
        )
        if draft is not None:
            discard_draft(draft)
    return opened


def reusable_documents(user: User | None, town: Municipality) -> dict[str, list[Attachment]]:
    """The citizen's own earlier files, by the document name they were sent as (newest first)."""
    if user is None:
        return {}
    found: dict[str, list[Attachment]] = {}
    attachments = (
        Attachment.objects.for_municipality(town)
        .filter(case__citizen=user, public=True)
        .select_related("case")
        .order_by("-created_at")[:100]
    )
    by_digest = {(a.case_id, a.sha256): a for a in attachments}
    cases = {a.case for a in attachments}
    for case in cases:
        for doc in (case.form_data or {}).get("documentos", []):
            attachment = by_digest.get((case.pk, doc.get("sha256")))
            if attachment is not None:
                found.setdefault(doc.get("documento", ""), []).append(attachment)
    return found


# --- staff: slots ---------------------------------------------------------------------------
def create_slots(
    actor: User | None,
    unit: Unit,
    *,
    first_day: datetime.date,
    last_day: datetime.date,
    weekdays: list[int],
    times: list[datetime.time],
    capacity: int,
) -> int:
    """Open a slot at each of ``times`` on each of ``weekdays`` between two days (once each)."""
    if actor is not None:
        require_role(actor, unit.municipality, Role.CATALOG_EDITOR, unit)
    if last_day < first_day:
        raise ValidationError({"last_day": "O último dia vem antes do primeiro."})
    if (last_day - first_day).days > 92:
        raise ValidationError({"last_day": "Abra no máximo três meses de horários de uma vez."})
    created = 0
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        day = first_day
        while day <= last_day:
            if day.weekday() in weekdays:
                for at in times:
                    starts = datetime.datetime.combine(day, at, tzinfo=tz)
                    try:
                        with transaction.atomic():
                            Slot.objects.create(
                                municipality=unit.municipality,
                                unit=unit,
                                starts_at=starts,
                                capacity=capacity,
                            )
                    except IntegrityError:
                        continue
                    created += 1
            day += datetime.timedelta(days=1)
        record(actor, "slot.create", unit, changes={"slots": [None, created]})
    return created
