"""Writes to staff users and their roles."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from paco.accounts import otp
from paco.accounts.models import Role, StaffMembership, User
from paco.accounts.permissions import has_role, require_role
from paco.audit.services import diff, record
from paco.core.mail import send_mail_on_commit
from paco.tenancy.models import Municipality, Unit


@transaction.atomic
def create_staff_user(
    actor: User | None,
    municipality: Municipality,
    *,
    username: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a staff user of ``municipality``; the password must pass the strength rules."""
    if actor is not None:
        require_role(actor, municipality, Role.ADMIN)
    user = User(username=username, email=email, first_name=first_name, last_name=last_name)
    validate_password(password, user)
    user.set_password(password)
    user.is_staff = True  # lets Django's admin login form accept the user
    user.full_clean()
    user.save()
    record(
        actor,
        "user.create",
        user,
        municipality=municipality,
        changes={"username": [None, username], "email": [None, email]},
    )
    return user


@transaction.atomic
def grant_role(
    actor: User | None,
    municipality: Municipality,
    user: User,
    role: Role | str,
    unit: Unit | None = None,
) -> StaffMembership:
    if actor is not None:
        require_role(actor, municipality, Role.ADMIN)
    if unit is not None and unit.municipality_id != municipality.pk:
        raise ValueError("A unidade não pertence a este município.")
    membership, _ = StaffMembership.objects.get_or_create(
        municipality=municipality, user=user, unit=unit, role=role
    )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    record(
        actor,
        "membership.grant",
        membership,
        municipality=municipality,
        changes={"role": [None, str(role)], "unit": [None, str(unit) if unit else None]},
    )
    return membership


@transaction.atomic
def revoke_role(actor: User | None, membership: StaffMembership) -> None:
    if actor is not None:
        require_role(actor, membership.municipality, Role.ADMIN)
    record(
        actor,
        "membership.revoke",
        membership,
        municipality=membership.municipality,
        changes={"role": [membership.role, None]},
    )
    membership.delete()


# --- the staff member's own credentials ---------------------------------------
# Audit entries say *that* a secret changed, never the secret itself.
HIDDEN = "(não registrada)"


def _require_self(actor: User | None, user: User) -> None:
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied("Só o próprio servidor pode alterar as suas credenciais.")


@transaction.atomic
def change_password(
    actor: User | None,
    user: User,
    new_password: str,
    *,
    municipality: Municipality | None = None,
    via: str = "change",
) -> None:
    """Set a new password (already checked by the form); ``via`` is "change" or "reset".

    A reset comes from an anonymous request that proved control of the e-mail
    address, so the actor is the user themself.
    """
    if via == "reset":
        actor = user
    _require_self(actor, user)
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(
        actor,
        f"user.password_{via}",
        user,
        municipality=municipality,
        changes={"password": [HIDDEN, HIDDEN]},
    )


@transaction.atomic
def enable_totp(
    actor: User | None,
    user: User,
    key: str,
    token: str,
    *,
    municipality: Municipality | None = None,
) -> TOTPDevice:
    """Turn on the second factor with secret ``key``, once ``token`` proves the app has it."""
    _require_self(actor, user)
    if otp.has_second_factor(user):
        raise ValidationError("A verificação em duas etapas já está ativada.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = otp.unsaved_device(user, key)
    device.save()
    if not device.verify_token(token):
        raise ValidationError("Código inválido. Confira o relógio do celular e tente de novo.")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(
        actor,
        "user.totp_enable",
        user,
        municipality=municipality,
        changes={"totp": [False, True]},
    )
    return device


@transaction.atomic
def disable_totp(
    actor: User | None, user: User, *, municipality: Municipality | None = None
) -> None:
    """Turn off the second factor (the form has checked password and code)."""
    _require_self(actor, user)
    _remove_devices(actor, user, municipality, "user.totp_disable")


def _remove_devices(
    actor: User | None, user: User, municipality: Municipality | None, action: str
) -> bool:
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        record(actor, action, user, municipality=municipality, changes={"totp": [True, False]})
    return bool(deleted)


# --- identity (e-mail, password, second factor, name) -----------------------------------
# Whoever controls a servant's e-mail controls the account (password reset), so a
# town's administrator may only change the identity of someone who serves that
# town alone. A servant of several towns, or an installation superuser, is changed
# by themself or by an installation superuser; otherwise the administrator of town
# A could take over the administrator of town B.

IDENTITY_REFUSED = (
    "Este servidor também atua em outro município (ou administra a instalação): só ele "
    "mesmo ou o administrador da instalação pode alterar seus dados de acesso."
)


def may_manage_identity(actor: User | None, municipality: Municipality, user: User) -> bool:
    """Whether ``actor`` may change ``user``'s e-mail, password, second factor or name."""
    if actor is None:  # the command line, run by whoever runs the installation
        return True
    if actor.pk == user.pk or actor.is_superuser:
        return actor.is_active
    if user.is_superuser or not has_role(actor, municipality, Role.ADMIN):
        return False
    towns = set(StaffMembership.objects.filter(user=user).values_list("municipality", flat=True))
    return towns == {municipality.pk}


def require_identity_manager(actor: User | None, municipality: Municipality, user: User) -> None:
    if not may_manage_identity(actor, municipality, user):
        if actor is not None and not has_role(actor, municipality, Role.ADMIN):
            raise PermissionDenied("Você não tem permissão para esta operação.")
        raise PermissionDenied(IDENTITY_REFUSED)


def _notify_email_change(user: User, old: str, new: str, municipality: Municipality) -> None:
    """Tell the old address (on commit): if the change was not wanted, it is seen at once."""
    if not old or old.lower() == new.lower():
        return
    body = (
        f"Olá, {user.get_full_name() or user.username}.\n\n"
        f"O e-mail da sua conta no Paço ({municipality.display_name}), usuário "
        f"“{user.username}”, foi trocado de {old} para {new or '(nenhum)'}.\n\n"
        "Os avisos e a redefinição de senha passam a ir para o novo endereço. Se você não "
        "pediu esta mudança, avise imediatamente o administrador do município ou da "
        "instalação.\n"
    )
    send_mail_on_commit("Paço: o e-mail da sua conta foi alterado", body, [old])


@transaction.atomic
def update_staff_user(
    actor: User | None, municipality: Municipality, user: User, **fields: str
) -> User:
    """Change a staff member's name or e-mail: the person themself, an installation
    superuser, or the administrator of the only town they serve. The old address is
    told of an e-mail change."""
    serves_here = StaffMembership.objects.filter(user=user, municipality=municipality).exists()
    if not serves_here and (actor is None or actor.pk != user.pk):
        raise PermissionDenied("Este usuário não é servidor deste município.")
    user = User.objects.select_for_update().get(pk=user.pk)
    require_identity_manager(actor, municipality, user)
    allowed = {"first_name", "last_name", "email"}
    before = {name: getattr(user, name) for name in allowed}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"Campo não editável: {name}")
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=[*fields])
    after = {name: getattr(user, name) for name in allowed}
    record(actor, "user.update", user, municipality=municipality, changes=diff(before, after))
    _notify_email_change(user, before["email"], after["email"], municipality)
    return user


@transaction.atomic
def reset_second_factor(actor: User | None, municipality: Municipality, user: User) -> bool:
    """An administrator turns off a servant's second factor (a lost phone, say).

    Only for servants of this municipality alone: someone who also serves another
    municipality, or an installation superuser, is reset by the installation's
    superuser (see :func:`may_manage_identity`). Returns whether a device was removed.
    """
    if actor is not None:
        require_role(actor, municipality, Role.ADMIN)
    require_identity_manager(actor, municipality, user)
    return _remove_devices(actor, user, municipality, "user.totp_reset")
