"""Who may change a servant's identity (e-mail, password, second factor, name).

Reproduction (issue 8, "Why → Tenancy"): an administrator of town A changed the
e-mail of a servant who is also administrator of town B, asked for a password
reset at the new address, and logged in as B's administrator; nothing was sent
to the old address. Now the identity of someone who serves more than one town,
or of a superuser, is changed only by that person or an installation
superuser, and every e-mail change is told to the old address.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_totp.models import TOTPDevice

from paco.accounts.actions import grant_role, reset_second_factor, update_staff_user
from paco.accounts.models import Role, User
from paco.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

ATTACKER = "atacante@exemplo.org"


@pytest.fixture
def admin_of_both(admin_y, town_x):
    """Y's administrator, who also edits the charter in X."""
    admin_y.email = "admin.y@y.paco.test"
    admin_y.save()
    grant_role(None, town_x, admin_y, Role.CATALOG_EDITOR)
    return admin_y


def test_reproduction_admin_of_a_cannot_take_over_the_admin_of_b(
    client_for,
    admin_x,
    admin_of_both,
    town_x,
    town_y,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client = client_for(admin_x, town_x)
    url = f"/gestao/accounts/user/{admin_of_both.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode()  # read-only for X's administrator
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"first_name": "", "last_name": "", "email": ATTACKER})
    assert response.status_code == 403
    admin_of_both.refresh_from_db()
    assert admin_of_both.email == "admin.y@y.paco.test"
    # the reset asked at the attacker's address reaches nobody
    with django_capture_on_commit_callbacks(execute=True):
        client_for(None, town_y).post("/conta/senha/esqueci/", {"email": ATTACKER})
    assert not any(ATTACKER in message.to for message in mailoutbox)
    with pytest.raises(PermissionDenied, match="outro município"):
        update_staff_user(admin_x, town_x, admin_of_both, email=ATTACKER)


def test_single_town_servant_email_change_is_told_to_the_old_address(
    client_for, admin_x, catalog_editor_x, town_x, mailoutbox, django_capture_on_commit_callbacks
):
    catalog_editor_x.email = "antigo@x.paco.test"
    catalog_editor_x.save()
    client = client_for(admin_x, town_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/gestao/accounts/user/{catalog_editor_x.pk}/change/",
            {"first_name": "Carla", "last_name": "", "email": "novo@x.paco.test"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    catalog_editor_x.refresh_from_db()
    assert catalog_editor_x.email == "novo@x.paco.test"
    [message] = [m for m in mailoutbox if "antigo@x.paco.test" in m.to]
    assert "foi alterado" in message.subject
    assert "novo@x.paco.test" in message.body and "antigo@x.paco.test" in message.body
    assert AuditEntry.objects.filter(action="user.update", object_id=str(catalog_editor_x.pk))


def test_a_name_change_sends_no_mail(
    admin_x, catalog_editor_x, town_x, mailoutbox, django_capture_on_commit_callbacks
):
    catalog_editor_x.email = "antigo@x.paco.test"
    catalog_editor_x.save()
    with django_capture_on_commit_callbacks(execute=True):
        update_staff_user(admin_x, town_x, catalog_editor_x, first_name="Carla")
    assert mailoutbox == []


def test_nothing_is_sent_when_the_change_is_rolled_back(
    admin_x, admin_of_both, town_x, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        update_staff_user(admin_x, town_x, admin_of_both, email=ATTACKER)
    assert mailoutbox == []


def test_the_servant_changes_their_own_email_and_the_old_address_is_told(
    admin_of_both, town_x, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_staff_user(admin_of_both, town_x, admin_of_both, email="novo.y@y.paco.test")
    assert [m.to for m in mailoutbox] == [["admin.y@y.paco.test"]]


def test_the_installation_superuser_changes_a_servant_of_two_towns(
    admin_of_both, town_x, mailoutbox, django_capture_on_commit_callbacks
):
    root = User.objects.create_superuser("raiz", "raiz@paco.test", "senha-de-teste-123")
    with django_capture_on_commit_callbacks(execute=True):
        update_staff_user(root, town_x, admin_of_both, email="novo.y@y.paco.test")
    admin_of_both.refresh_from_db()
    assert admin_of_both.email == "novo.y@y.paco.test"
    assert [m.to for m in mailoutbox] == [["admin.y@y.paco.test"]]


def test_a_superuser_identity_is_not_the_town_admins(admin_x, town_x):
    root = User.objects.create_superuser("raiz", "raiz@paco.test", "senha-de-teste-123")
    grant_role(None, town_x, root, Role.CATALOG_EDITOR)
    with pytest.raises(PermissionDenied):
        update_staff_user(admin_x, town_x, root, email=ATTACKER)
    TOTPDevice.objects.create(user=root, name="app", confirmed=True)
    with pytest.raises(PermissionDenied):
        reset_second_factor(admin_x, town_x, root)
    assert TOTPDevice.objects.filter(user=root).exists()


def test_the_installation_superuser_resets_a_second_factor_of_a_servant_of_two_towns(
    admin_of_both, town_x
):
    root = User.objects.create_superuser("raiz", "raiz@paco.test", "senha-de-teste-123")
    TOTPDevice.objects.create(user=admin_of_both, name="app", confirmed=True)
    assert reset_second_factor(root, town_x, admin_of_both)
    assert not TOTPDevice.objects.filter(user=admin_of_both).exists()


def test_editors_change_nobodys_identity(catalog_editor_x, plan_editor_x, town_x):
    with pytest.raises(PermissionDenied):
        update_staff_user(catalog_editor_x, town_x, plan_editor_x, email=ATTACKER)
