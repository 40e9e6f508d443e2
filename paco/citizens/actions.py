"""Every write about citizens: accounts, gov.br login, views of their data, deletion requests.

Each function runs in one transaction, checks who may act, records an audit entry
(labels in ``paco.audit.labels``) and sends e-mail only after commit. Audit entries
and logs never hold a CPF or an e-mail in clear: :mod:`paco.citizens.cpf` masks them.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from paco.accounts import actions as account_actions
from paco.accounts.models import Role, User
from paco.accounts.permissions import require_role
from paco.audit.services import record
from paco.citizens import cpf as cpfs
from paco.citizens import notices
from paco.citizens.models import (
    Channel,
    CitizenProfile,
    DeletionRequest,
    DeletionStatus,
    Level,
    PersonalDataView,
)
from paco.tenancy.models import Municipality

logger = logging.getLogger(__name__)


def profile_of(user: Any) -> CitizenProfile | None:
    """The citizen profile of ``user``, or ``None`` (anonymous, staff without one)."""
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    try:
        return user.citizen_profile
    except CitizenProfile.DoesNotExist:
        return None


def _new_username() -> str:
    return f"cidadao-{secrets.token_hex(6)}"


def citizen_by_email(email: str) -> User | None:
    return (
        User.objects.filter(email__iexact=email.strip(), citizen_profile__isnull=False)
        .order_by("pk")
        .first()
    )


# --- sign up ---------------------------------------------------------------------------------
@transaction.atomic
def sign_up(
    municipality: Municipality | None,
    *,
    name: str,
    email: str,
    password: str,
    cpf: str = "",
    phone: str = "",
    channel: str = Channel.EMAIL,
    root: str,
) -> User | None:
    """Create an account whose e-mail is confirmed by a signed link (sent after commit).

    The caller answers the same whatever happens here, so nobody learns which e-mails
    or CPFs have an account: when the e-mail or the CPF is taken, no account is made
    and the typed address receives a message saying so instead of the link.
    ``root`` is ``scheme://host`` of the site the links point to.
    """
    email = email.strip()
    number = cpfs.normalize(cpf)
    existing = citizen_by_email(email)
    if existing is not None:
        notices.account_exists(email, root)
        return None
    if number and CitizenProfile.objects.filter(cpf=number).exists():
        notices.cpf_taken(email, root)
        return None
    user = User(username=_new_username(), email=email, first_name=name.strip()[:150])
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    try:
        with transaction.atomic():
            user.save()
            profile = CitizenProfile.objects.create(
                user=user,
                cpf=number,
                phone=phone.strip(),
                preferred_channel=channel,
                created_in=municipality,
            )
    except IntegrityError:  # the same CPF, submitted at the same moment
        notices.cpf_taken(email, root)
        return None
    record(
        user,
        "citizen.signup",
        profile,
        municipality=municipality,
        changes={
            "email": [None, cpfs.masked_email(email)],
            "cpf": [None, cpfs.masked(number) or None],
            "canal": [None, channel],
        },
    )
    notices.verify_email(user.pk, root)
    return user


@transaction.atomic
def verify_email(user: User, *, email: str, municipality: Municipality | None) -> bool:
    """Confirm ``email`` for ``user`` (the signed link proved it); whether it was new."""
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    if user.email.lower() != email.lower():
        raise ValidationError("Este link é de um e-mail que não é mais o da sua conta.")
    if profile.email_verified_at is not None:
        return False
    profile.email_verified_at = timezone.now()
    profile.save(update_fields=["email_verified_at"])
    record(
        user,
        "citizen.verify_email",
        profile,
        municipality=municipality,
        changes={"email_verificado": [False, True]},
    )
    return True


def resend_verification(user: User, root: str) -> None:
    """Send the link again (a signed-in citizen whose e-mail is not confirmed yet)."""
    profile = profile_of(user)
    if profile is not None and not profile.email_verified and user.email:
        notices.verify_email(user.pk, root)


# --- the citizen's own account ---------------------------------------------------------------
@transaction.atomic
def update_contact(
    actor: User | None,
    user: User,
    *,
    phone: str,
    channel: str,
    municipality: Municipality | None,
) -> CitizenProfile:
    """Change the phone and the preferred channel: only the citizen themself."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("Só o próprio cidadão pode alterar os dados da sua conta.")
    profile = CitizenProfile.objects.select_for_update().get(user=user)
    if channel not in Channel.values:
        raise ValidationError("Escolha como prefere receber os avisos.")
    before = {"telefone": bool(profile.phone), "canal": profile.preferred_channel}
    profile.phone = phone.strip()
    profile.preferred_channel = channel
    profile.save(update_fields=["phone", "preferred_channel"])
    after = {"telefone": bool(profile.phone), "canal": profile.preferred_channel}
    changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if profile.phone and before["telefone"]:
        changes.setdefault("telefone", ["(alterado)", "(alterado)"])
    record(actor, "citizen.update", profile, municipality=municipality, changes=changes)
    return profile


@transaction.atomic
def reset_password(user: User, password: str, *, municipality: Municipality | None) -> None:
    """A new password from an e-mailed link: that link also proves the e-mail."""
    account_actions.change_password(user, user, password, municipality=municipality, via="reset")
    profile = CitizenProfile.objects.select_for_update().filter(user=user).first()
    if profile is not None and profile.email_verified_at is None:
        profile.email_verified_at = timezone.now()
        profile.save(update_fields=["email_verified_at"])
        record(
            user,
            "citizen.verify_email",
            profile,
            municipality=municipality,
            changes={"email_verificado": [False, True]},
        )


# --- gov.br ----------------------------------------------------------------------------------
_LEVELS = {
    "bronze": Level.BRONZE,
    "1": Level.BRONZE,
    "prata": Level.PRATA,
    "silver": Level.PRATA,
    "2": Level.PRATA,
    "ouro": Level.OURO,
    "gold": Level.OURO,
    "3": Level.OURO,
}


def level_from_claims(claims: dict[str, Any]) -> str:
    """``reliability_info.level`` as bronze/prata/ouro (gov.br spells them in English)."""
    info = claims.get("reliability_info")
    raw = info.get("level") if isinstance(info, dict) else None
    return _LEVELS.get(str(raw or "").strip().lower(), "")


class GovBrRefused(Exception):
    """The gov.br answer cannot open or link an account; the message is for the citizen."""


@dataclass
class GovBrResult:
    user: User
    created: bool
    linked: bool


@transaction.atomic
def govbr_login(
    municipality: Municipality | None,
    *,
    claims: dict[str, Any],
    current: User | None = None,
) -> GovBrResult:
    """Open (or link) the account of the person gov.br vouched for; keep their level.

    ``sub`` is the CPF. The account is found by that CPF; a CPF someone typed at
    sign-up only, never confirmed, is not trusted to hand over its account: it is
    linked when that account's confirmed e-mail is the one gov.br gives, otherwise
    the CPF is released from it (gov.br proves whose it is) and a new account is
    made. A signed-in citizen who uses gov.br links it to their own account.
    """
    number = cpfs.digits(str(claims.get("sub", "")))
    if not number or cpfs.normalize(number) != number:
        raise GovBrRefused("O gov.br não informou um CPF válido.")
    level = level_from_claims(claims)
    email = str(claims.get("email") or "").strip()
    name = str(claims.get("name") or claims.get("social_name") or "").strip()
    holder = CitizenProfile.objects.select_for_update().filter(cpf=number).first()
    own = profile_of(current) if current is not None else None
    created = linked = False
    if own is not None:
        if holder is not None and holder.pk != own.pk:
            raise GovBrRefused(
                "Este CPF já está ligado a outra conta. Saia e entre com o gov.br para usá-la."
            )
        if own.cpf and own.cpf != number:
            raise GovBrRefused("A sua conta tem outro CPF; o gov.br informou um CPF diferente.")
        profile, linked = own, own.cpf_verified_at is None
    elif holder is not None and (holder.cpf_verified_at or _same_confirmed_email(holder, email)):
        profile, linked = holder, holder.cpf_verified_at is None
    else:
        if holder is not None:
            _release_cpf(holder, municipality)
        same_email = _by_confirmed_email_without_cpf(email)
        if same_email is not None:
            profile, linked = same_email, True
        else:
            profile, created = _create_from_govbr(municipality, number, email, name), True
    profile = CitizenProfile.objects.select_for_update().get(pk=profile.pk)
    before_level = profile.govbr_level
    now = timezone.now()
    profile.cpf = number
    profile.cpf_verified_at = profile.cpf_verified_at or now
    profile.govbr_level = level
    profile.govbr_level_seen_at = now
    profile.save(update_fields=["cpf", "cpf_verified_at", "govbr_level", "govbr_level_seen_at"])
    user = profile.user
    changes: dict[str, Any] = {"nivel": [before_level or None, level or None]}
    if linked:
        changes["cpf"] = [None, cpfs.masked(number)]
    action = (
        "citizen.govbr_create"
        if created
        else ("citizen.govbr_link" if linked else "citizen.govbr_login")
    )
    record(user, action, profile, municipality=municipality, changes=changes)
    return GovBrResult(user=user, created=created, linked=linked)


def _same_confirmed_email(profile: CitizenProfile, email: str) -> bool:
    user = profile.user
    return bool(email) and profile.email_verified and user.email.lower() == email.lower()


def _by_confirmed_email_without_cpf(email: str) -> CitizenProfile | None:
    if not email:
        return None
    return (
        CitizenProfile.objects.select_for_update()
        .filter(user__email__iexact=email, cpf="", email_verified_at__isnull=False)
        .order_by("pk")
        .first()
    )


def _release_cpf(holder: CitizenProfile, municipality: Municipality | None) -> None:
    number = holder.cpf
    holder.cpf = ""
    holder.save(update_fields=["cpf"])
    record(
        None,
        "citizen.cpf_released",
        holder,
        municipality=municipality,
        changes={"cpf": [cpfs.masked(number), None]},
    )


def _create_from_govbr(
    municipality: Municipality | None, number: str, email: str, name: str
) -> CitizenProfile:
    taken = bool(email) and User.objects.filter(email__iexact=email).exists()
    user = User(
        username=_new_username(),
        email="" if taken else email,
        first_name=name[:150],
    )
    user.set_unusable_password()
    user.save()
    return CitizenProfile.objects.create(
        user=user,
        cpf=number,
        created_in=municipality,
        # gov.br confirmed the address it gives (an account there requires it)
        email_verified_at=timezone.now() if user.email else None,
    )


# --- who viewed the citizen's data -----------------------------------------------------------
def record_personal_data_view(
    *, municipality: Municipality, viewer: Any, citizen: Any, context: str
) -> PersonalDataView | None:
    """Log that staff member ``viewer`` saw ``citizen``'s data (shown in "Meus dados").

    Call it on every staff view of a citizen's case: ``context`` says what was seen
    ("Solicitação 23037.001462/2021-65"), in pt-BR, without personal data. A citizen
    looking at their own data, or an anonymous viewer, is not logged. This access log
    is itself the record (append-only rows, no audit entry per view: see
    docs/decisions.md, "Citizens' identity").
    """
    if not isinstance(citizen, User) or not isinstance(viewer, User):
        return None
    if not viewer.is_authenticated or viewer.pk == citizen.pk:
        return None
    return PersonalDataView.objects.create(
        municipality=municipality,
        citizen=citizen,
        viewer=viewer,
        viewer_name=(viewer.get_full_name() or viewer.get_username())[:200],
        context=" ".join(context.split())[:200],
    )


# --- deletion requests -----------------------------------------------------------------------
@transaction.atomic
def request_deletion(
    actor: User, municipality: Municipality, *, reason: str = ""
) -> DeletionRequest:
    """The citizen asks this town to delete their personal data (one open request at a time)."""
    if profile_of(actor) is None:
        raise PermissionDenied("Só cidadãos com conta podem pedir a exclusão dos seus dados.")
    pending = DeletionRequest.objects.for_municipality(municipality).pending()
    if pending.filter(citizen=actor).exists():
        raise ValidationError("Você já tem um pedido de exclusão aguardando a prefeitura.")
    deletion = DeletionRequest.objects.create(
        municipality=municipality,
        citizen=actor,
        citizen_name=(actor.get_full_name() or "Cidadão")[:200],
        reason=reason.strip(),
    )
    record(actor, "citizen.deletion_request", deletion, municipality=municipality)
    return deletion


@transaction.atomic
def resolve_deletion_request(
    actor: User | None, deletion: DeletionRequest, *, outcome: str, answer: str
) -> DeletionRequest:
    """The town administrator answers a deletion request.

    ``outcome`` "done" erases the account's personal data (name, e-mail, CPF, phone,
    password; the account is closed) and whatever other apps registered
    (``paco.citizens.mydata``); "refused" keeps them, with the legal reason in
    ``answer`` (LGPD art. 16: records the town must keep). The citizen is told by e-mail.
    """
    municipality = deletion.municipality
    if actor is not None:
        require_role(actor, municipality, Role.ADMIN)
    deletion = DeletionRequest.objects.select_for_update().get(pk=deletion.pk)
    if deletion.status != DeletionStatus.PENDING:
        raise ValidationError("Este pedido já foi tratado.")
    if outcome not in (DeletionStatus.DONE, DeletionStatus.REFUSED):
        raise ValidationError("Escolha se o pedido foi atendido ou não.")
    if not answer.strip():
        raise ValidationError(
            {"answer": "Escreva a resposta ao cidadão (o que foi feito e por quê)."}
        )
    citizen = deletion.citizen
    email = citizen.email if citizen is not None else ""
    deletion.status = outcome
    deletion.answer = answer.strip()
    deletion.handled_by = actor
    deletion.handled_at = timezone.now()
    deletion.save(update_fields=["status", "answer", "handled_by", "handled_at"])
    record(
        actor,
        "citizen.deletion_resolve",
        deletion,
        municipality=municipality,
        changes={"status": [DeletionStatus.PENDING.value, outcome]},
    )
    if outcome == DeletionStatus.DONE and citizen is not None:
        _erase(actor, citizen, municipality)
    if email:
        notices.deletion_answered(email, deletion.get_status_display(), deletion.answer)
    return deletion


def _erase(actor: User | None, citizen: User, municipality: Municipality) -> None:
    from paco.citizens import mydata

    for erase in mydata.erasers():
        erase(citizen, municipality)
    profile = CitizenProfile.objects.select_for_update().filter(user=citizen).first()
    if profile is not None:
        profile.cpf = profile.phone = profile.govbr_level = ""
        profile.cpf_verified_at = profile.email_verified_at = profile.govbr_level_seen_at = None
        profile.save()
    citizen.first_name, citizen.last_name, citizen.email = "Conta excluída", "", ""
    citizen.is_active = False
    citizen.set_unusable_password()
    citizen.save(update_fields=["first_name", "last_name", "email", "is_active", "password"])
    record(
        actor,
        "citizen.erase",
        profile or citizen,
        municipality=municipality,
        changes={"dados_pessoais": ["(mantidos)", "(excluídos)"]},
    )


__all__ = [
    "GovBrRefused",
    "GovBrResult",
    "govbr_login",
    "profile_of",
    "record_personal_data_view",
    "request_deletion",
    "reset_password",
    "resolve_deletion_request",
    "sign_up",
    "update_contact",
    "verify_email",
]
