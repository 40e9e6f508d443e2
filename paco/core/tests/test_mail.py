"""paco.core.mail: e-mail goes out through the tasks API, only after commit."""

import pytest
from django.db import transaction

from paco.core.mail import send_mail_on_commit, send_mail_task


@pytest.mark.django_db
def test_sent_after_commit(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send_mail_on_commit("Assunto\nem duas linhas", "Corpo", ["a@x.paco.test"])
        assert mailoutbox == []
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Assunto em duas linhas"
    assert mailoutbox[0].to == ["a@x.paco.test"]


@pytest.mark.django_db(transaction=True)
def test_not_sent_when_rolled_back(mailoutbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail_on_commit("Assunto", "Corpo", ["a@x.paco.test"])
        raise RuntimeError("falhou")
    assert mailoutbox == []
    with transaction.atomic():
        send_mail_on_commit("Assunto", "Corpo", ["a@x.paco.test"])
    assert len(mailoutbox) == 1


def test_task_is_a_django_task_with_html_alternative(mailoutbox):
    result = send_mail_task.enqueue("Oi", "texto", ["b@x.paco.test"], None, "<p>html</p>")
    assert result.return_value == 1
    assert mailoutbox[0].alternatives[0][1] == "text/html"
