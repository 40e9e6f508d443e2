"""The public form, end to end: no account, no justification, e-mails through real SMTP."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from paco.datarequests import ratelimit
from paco.datarequests.access import hash_token
from paco.datarequests.models import DataRequest
from paco.datarequests.tests.conftest import token_in

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Lista de imóveis públicos",
    "description": "Endereço, uso e área de cada imóvel do município.",
    "requester_name": "João Pedinte",
    "requester_email": "joao@exemplo.org",
    "requester_phone": "",
    "hide_identity": "on",
    "website": "",
}


def test_form_never_asks_for_a_justification(anon_x):
    response = anon_x.get("/dados/pedidos/novo/")
    assert response.status_code == 200
    html = response.content.decode()
    form_html = html[html.index('<form method="post"') :]
    form_html = form_html[: form_html.index("</form>")]
    names = set(re.findall(r'name="([a-z_]+)"', form_html))
    assert names == {
        "csrfmiddlewaretoken",
        "title",
        "description",
        "requester_name",
        "requester_email",
        "requester_phone",
        "hide_identity",
        "website",
    }
    assert "justific" not in form_html.lower() and "motivo" not in form_html.lower()
    assert '<label for="id_title">' in html


def test_submission_gives_protocol_and_secret_link_by_email(
    anon_x, town_x, smtp_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_x.post("/dados/pedidos/novo/", FORM)
    assert response.status_code == 302
    data_request = DataRequest.objects.for_municipality(town_x).get()
    assert data_request.hide_identity is True
    assert len(smtp_settings.messages) == 1
    message = smtp_settings.messages[0]
    assert message["To"] == "joao@exemplo.org"
    assert data_request.protocol in message["Subject"]
    body = smtp_settings.body_of(message)
    token = token_in(body)
    assert data_request.token_hash == hash_token(token)
    assert response["Location"] == f"/dados/pedidos/acompanhar/{token}/"
    page = anon_x.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert "joao@exemplo.org" in page.content.decode()


def test_csrf_is_enforced(town_x):
    client = Client(HTTP_HOST="x.paco.test", enforce_csrf_checks=True)
    assert client.post("/dados/pedidos/novo/", FORM).status_code == 403
    assert not DataRequest.objects.exists()


def test_honeypot_filled_is_refused(anon_x):
    response = anon_x.post("/dados/pedidos/novo/", {**FORM, "website": "http://spam"})
    assert response.status_code == 400
    assert not DataRequest.objects.exists()


def test_rate_limit_per_address(town_x, monkeypatch):
    monkeypatch.setattr(ratelimit, "LIMIT", 2)
    client = Client(HTTP_HOST="x.paco.test", REMOTE_ADDR="10.9.8.7")
    codes = [client.post("/dados/pedidos/novo/", FORM).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert DataRequest.objects.count() == 2
    other = Client(HTTP_HOST="x.paco.test", REMOTE_ADDR="10.9.8.8")
    assert other.post("/dados/pedidos/novo/", FORM).status_code == 302


def test_invalid_form_shows_errors(anon_x):
    response = anon_x.post("/dados/pedidos/novo/", {**FORM, "requester_email": "x"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not DataRequest.objects.exists()


def test_resend_link_replaces_the_token_without_telling_who_asked(
    anon_x, town_x, submit, smtp_settings, django_capture_on_commit_callbacks
):
    data_request, old_token = submit(town_x)
    with django_capture_on_commit_callbacks(execute=True):
        wrong = anon_x.post(
            "/dados/pedidos/acompanhar/",
            {"protocol": data_request.protocol, "email": "outra@exemplo.org", "website": ""},
        )
        right = anon_x.post(
            "/dados/pedidos/acompanhar/",
            {"protocol": data_request.protocol.lower(), "email": "MARIA@exemplo.org"},
        )
    assert wrong.status_code == right.status_code == 200
    assert wrong.content.decode().count("Se o protocolo") == 1
    assert right.content.decode().count("Se o protocolo") == 1
    # only the right pair sent a message (the submit() receipt was not captured)
    assert len(smtp_settings.messages) == 1
    new_token = token_in(smtp_settings.body_of(smtp_settings.messages[0]))
    assert new_token != old_token
    assert anon_x.get(f"/dados/pedidos/acompanhar/{old_token}/").status_code == 404
    assert anon_x.get(f"/dados/pedidos/acompanhar/{new_token}/").status_code == 200
