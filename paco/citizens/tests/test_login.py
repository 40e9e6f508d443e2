"""Citizens log in with e-mail or CPF and password; staff login is untouched."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from paco.citizens.tests.helpers import PASSWORD, make_citizen


def signed_in(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["ana@exemplo.org", "ANA@exemplo.org", "529.982.247-25"])
def test_login_with_email_or_cpf(town_x: Any, anon_x: Client, login: str) -> None:
    user = make_citizen("Ana", "ana@exemplo.org", cpf="52998224725")
    answer = anon_x.post("/conta/acesso/", {"login": login, "password": PASSWORD})
    assert answer.status_code == 302 and answer["Location"] == "/conta/"
    assert signed_in(anon_x) == str(user.pk)


@pytest.mark.django_db
def test_wrong_password_unknown_login_and_unconfirmed_email_get_the_same_message(
    town_x: Any, anon_x: Client
) -> None:
    make_citizen("Ana", "ana@exemplo.org")
    make_citizen("Bia", "bia@exemplo.org", verified=False)
    answers = [
        anon_x.post("/conta/acesso/", {"login": "ana@exemplo.org", "password": "errada-123"}),
        anon_x.post("/conta/acesso/", {"login": "ninguem@exemplo.org", "password": PASSWORD}),
        anon_x.post("/conta/acesso/", {"login": "bia@exemplo.org", "password": PASSWORD}),
    ]
    messages = {a.text.split("erros-formulario")[1].split("</ul>")[0] for a in answers}
    assert len(messages) == 1 and "incorretos" in messages.pop()
    assert signed_in(anon_x) is None
    assert 'value="ana@exemplo.org"' in answers[0].text  # what was typed stays


@pytest.mark.django_db
def test_the_next_address_is_followed_only_on_this_site(town_x: Any, anon_x: Client) -> None:
    make_citizen("Ana", "ana@exemplo.org")
    data = {"login": "ana@exemplo.org", "password": PASSWORD}
    ok = anon_x.post("/conta/acesso/", {**data, "next": "/conta/meus-dados/"})
    assert ok["Location"] == "/conta/meus-dados/"
    evil = Client(HTTP_HOST="x.paco.test").post(
        "/conta/acesso/", {**data, "next": "https://mal.exemplo/"}
    )
    assert evil["Location"] == "/conta/"


@pytest.mark.django_db
def test_staff_usernames_do_not_log_in_as_citizens(
    town_x: Any, anon_x: Client, admin_x: Any
) -> None:
    answer = anon_x.post("/conta/acesso/", {"login": "admin_x", "password": "senha-de-teste-123"})
    assert answer.status_code == 200 and signed_in(anon_x) is None
    staff = Client(HTTP_HOST="x.paco.test")
    done = staff.post("/conta/entrar/", {"username": "admin_x", "password": "senha-de-teste-123"})
    assert done.status_code == 302 and signed_in(staff) == str(admin_x.pk)
    for page in ("/conta/", "/conta/meus-dados/"):
        shown = staff.get(page)
        assert shown.status_code == 200 and "conta de servidor" in shown.text


@pytest.mark.django_db
def test_login_is_rate_limited_per_address(town_x: Any, anon_x: Client, settings: Any) -> None:
    settings.PACO_CITIZEN_LOGIN_PER_IP = 3
    make_citizen("Ana", "ana@exemplo.org")
    for n in range(3):
        anon_x.post("/conta/acesso/", {"login": f"x{n}@exemplo.org", "password": "errada"})
    refused = anon_x.post("/conta/acesso/", {"login": "ana@exemplo.org", "password": PASSWORD})
    assert refused.status_code == 429 and signed_in(anon_x) is None


@pytest.mark.django_db
def test_logout_is_a_post(town_x: Any, client_for: Any) -> None:
    client = client_for(make_citizen("Ana", "ana@exemplo.org"), town_x)
    assert client.get("/conta/acesso/sair/").status_code == 405
    answer = client.post("/conta/acesso/sair/")
    assert answer["Location"] == "/" and signed_in(client) is None


@pytest.mark.django_db
def test_header_links(town_x: Any, anon_x: Client, client_for: Any) -> None:
    assert 'href="/conta/acesso/"' in anon_x.get("/acessibilidade/").text
    signed = client_for(make_citizen("Ana", "ana@exemplo.org"), town_x)
    assert ">Minha conta</a>" in signed.get("/acessibilidade/").text
