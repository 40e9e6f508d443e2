"""Drafts: saved on every POST, resumed; a CSRF failure or an expired session lose nothing."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from paco.atendimento.models import Case
from paco.conftest import HOST_X
from paco.requestforms.models import Draft, DraftFile
from paco.requestforms.tests.conftest import png

pytestmark = pytest.mark.django_db


def url(service):
    return reverse("requestforms:request", args=[service.slug])


def _key(page: str) -> str:
    found = re.search(r'name="rascunho" value="([^"]*)"', page)
    assert found is not None
    return found[1]


def test_save_draft_then_come_back_and_find_everything(anon_x, lighting):
    page = anon_x.get(url(lighting)).content.decode()
    response = anon_x.post(
        url(lighting),
        {"acao": "rascunho", "rascunho": _key(page), "descricao": "Poste da esquina",
         "endereco": "Rua A, 5", "campo_problema": "Acesa de dia"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Rascunho salvo" in response.content.decode()
    assert "Informe seu nome" not in response.content.decode()  # a draft is not judged
    page = anon_x.get(url(lighting)).content.decode()
    assert "Você tem um rascunho" in page
    assert "Poste da esquina" in page and 'value="Rua A, 5"' in page
    assert re.search(r'value="Acesa de dia"[^>]*checked', page)


def test_a_signed_in_citizen_resumes_on_another_device(client_for, town_x, lighting, citizen_a):
    first = client_for(citizen_a, town_x)
    first.post(url(lighting), {"acao": "rascunho", "descricao": "Meu pedido salvo"})
    other = client_for(citizen_a, town_x)
    assert "Meu pedido salvo" in other.get(url(lighting)).content.decode()
    assert Draft.objects.get().owner == citizen_a


def test_a_failed_csrf_check_shows_the_form_again_with_what_was_typed(town_x, lighting):
    client = Client(HTTP_HOST=HOST_X, enforce_csrf_checks=True)
    client.get(url(lighting))
    response = client.post(url(lighting), {"acao": "enviar", "descricao": "Texto longo digitado"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Texto longo digitado" in page and "confirme o envio mais uma vez" in page
    assert not Case.objects.exists() and not Draft.objects.exists()  # nothing written
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    again = client.post(
        url(lighting), {"acao": "rascunho", "descricao": "Texto longo digitado",
                        "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert again.status_code == 200 and Draft.objects.count() == 1


def test_an_expired_session_keeps_the_draft_through_the_key_in_the_form(town_x, lighting):
    client = Client(HTTP_HOST=HOST_X)
    key = _key(client.get(url(lighting)).content.decode())
    client.post(url(lighting), {"acao": "rascunho", "rascunho": key, "descricao": "Antes"})
    client.cookies.clear()  # the session is gone
    response = client.post(
        url(lighting), {"acao": "rascunho", "rascunho": key, "descricao": "Depois"}
    )
    assert response.status_code == 200
    assert Draft.objects.count() == 1 and Draft.objects.get().data["descricao"] == "Depois"


def test_an_anonymous_draft_is_adopted_when_the_person_signs_in(town_x, lighting, citizen_a):
    client = Client(HTTP_HOST=HOST_X)
    key = _key(client.get(url(lighting)).content.decode())
    client.post(url(lighting), {"acao": "rascunho", "rascunho": key, "descricao": "Anônimo"})
    client.force_login(citizen_a)
    assert "Anônimo" in client.get(url(lighting)).content.decode()
    assert Draft.objects.get().owner == citizen_a


def test_someone_else_cannot_read_a_draft_without_its_key(town_x, lighting):
    owner = Client(HTTP_HOST=HOST_X)
    key = _key(owner.get(url(lighting)).content.decode())
    owner.post(url(lighting), {"acao": "rascunho", "rascunho": key, "descricao": "Segredo"})
    stranger = Client(HTTP_HOST=HOST_X)
    assert "Segredo" not in stranger.get(url(lighting)).content.decode()


def test_a_file_sent_with_an_error_elsewhere_is_kept_and_used_at_submission(anon_x, lighting):
    key = _key(anon_x.get(url(lighting)).content.decode())
    photo = SimpleUploadedFile("poste.png", png(), content_type="image/png")
    first = anon_x.post(
        url(lighting),
        {"acao": "enviar", "rascunho": key, "descricao": "x", "campo_tem-foto": "sim",
         "campo_foto": photo},
    )  # fmt: skip
    assert first.status_code == 400
    assert "Arquivo guardado: “poste.png”" in first.content.decode()
    assert DraftFile.objects.count() == 1
    done = anon_x.post(
        url(lighting),
        {"acao": "enviar", "rascunho": key, "descricao": "x", "campo_tem-foto": "sim",
         "nome": "Ana", "campo_problema": "Apagada", "endereco": "Rua B"},
    )  # fmt: skip
    assert done.status_code == 302
    assert Case.objects.get().attachments.get().name == "poste.png"
    assert not DraftFile.objects.exists()
