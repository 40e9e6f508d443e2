"""Optional TOTP second factor: enrolment at /conta/2fa/, login with a code, turning it off."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from paco.accounts import otp
from paco.accounts.tests.helpers import PASSWORD, login, totp_code, wrong_code
from paco.audit.models import AuditEntry


@pytest.fixture
def device_x(admin_x):
    return TOTPDevice.objects.create(user=admin_x, name="app", confirmed=True)


@pytest.fixture
def no_throttle(settings):
    # django-otp waits 1 s, 2 s, 4 s... after each wrong code; the tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_user_without_device_logs_in_with_password_only(anon_x, admin_x):
    response = login(anon_x, "admin_x", PASSWORD)
    assert response.status_code == 302
    assert anon_x.get("/gestao/").status_code == 200


def test_user_with_device_needs_the_code(anon_x, device_x):
    response = login(anon_x, "admin_x", PASSWORD)
    assert response.status_code == 200
    assert "informe o código de 6 dígitos" in response.content.decode()
    assert "_auth_user_id" not in anon_x.session


@pytest.mark.usefixtures("no_throttle")
def test_wrong_code_refused_right_code_accepted(anon_x, device_x):
    refused = login(anon_x, "admin_x", PASSWORD, token=wrong_code(device_x))
    assert refused.status_code == 200
    assert "Código de verificação inválido" in refused.content.decode()
    assert "_auth_user_id" not in anon_x.session
    accepted = login(anon_x, "admin_x", PASSWORD, token=totp_code(device_x))
    assert accepted.status_code == 302
    assert anon_x.session["otp_device_id"] == device_x.persistent_id
    assert anon_x.get("/gestao/").status_code == 200


def test_code_cannot_be_replayed(anon_x, device_x):
    code = totp_code(device_x)
    assert login(anon_x, "admin_x", PASSWORD, token=code).status_code == 302
    anon_x.post("/conta/sair/")
    assert login(anon_x, "admin_x", PASSWORD, token=code).status_code == 200


def test_right_code_with_wrong_password_is_refused(anon_x, device_x):
    response = login(anon_x, "admin_x", "senha-errada-123", token=totp_code(device_x))
    assert response.status_code == 200
    assert "_auth_user_id" not in anon_x.session


@pytest.mark.usefixtures("no_throttle")
def test_wrong_codes_count_towards_the_lockout(anon_x, device_x, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = login(anon_x, "admin_x", PASSWORD, token=wrong_code(device_x))
    assert last.status_code == 429
    assert login(anon_x, "admin_x", PASSWORD, token=totp_code(device_x)).status_code == 429


def test_back_office_requires_verified_session_for_device_owners(client_for, town_x, device_x):
    # Logged in with the password alone (e.g. a session from before 2FA was turned on).
    client = client_for(device_x.user, town_x)
    response = client.get("/gestao/")
    assert response.status_code == 302
    assert response["Location"].startswith("/gestao/login/")
    done = client.post(
        "/gestao/login/?next=/gestao/",
        {"username": "admin_x", "password": PASSWORD, "otp_token": totp_code(device_x)},
    )
    assert done["Location"] == "/gestao/"
    assert client.get("/gestao/").status_code == 200


def test_two_factor_page_needs_login(anon_x):
    response = anon_x.get("/conta/2fa/")
    assert response.status_code == 302
    assert response["Location"].startswith("/conta/entrar/")


def test_enrolment_shows_qr_and_secret_then_needs_a_valid_code(client_for, town_x, admin_x):
    client = client_for(admin_x, town_x)
    page = client.get("/conta/2fa/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg role="img"' in html
    assert "<title>" in html
    key = client.session["paco_totp_pending_key"]
    assert otp.secret_for_humans(key) in html
    assert "<script" not in html
    assert "style=" not in html
    pending = otp.unsaved_device(admin_x, key)

    refused = client.post("/conta/2fa/", {"otp_token": "123"})
    assert "O código tem 6 dígitos" in refused.content.decode()
    refused = client.post("/conta/2fa/", {"otp_token": wrong_code(pending)})
    assert "Código inválido" in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=admin_x).exists()
    # The secret stays the same between attempts, so the app need not be set up again.
    assert client.session["paco_totp_pending_key"] == key

    enabled = client.post("/conta/2fa/", {"otp_token": totp_code(pending)})
    assert enabled.status_code == 302
    device = TOTPDevice.objects.get(user=admin_x)
    assert device.confirmed and device.key == key
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/gestao/").status_code == 200
    entry = AuditEntry.objects.get(action="user.totp_enable")
    assert entry.actor == admin_x
    assert key not in str(entry.changes)


def test_disable_needs_password_and_code(client_for, town_x, device_x, no_throttle):
    admin_x = device_x.user
    client = client_for(admin_x, town_x)
    page = client.get("/conta/2fa/")
    assert "Situação: ativada" in page.content.decode()
    bad_password = client.post(
        "/conta/2fa/", {"password": "outra-senha-qualquer", "otp_token": totp_code(device_x)}
    )
    assert "Senha incorreta" in bad_password.content.decode()
    bad_code = client.post("/conta/2fa/", {"password": PASSWORD, "otp_token": wrong_code(device_x)})
    assert "Código de verificação inválido" in bad_code.content.decode()
    assert TOTPDevice.objects.filter(user=admin_x).exists()
    done = client.post("/conta/2fa/", {"password": PASSWORD, "otp_token": totp_code(device_x, 1)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=admin_x).exists()
    entry = AuditEntry.objects.get(action="user.totp_disable")
    assert entry.actor == admin_x
    assert PASSWORD not in str(entry.changes)
    client.post("/conta/sair/")
    assert login(client, "admin_x", PASSWORD).status_code == 302


def test_password_reset_does_not_switch_the_second_factor_off(anon_x, device_x):
    from paco.accounts import actions

    actions.change_password(None, device_x.user, "nova-senha-bem-comprida-1", via="reset")
    assert login(anon_x, "admin_x", "nova-senha-bem-comprida-1").status_code == 200
    assert TOTPDevice.objects.filter(user=device_x.user, confirmed=True).exists()
    ok = login(anon_x, "admin_x", "nova-senha-bem-comprida-1", token=totp_code(device_x))
    assert ok.status_code == 302
