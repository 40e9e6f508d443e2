"""The JSON API: citizens (session or token) and staff, with the pages' access rules."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from paco.accounts.tokens import create_token
from paco.atendimento.actions import Requester
from paco.atendimento.models import Case, IdentityMode, Kind, Status

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def test_a_citizen_creates_lists_reads_adds_a_document_and_rates(
    town_x, unit_x_a, client_for, citizen_a, attendant_x
):
    client = client_for(citizen_a, town_x)
    created = client.post(
        "/api/v1/atendimento/casos",
        {"kind": "esic", "subject": "Contratos", "description": "De 2025", "document": "RG 1"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    case = Case.objects.get(number=number)
    assert case.citizen == citizen_a
    listing = client.get("/api/v1/atendimento/casos").json()["results"]
    assert [c["number"] for c in listing] == [number]
    detail = client.get(f"/api/v1/atendimento/casos/{case.slug}").json()
    assert detail["timeline"][0]["code"] == "received"
    added = client.post(
        f"/api/v1/atendimento/casos/{case.slug}/documentos",
        {"documents": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    assert added.status_code == 201 and added.json()["attachments"][0]["name"] == "a.pdf"
    refused = client.post(
        f"/api/v1/atendimento/casos/{case.slug}/documentos",
        {"documents": [SimpleUploadedFile("a.pdf", b"MZ\x90")]},
    )
    assert refused.status_code == 400 and "tipo aceito" in refused.json()["erro"]
    Case.objects.filter(pk=case.pk).update(unit=unit_x_a)
    staff = client_for(attendant_x, town_x)
    concluded = staff.post(
        f"/api/v1/atendimento/caixa/{case.slug}/conclude",
        {"outcome": "respondido", "text": "Seguem os contratos."},
        content_type="application/json",
    )
    assert concluded.status_code == 200 and concluded.json()["status"] == Status.CONCLUDED
    rated = client.post(
        f"/api/v1/atendimento/casos/{case.slug}/avaliacao",
        {"score": 5, "resolved": "sim"},
        content_type="application/json",
    )
    assert rated.status_code == 201
    again = client.post(
        f"/api/v1/atendimento/casos/{case.slug}/avaliacao",
        {"score": 1, "resolved": "nao"},
        content_type="application/json",
    )
    assert again.status_code == 400


def test_another_citizens_case_is_a_404(
    town_x, unit_x_a, open_for, client_for, citizen_a, citizen_b
):
    case = open_for(town_x, unit_x_a, requester=Requester(name="A", citizen=citizen_a)).case
    other = client_for(citizen_b, town_x)
    assert other.get(f"/api/v1/atendimento/casos/{case.slug}").status_code == 404
    assert other.get(f"/api/v1/atendimento/caixa/{case.slug}").status_code == 404
    assert client_for(None, town_x).get("/api/v1/atendimento/casos").status_code == 401


def test_session_writes_need_the_csrf_token(town_x, citizen_a):
    from django.test import Client

    from paco.conftest import HOST_X

    client = Client(HTTP_HOST=HOST_X, enforce_csrf_checks=True)
    client.force_login(citizen_a)
    response = client.post(
        "/api/v1/atendimento/casos",
        {"kind": "esic", "subject": "x", "description": "y"},
        content_type="application/json",
    )
    assert response.status_code == 403 and "CSRF" in response.json()["erro"]


def test_staff_read_the_inbox_with_a_token_and_preserved_identities_stay_hidden(
    town_x, unit_x_a, unit_x_b, open_for, client_for, attendant_x
):
    _token, secret = create_token(None, town_x, attendant_x, name="script")
    mine = open_for(
        town_x,
        unit_x_a,
        kind=Kind.OMBUDSMAN,
        ombudsman_type="reclamacao",
        identity_mode=IdentityMode.PRESERVED,
        requester=Requester(name="Joana Preservada"),
    ).case
    other = open_for(town_x, unit_x_b).case
    client = client_for(None, town_x)
    headers = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    inbox = client.get("/api/v1/atendimento/caixa", **headers).json()["results"]
    assert [c["number"] for c in inbox] == [mine.number]
    detail = client.get(f"/api/v1/atendimento/caixa/{mine.slug}", **headers)
    assert "Joana" not in detail.content.decode() and "hidden" in detail.json()["requester"]
    assert client.get(f"/api/v1/atendimento/caixa/{other.slug}", **headers).status_code == 404
    noted = client.post(
        f"/api/v1/atendimento/caixa/{mine.slug}/note",
        {"text": "Verificar"},
        content_type="application/json",
        **headers,
    )
    assert noted.status_code == 200


def test_the_endpoints_are_in_the_openapi_document(anon_x):
    paths = anon_x.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/atendimento/casos"]
    assert "/api/v1/atendimento/caixa/{number}/{action}" in paths
