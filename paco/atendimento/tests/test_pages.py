"""The pages: submitting, the receipt, following, the clerk's inbox (bounded queries), walk-in,
and the e-mails a requester gets (through a real SMTP server)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paco.atendimento import actions
from paco.atendimento.models import Case, Channel, IdentityMode, Kind, Outgoing, Status
from paco.atendimento.tasks import retry_due, send_one

pytestmark = pytest.mark.django_db


def test_an_esic_request_asks_no_reasons_and_gives_a_receipt(town_x, client_for):
    client = client_for(None, town_x)
    form = client.get("/atendimento/novo/informacao/").content.decode()
    assert "não precisa dizer por que" in form
    response = client.post(
        "/atendimento/novo/informacao/",
        {"subject": "Contratos", "description": "Os de 2025.", "name": "Maria", "document": "RG 9"},
    )
    assert response.status_code == 201
    case = Case.objects.get()
    text = response.content.decode()
    assert case.number in text and "Código de acesso" in text
    # the session that submitted follows the case without typing the code
    assert client.get(f"/atendimento/{case.slug}/").status_code == 200
    assert case.number in client.get("/atendimento/meus-pedidos/").content.decode()


def test_esic_without_a_document_is_refused_next_to_the_field(town_x, client_for):
    response = client_for(None, town_x).post(
        "/atendimento/novo/informacao/",
        {"subject": "Contratos", "description": "Os de 2025.", "name": "Maria"},
    )
    assert response.status_code == 422
    assert "Informe um documento de identificação." in response.content.decode()


def test_an_anonymous_manifestation_keeps_no_identity(town_x, client_for):
    response = client_for(None, town_x).post(
        "/atendimento/novo/ouvidoria/",
        {
            "subject": "Buraco",
            "description": "Rua A",
            "ombudsman_type": "reclamacao",
            "identity_mode": IdentityMode.ANONYMOUS,
            "name": "Não deveria ficar",
            "email": "nao@example.org",
        },
    )
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.requester_name == case.requester_email == ""
    assert case.ombudsman_type == "comunicacao"


def test_a_logged_in_citizen_lists_only_their_cases(
    town_x, unit_x_a, open_for, client_for, citizen_a, citizen_b
):
    from paco.atendimento.actions import Requester

    mine = open_for(town_x, unit_x_a, requester=Requester(name="A", citizen=citizen_a)).case
    theirs = open_for(town_x, unit_x_a, requester=Requester(name="B", citizen=citizen_b)).case
    page = client_for(citizen_a, town_x).get("/atendimento/meus-pedidos/").content.decode()
    assert mine.number in page and theirs.number not in page


def test_the_inbox_runs_a_bounded_number_of_queries(
    town_x, unit_x_a, open_for, client_for, attendant_x
):
    client = client_for(attendant_x, town_x)
    open_for(town_x, unit_x_a)
    client.get("/gestao/atendimento/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/gestao/atendimento/?kind=esic&late=on").status_code == 200
    for i in range(35):
        open_for(town_x, unit_x_a, subject=f"Pedido {i}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/gestao/atendimento/?kind=esic&late=on")
    assert page.status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    with CaptureQueriesContext(connection) as listing:
        page = client.get("/gestao/atendimento/")
    assert page.content.decode().count("/gestao/atendimento/99999") >= 35
    assert len(listing) <= len(few) + 2


def test_search_and_colours_with_text(town_x, unit_x_a, open_for, client_for, attendant_x):
    late = open_for(town_x, unit_x_a, subject="Iluminação da praça").case
    Case.objects.filter(pk=late.pk).update(due_on=datetime.date(2020, 1, 1))
    other = open_for(town_x, unit_x_a, subject="Poda de árvore").case
    page = client_for(attendant_x, town_x).get("/gestao/atendimento/?q=praça").content.decode()
    assert late.number in page and other.number not in page
    assert "atrasado há" in page and 'class="at-prazo atrasado"' in page


def test_the_clerk_concludes_from_the_case_page(
    town_x, unit_x_a, open_for, client_for, attendant_x
):
    case = open_for(town_x, unit_x_a).case
    client = client_for(attendant_x, town_x)
    url = f"/gestao/atendimento/{case.slug}/"
    refused = client.post(url, {"acao": "conclude", "conclude-outcome": "respondido"})
    assert refused.status_code == 422
    done = client.post(
        url,
        {"acao": "conclude", "conclude-outcome": "respondido", "conclude-text": "Seguem os dados."},
    )
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CONCLUDED


def test_a_walk_in_is_recorded_with_its_channel_and_clerk(
    town_x, unit_x_a, client_for, attendant_x, plain_staff_x
):
    assert (
        client_for(plain_staff_x, town_x).get("/gestao/atendimento/registrar/").status_code == 403
    )
    response = client_for(attendant_x, town_x).post(
        "/gestao/atendimento/registrar/",
        {
            "kind_choice": Kind.SERVICE,
            "channel": Channel.IN_PERSON,
            "unit": unit_x_a.pk,
            "subject": "Poda",
            "description": "Árvore na Rua B",
            "name": "Seu José",
        },
    )
    assert response.status_code == 201, response.content.decode()[:2000]
    case = Case.objects.get()
    assert case.channel == Channel.IN_PERSON and case.registered_by == attendant_x
    assert "Código de acesso" in response.content.decode()


def test_the_requester_gets_an_email_per_public_event(
    town_x, unit_x_a, open_for, attendant_x, smtp_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = open_for(town_x, unit_x_a).case
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_note(attendant_x, case, "interno")  # no e-mail
        actions.conclude(attendant_x, case, "respondido", "Seguem os contratos.")
    messages = smtp_settings.messages
    assert [str(m["To"]) for m in messages] == ["m@example.org", "m@example.org"]
    assert case.number in str(messages[1]["Subject"])
    body = smtp_settings.body_of(messages[1])
    assert "Seguem os contratos." in body and "interno" not in body


def test_no_email_for_an_anonymous_manifestation(town_x, unit_x_a, open_for):
    open_for(town_x, unit_x_a, kind=Kind.OMBUDSMAN, identity_mode=IdentityMode.ANONYMOUS)
    assert not Outgoing.objects.exists()


def test_a_failed_send_is_kept_and_retried(town_x, unit_x_a, open_for, settings, smtp_server):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1  # nobody listens: the send fails
    case = open_for(town_x, unit_x_a).case
    message = Outgoing.objects.get(case=case)
    assert send_one(message.pk) is False
    message.refresh_from_db()
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    settings.EMAIL_PORT = smtp_server.port
    assert retry_due(message.next_at) == 1
    message.refresh_from_db()
    assert message.sent_at is not None and len(smtp_server.messages) == 1
