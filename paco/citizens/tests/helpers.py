"""Citizens made directly (for tests that are not about signing up)."""

from __future__ import annotations

from django.utils import timezone

from paco.accounts.models import User
from paco.citizens.models import CitizenProfile

PASSWORD = "uma-senha-bem-comprida-7"


def make_citizen(
    name: str, email: str, *, cpf: str = "", verified: bool = True, phone: str = ""
) -> User:
    user = User.objects.create_user(
        username=f"c-{email}", email=email, password=PASSWORD, first_name=name
    )
    CitizenProfile.objects.create(
        user=user, cpf=cpf, phone=phone, email_verified_at=timezone.now() if verified else None
    )
    return user
