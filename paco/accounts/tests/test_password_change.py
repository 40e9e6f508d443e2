"""/conta/senha/: a staff member changes their own password (strength rules, audit)."""

import pytest

from paco.accounts import actions
from paco.accounts.tests.helpers import PASSWORD, login
from paco.audit.models import AuditEntry

NEW = "tres-tigres-tristes-no-trigal"


def change(client, old, new1, new2=None):
    return client.post(
        "/conta/senha/",
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


def test_needs_login(anon_x):
    response = anon_x.get("/conta/senha/")
    assert response.status_code == 302
    assert response["Location"].startswith("/conta/entrar/?next=/conta/senha/")


def test_page_is_pt_br_with_labels(client_for, town_x, admin_x):
    html = client_for(admin_x, town_x).get("/conta/senha/").content.decode()
    assert "Alterar minha senha" in html
    for name in ("old_password", "new_password1", "new_password2"):
        assert f'<label for="id_{name}"' in html
    assert "style=" not in html


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("curta-1", "muito curta"),
        ("123456789012345", "inteiramente numérica"),
        ("qwerty123456", "muito comum"),
        ("admin_x12345", "muito parecida"),
    ],
)
def test_weak_passwords_are_refused(client_for, town_x, admin_x, new, message):
    client = client_for(admin_x, town_x)
    response = change(client, PASSWORD, new)
    assert response.status_code == 200
    assert message in response.content.decode()
    admin_x.refresh_from_db()
    assert admin_x.check_password(PASSWORD)


def test_wrong_old_password_is_refused(client_for, town_x, admin_x):
    response = change(client_for(admin_x, town_x), "nao-e-a-senha-atual", NEW)
    assert response.status_code == 200
    assert "senha antiga foi digitada incorretamente" in response.content.decode()
    assert not AuditEntry.objects.filter(action="user.password_change").exists()


def test_change_keeps_session_records_audit_and_new_password_works(client_for, town_x, admin_x):
    client = client_for(admin_x, town_x)
    response = change(client, PASSWORD, NEW)
    assert response.status_code == 302
    assert response["Location"] == "/conta/senha/alterada/"
    assert client.get("/gestao/").status_code == 200  # still logged in
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor == admin_x
    assert entry.municipality == town_x
    assert NEW not in str(entry.changes)
    assert PASSWORD not in str(entry.changes)
    client.post("/conta/sair/")
    assert login(client, "admin_x", PASSWORD).status_code == 200
    assert login(client, "admin_x", NEW).status_code == 302


def test_nobody_changes_someone_elses_password(admin_x, catalog_editor_x):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.change_password(admin_x, catalog_editor_x, NEW)
    catalog_editor_x.refresh_from_db()
    assert catalog_editor_x.check_password(PASSWORD)


def test_session_without_second_factor_must_log_in_again(client_for, town_x, admin_x):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = client_for(admin_x, town_x)  # logged in before the device existed
    TOTPDevice.objects.create(user=admin_x, name="app", confirmed=True)
    response = change(client, PASSWORD, NEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/conta/entrar/?next=/conta/senha/")
    admin_x.refresh_from_db()
    assert admin_x.check_password(PASSWORD)
