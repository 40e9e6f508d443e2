"""``paco createsuperuser`` (Django's command) works with the custom User model."""

import pytest
from django.core.management import call_command

from paco.accounts.models import User
from paco.accounts.tests.helpers import login


@pytest.mark.django_db
def test_createsuperuser_noinput_then_login_to_back_office(monkeypatch, anon_x):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "uma-senha-bem-longa-2026")
    call_command("createsuperuser", interactive=False, username="raiz", email="raiz@x.paco.test")
    user = User.objects.get(username="raiz")
    assert user.is_superuser and user.is_staff
    assert login(anon_x, "raiz", "uma-senha-bem-longa-2026").status_code == 302
    assert anon_x.get("/gestao/").status_code == 200
