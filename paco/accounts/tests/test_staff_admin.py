"""Municipal administrators manage their own servants in the back office."""

import pytest

from paco.accounts.models import Role, StaffMembership, User
from paco.audit.models import AuditEntry

NEW = {
    "username": "nova.servidora",
    "first_name": "Nova",
    "last_name": "Servidora",
    "email": "nova@x.paco.test",
    "password": "cavalo-bateria-grampo-77",
    "role": Role.PLAN_EDITOR,
}


def test_admin_creates_a_servant_with_a_role(client_for, admin_x, town_x, unit_x_a):
    client = client_for(admin_x, town_x)
    response = client.post("/gestao/accounts/user/add/", {**NEW, "unit": unit_x_a.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="nova.servidora")
    assert user.check_password(NEW["password"])
    membership = StaffMembership.objects.get(user=user)
    assert (membership.municipality, membership.role, membership.unit) == (
        town_x,
        Role.PLAN_EDITOR,
        unit_x_a,
    )
    actions = set(
        AuditEntry.objects.filter(object_id=str(user.pk)).values_list("action", flat=True)
    )
    assert "user.create" in actions


def test_weak_password_is_refused_in_portuguese(client_for, admin_x, town_x):
    response = client_for(admin_x, town_x).post(
        "/gestao/accounts/user/add/", {**NEW, "password": "12345678"}
    )
    assert response.status_code == 200
    assert "senha" in response.content.decode().lower()
    assert not User.objects.filter(username="nova.servidora").exists()


def test_list_shows_only_this_municipalitys_servants(client_for, admin_x, admin_y, town_x):
    page = client_for(admin_x, town_x).get("/gestao/accounts/user/").content.decode()
    assert "admin_x" in page
    assert "admin_y" not in page


def test_other_municipality_servant_cannot_be_opened(client_for, admin_x, admin_y, town_x):
    response = client_for(admin_x, town_x).get(f"/gestao/accounts/user/{admin_y.pk}/change/")
    assert response.status_code == 302  # Django admin redirects a missing object to the index


def test_role_choices_offer_only_this_municipalitys_servants(client_for, admin_x, admin_y, town_x):
    page = client_for(admin_x, town_x).get("/gestao/accounts/staffmembership/add/").content.decode()
    assert ">admin_x<" in page
    assert "admin_y" not in page


@pytest.mark.parametrize("who", ["catalog_editor_x", "plan_editor_x", "admin_y"])
def test_only_administrators_of_the_town_manage_servants(request, client_for, town_x, who):
    user = request.getfixturevalue(who)
    response = client_for(user, town_x).get("/gestao/accounts/user/")
    assert response.status_code in (302, 403)


def test_admin_edits_name_with_audit(client_for, admin_x, catalog_editor_x, town_x):
    response = client_for(admin_x, town_x).post(
        f"/gestao/accounts/user/{catalog_editor_x.pk}/change/",
        {"first_name": "Carla", "last_name": "Editora", "email": "carla@x.paco.test"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    catalog_editor_x.refresh_from_db()
    assert catalog_editor_x.first_name == "Carla"
    entry = AuditEntry.objects.get(action="user.update", object_id=str(catalog_editor_x.pk))
    assert entry.changes["first_name"] == ["", "Carla"]


def _with_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def _has_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user).exists()


def _reset(client, user):
    return client.post(
        "/gestao/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
        follow=True,
    )


def test_admin_turns_off_a_servants_lost_second_factor(
    client_for, admin_x, catalog_editor_x, town_x
):
    _with_device(catalog_editor_x)
    page = _reset(client_for(admin_x, town_x), catalog_editor_x).content.decode()
    assert "verificação em duas etapas desativada" in page
    assert not _has_device(catalog_editor_x)
    entry = AuditEntry.objects.get(action="user.totp_reset")
    assert (entry.actor, entry.object_id) == (admin_x, str(catalog_editor_x.pk))


def test_a_servant_of_two_towns_is_left_to_the_installation_admin(
    client_for, admin_x, catalog_editor_x, town_x, town_y
):
    from paco.accounts.actions import grant_role

    grant_role(None, town_y, catalog_editor_x, Role.CATALOG_EDITOR)
    _with_device(catalog_editor_x)
    page = _reset(client_for(admin_x, town_x), catalog_editor_x).content.decode()
    assert "também atua em outro município" in page
    assert _has_device(catalog_editor_x)


@pytest.mark.parametrize("who", ["plan_editor_x", "catalog_editor_x"])
def test_only_administrators_reset_second_factors(request, client_for, town_x, admin_x, who):
    _with_device(admin_x)
    _reset(client_for(request.getfixturevalue(who), town_x), admin_x)
    assert _has_device(admin_x)
