"""The signed link that confirms a citizen's e-mail (Django's signing, 3 days)."""

from __future__ import annotations

from django.core import signing

from paco.accounts.models import User

SALT = "paco.citizens.verify-email"
MAX_AGE = 3 * 24 * 3600


def make(user: User) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, str] | None:
    """``(user id, e-mail)`` of a valid, unexpired token; ``None`` otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], str(data.get("e", ""))
