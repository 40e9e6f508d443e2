"""Password login for citizens: the login is the e-mail or the CPF.

Only answers when called with ``citizen=True`` (the citizens' login form), so the
staff login keeps its usernames. django-axes, before this backend in
``AUTHENTICATION_BACKENDS``, counts failures per login typed and client address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from paco.accounts.models import User
from paco.citizens import cpf as cpfs


def find_citizen(login: str) -> User | None:
    login = (login or "").strip()
    if not login:
        return None
    users = User.objects.filter(citizen_profile__isnull=False)
    if cpfs.looks_like_cpf(login):
        number = cpfs.digits(login)
        return users.filter(citizen_profile__cpf=number).first() if len(number) == 11 else None
    return users.filter(email__iexact=login).order_by("pk").first()


class CitizenBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        citizen: bool = False,
        **kwargs: Any,
    ) -> User | None:
        if not citizen or username is None or password is None:
            return None
        user = find_citizen(username)
        if user is None:
            User().set_password(password)  # the same work as a real check (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
