"""Password reset by e-mail, end to end through a real SMTP server on the loopback.

The ``smtp_settings`` fixture (paco/testing/smtp.py) starts aiosmtpd on a free
port and points Django's SMTP backend at it. The message is queued with
``paco.core.mail.send_mail_on_commit`` and sent by the task after commit.
"""

import re

import pytest

from paco.accounts.tests.helpers import login
from paco.audit.models import AuditEntry

NEW_PASSWORD = "um-cavalo-azul-correu-na-praia"
SAME_MESSAGE = "Se o endereço informado estiver cadastrado"


@pytest.fixture
def with_email(admin_x):
    admin_x.email = "admin@x.paco.test"
    admin_x.save()
    return admin_x


def link_in(body):
    match = re.search(r"http://x\.paco\.test(/conta/senha/redefinir/\S+/)", body)
    assert match, body
    return match.group(1)


def test_reset_by_email_through_real_smtp(
    anon_x, with_email, smtp_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = anon_x.post("/conta/senha/esqueci/", {"email": "admin@x.paco.test"})
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert SAME_MESSAGE in anon_x.get(response["Location"]).content.decode()

    assert len(smtp_settings.messages) == 1
    message = smtp_settings.messages[0]
    assert message["To"] == "admin@x.paco.test"
    assert "Nova senha" in message["Subject"]
    body = smtp_settings.body_of(message)
    assert "admin_x" in body

    form_page = anon_x.get(link_in(body), follow=True)
    assert form_page.status_code == 200
    assert "Criar nova senha" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]

    weak = anon_x.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    assert "muito curta" in weak.content.decode()

    done = anon_x.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/conta/senha/redefinida/"
    assert login(anon_x, "admin_x", NEW_PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action="user.password_reset")
    assert entry.actor == with_email
    assert NEW_PASSWORD not in str(entry.changes)

    # The link works only once.
    anon_x.post("/conta/sair/")
    again = anon_x.get(link_in(body), follow=True)
    assert "Link inválido ou vencido" in again.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_mail(
    anon_x, with_email, smtp_settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anon_x.post("/conta/senha/esqueci/", {"email": "ninguem@x.paco.test"})
    assert response.status_code == 302
    assert response["Location"] == "/conta/senha/esqueci/enviado/"
    assert SAME_MESSAGE in anon_x.get(response["Location"]).content.decode()
    assert smtp_settings.messages == []


def test_no_mail_when_the_transaction_does_not_commit(anon_x, with_email, mailoutbox):
    # Without a commit the on_commit hook never runs: nothing is sent.
    anon_x.post("/conta/senha/esqueci/", {"email": "admin@x.paco.test"})
    assert mailoutbox == []


def test_invalid_address_gets_pt_br_error(anon_x, town_x):
    response = anon_x.post("/conta/senha/esqueci/", {"email": "não é e-mail"})
    assert response.status_code == 200
    assert "Informe um endereço de email válido" in response.content.decode()


def test_the_queue_never_holds_a_reset_token(
    settings, anon_x, with_email, django_capture_on_commit_callbacks
):
    """With the database queue, the stored task carries only the user id, domain and scheme."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        anon_x.post("/conta/senha/esqueci/", {"email": with_email.email})
    stored = DBTaskResult.objects.get()
    assert stored.task_path == "paco.accounts.tasks.send_password_reset"
    assert stored.args_kwargs == {
        "args": [with_email.pk, "x.paco.test", "http"],
        "kwargs": {},
    }
