"""django-axes lockout: 5 failures by the same username from the same address lock it out."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.utils import timezone

from paco.accounts.tests.helpers import PASSWORD, login

WRONG = "senha-errada-de-proposito"


def fail_until_locked(client, username, path="/conta/entrar/"):
    responses = [
        login(client, username, WRONG, path=path) for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    return responses


def test_limit_is_five():
    assert settings.AXES_FAILURE_LIMIT == 5


def test_five_failures_lock_even_the_right_password(anon_x, admin_x):
    responses = fail_until_locked(anon_x, "admin_x")
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    locked = login(anon_x, "admin_x", PASSWORD)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Acesso bloqueado temporariamente" in html
    assert "15 minutos" in html
    assert html.count("<h1") == 1
    assert "_auth_user_id" not in anon_x.session


def test_four_failures_then_success_resets_the_count(anon_x, admin_x):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(anon_x, "admin_x", WRONG).status_code == 200
    assert login(anon_x, "admin_x", PASSWORD).status_code == 302
    anon_x.post("/conta/sair/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(anon_x, "admin_x", WRONG).status_code == 200
    assert login(anon_x, "admin_x", PASSWORD).status_code == 302


@pytest.mark.usefixtures("catalog_editor_x")
def test_other_user_same_address_is_not_locked(anon_x, admin_x):
    fail_until_locked(anon_x, "admin_x")
    assert login(anon_x, "carta_x", PASSWORD).status_code == 302


def test_same_user_other_address_is_not_locked(anon_x, admin_x):
    fail_until_locked(anon_x, "admin_x")
    elsewhere = Client(HTTP_HOST="x.paco.test", REMOTE_ADDR="10.1.2.3")
    assert login(elsewhere, "admin_x", PASSWORD).status_code == 302


def test_back_office_login_is_locked_too(anon_x, admin_x):
    responses = fail_until_locked(anon_x, "admin_x", path="/gestao/login/")
    assert responses[-1].status_code == 429
    assert login(anon_x, "admin_x", PASSWORD, path="/gestao/login/").status_code == 429
    assert login(anon_x, "admin_x", PASSWORD).status_code == 429
    assert anon_x.get("/gestao/").status_code == 302


def test_lockout_expires_after_the_cool_off(anon_x, admin_x):
    fail_until_locked(anon_x, "admin_x")
    assert login(anon_x, "admin_x", PASSWORD).status_code == 429
    # Fourteen minutes later: still locked. Sixteen: free again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert login(anon_x, "admin_x", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(anon_x, "admin_x", PASSWORD).status_code == 302
