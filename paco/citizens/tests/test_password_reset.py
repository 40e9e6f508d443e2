"""Citizens' password reset: same answer for any e-mail, rate limited, link confirms the e-mail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from paco.citizens.tests.helpers import make_citizen


@pytest.mark.django_db
def test_reset_by_email_link(
    town_x: Any, anon_x: Client, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = make_citizen("Ana", "ana@exemplo.org", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        known = anon_x.post("/conta/recuperar/", {"email": "ana@exemplo.org"})
        unknown = anon_x.post("/conta/recuperar/", {"email": "ninguem@exemplo.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/conta/recuperar/enviado/"
    (message,) = mailoutbox
    found = re.search(r"http://x\.paco\.test(/conta/recuperar/\S+/)", message.body)
    assert found, message.body
    path = found.group(1)
    form = anon_x.get(path, follow=True)
    assert form.status_code == 200 and "Nova senha" in form.text
    new = "outra-senha-bem-longa-9"
    done = anon_x.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/conta/recuperar/concluido/"
    user.refresh_from_db()
    assert user.check_password(new)
    assert user.citizen_profile.email_verified  # the link proved the address
    login = anon_x.post("/conta/acesso/", {"login": "ana@exemplo.org", "password": new})
    assert login.status_code == 302


@pytest.mark.django_db
def test_staff_do_not_get_a_citizens_reset(
    town_x: Any, anon_x: Client, admin_x: Any, mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    admin_x.email = "admin@x.paco.test"
    admin_x.save()
    with django_capture_on_commit_callbacks(execute=True):
        anon_x.post("/conta/recuperar/", {"email": "admin@x.paco.test"})
    assert mailoutbox == []


@pytest.mark.django_db
def test_reset_is_rate_limited(town_x: Any, anon_x: Client, settings: Any) -> None:
    settings.PACO_PASSWORD_RESET_PER_EMAIL = 2
    for _ in range(2):
        anon_x.post("/conta/recuperar/", {"email": "ana@exemplo.org"})
    refused = anon_x.post("/conta/recuperar/", {"email": "ana@exemplo.org"})
    assert refused.status_code == 429 and 'value="ana@exemplo.org"' in refused.text
