"""API tokens: ``Authorization: Token <secret>`` for the write API (scripts, ETL jobs).

Only the SHA-256 digest of a secret is stored; the secret is shown once, when
created. A token acts as its user, in its municipality only, with the user's
roles at the time of each call (revoking a role takes effect at once).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from paco.accounts.models import ApiToken, Role, User
from paco.accounts.permissions import has_role, is_staff_of
from paco.audit.services import record
from paco.tenancy.models import Municipality

PREFIX = "paco_"
HEADER_KEYWORD = "token"


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _may_manage(actor: User | None, town: Municipality, user: User) -> bool:
    if actor is None:
        return True
    if actor.pk == user.pk:
        return is_staff_of(actor, town)
    return has_role(actor, town, Role.ADMIN)


@transaction.atomic
def create_token(
    actor: User | None, town: Municipality, user: User, name: str
) -> tuple[ApiToken, str]:
    """A new token for ``user`` in ``town``; returns it with its secret (shown once)."""
    if not _may_manage(actor, town, user) or not is_staff_of(user, town):
        raise PermissionDenied("Só servidores do município podem ter tokens de API.")
    name = " ".join(name.split())[:120]
    if not name:
        raise ValueError("Dê um nome ao token (para que serve, onde está em uso).")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        municipality=town, user=user, name=name, digest=digest_of(secret), prefix=secret[:12]
    )
    record(actor, "token.create", token, municipality=town, changes={"name": [None, name]})
    return token, secret


@transaction.atomic
def revoke_token(actor: User | None, token: ApiToken) -> ApiToken:
    if not _may_manage(actor, token.municipality, token.user):
        raise PermissionDenied("Você não pode revogar este token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "token.revoke", token, municipality=token.municipality)
    return token


def secret_from(request: HttpRequest) -> str | None:
    """The secret of an ``Authorization: Token …`` header, or None without one."""
    header = request.headers.get("Authorization", "")
    keyword, _, value = header.strip().partition(" ")
    if keyword.lower() != HEADER_KEYWORD or not value.strip():
        return None
    return value.strip()


def authenticate(request: HttpRequest, town: Municipality | None = None) -> User | None:
    """The active user of a valid, unrevoked token of ``town`` (the request's municipality)."""
    secret = secret_from(request)
    if secret is None:
        return None
    if town is None:
        from paco.tenancy.access import current_municipality

        town = current_municipality(request)
    digest = digest_of(secret)
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=digest, municipality=town)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, digest):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
