"""Writes to staff users and their roles."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from paco.accounts import otp
from paco.accounts.models import Role, StaffMembership, User
from paco.accounts.permissions import require_role
from paco.audit.services import diff, record
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


@transaction.atomic
def update_staff_user(
    actor: User | None, municipality: Municipality, user: User, **fields: str
) -> User:
    """Change a staff member's name or e-mail (administrators of a town they serve)."""
    if actor is not None:
        require_role(actor, municipality, Role.ADMIN)
    if not StaffMembership.objects.filter(user=user, municipality=municipality).exists():
        raise PermissionDenied("Este usuário não é servidor deste município.")
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
    return user


@transaction.atomic
def reset_second_factor(actor: User | None, municipality: Municipality, user: User) -> bool:
    """An administrator turns off a servant's second factor (a lost phone, say).

    Only for servants of this municipality alone: someone who also serves another
    municipality, or an installation superuser, is reset by the installation's
    administrator. Returns whether a device was removed.
    """
    if actor is not None:
        require_role(actor, municipality, Role.ADMIN)
    towns = set(StaffMembership.objects.filter(user=user).values_list("municipality", flat=True))
    if towns != {municipality.pk} or user.is_superuser:
        raise PermissionDenied(
            "Este servidor também atua em outro município (ou administra a instalação): "
            "peça ao administrador da instalação."
        )
    return _remove_devices(actor, user, municipality, "user.totp_reset")
