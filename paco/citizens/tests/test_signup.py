"""Sign-up, e-mail confirmation, and no enumeration of e-mails or CPFs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from paco.accounts.models import User
from paco.audit.models import AuditEntry
from paco.citizens.models import Channel, CitizenProfile
from paco.citizens.tests.helpers import make_citizen

FORM = {
    "name": "Joana Pereira",
    "email": "joana@exemplo.org",
    "password": "girassol-amarelo-2024",
    "cpf": "529.982.247-25",
    "phone": "(49) 99999-1234",
    "channel": Channel.EMAIL,
}


def sign_up(client: Client, capture: Any, **changes: str) -> Any:
    with capture(execute=True):
        return client.post("/conta/cadastro/", {**FORM, **changes})


def link_in(message: Any) -> str:
    found = re.search(r"http://[^\s]+/conta/confirmar/[^\s]+/", message.body)
    assert found, message.body
    return found.group(0).split("x.paco.test", 1)[1]


@pytest.mark.django_db
def test_sign_up_sends_a_link_that_confirms_the_email_and_signs_in(
    town_x: Any, anon_x: Client, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    answer = sign_up(anon_x, django_capture_on_commit_callbacks)
    assert answer.status_code == 302 and answer["Location"] == "/conta/cadastro/enviado/"
    profile = CitizenProfile.objects.get()
    assert profile.cpf == "52998224725" and profile.user.email == "joana@exemplo.org"
    assert profile.user.get_full_name() == "Joana Pereira" and not profile.email_verified
    assert profile.created_in == town_x and profile.phone == "(49) 99999-1234"
    (message,) = mailoutbox
    assert message.to == ["joana@exemplo.org"]
    path = link_in(message)
    assert anon_x.get(path).status_code == 200  # a page with a button: GET changes nothing
    profile.refresh_from_db()
    assert not profile.email_verified
    confirmed = anon_x.post(path)
    assert confirmed["Location"] == "/conta/"
    profile.refresh_from_db()
    assert profile.email_verified
    assert anon_x.get("/conta/").status_code == 200
    entry = AuditEntry.objects.get(action="citizen.signup")
    assert "52998224725" not in str(entry.changes) and "joana@" not in str(entry.changes)
    assert "***.982.247-**" in str(entry.changes)
    assert AuditEntry.objects.filter(action="citizen.verify_email").count() == 1
    later = Client(HTTP_HOST="x.paco.test").post(path)  # the link works once
    assert later["Location"] == "/conta/acesso/"
    assert "_auth_user_id" not in later.wsgi_request.session


@pytest.mark.django_db
def test_a_forged_or_foreign_link_confirms_nothing(town_x: Any, anon_x: Client) -> None:
    assert "Link inválido" in anon_x.get("/conta/confirmar/x/").text
    assert "Link inválido" in anon_x.post("/conta/confirmar/abc:def:ghi/").text
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_the_same_answer_whether_the_email_or_cpf_exists(
    town_x: Any, anon_x: Client, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    make_citizen("Já Tenho", "joana@exemplo.org")
    make_citizen("Outra", "outra@exemplo.org", cpf="52998224725")
    fresh = sign_up(anon_x, django_capture_on_commit_callbacks, email="nova@exemplo.org", cpf="")
    taken_email = sign_up(anon_x, django_capture_on_commit_callbacks, email="JOANA@exemplo.org")
    taken_cpf = sign_up(anon_x, django_capture_on_commit_callbacks, email="livre@exemplo.org")
    for answer in (fresh, taken_email, taken_cpf):
        assert answer.status_code == 302 and answer["Location"] == "/conta/cadastro/enviado/"
    assert CitizenProfile.objects.count() == 3  # only "nova" was created
    bodies = {m.to[0].lower(): m.body for m in mailoutbox}
    assert "/conta/confirmar/" in bodies["nova@exemplo.org"]
    assert "já existe uma conta" in bodies["joana@exemplo.org"]
    assert "CPF informado já está em uma conta" in bodies["livre@exemplo.org"]


@pytest.mark.django_db
def test_errors_are_next_to_the_fields_and_nothing_typed_is_lost(
    town_x: Any, anon_x: Client
) -> None:
    answer = anon_x.post(
        "/conta/cadastro/", {**FORM, "cpf": "123.456.789-00", "password": "123", "email": "x"}
    )
    assert answer.status_code == 200
    html = answer.text
    assert "CPF inválido" in html and "E-mail inválido" in html
    assert 'id="id_cpf_error"' in html and 'id="id_password_error"' in html
    assert 'value="Joana Pereira"' in html and 'value="123.456.789-00"' in html
    assert 'value="(49) 99999-1234"' in html
    assert not User.objects.exists()


@pytest.mark.django_db
def test_sign_up_is_rate_limited_per_address(
    town_x: Any, anon_x: Client, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PACO_CITIZEN_SIGNUP_PER_IP = 2
    for n in range(2):
        sign_up(anon_x, django_capture_on_commit_callbacks, email=f"p{n}@exemplo.org", cpf="")
    refused = sign_up(anon_x, django_capture_on_commit_callbacks, email="p9@exemplo.org", cpf="")
    assert refused.status_code == 429 and "Muitas tentativas" in refused.text
    assert 'value="p9@exemplo.org"' in refused.text
    assert CitizenProfile.objects.count() == 2
