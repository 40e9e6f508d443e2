"""Password-reset e-mails are rate limited per e-mail typed and per client address.

The refusal is the same for a registered and an unknown e-mail (no enumeration),
and behind the proxy the address counted is the real client's.
"""

import pytest
from django.core import mail
from django.test import Client, override_settings

RESET = "/conta/senha/esqueci/"
BLOCKED = "Muitos pedidos de redefinição de senha"


@pytest.fixture
def with_email(admin_x):
    admin_x.email = "admin@x.paco.test"
    admin_x.save()
    return admin_x


def ask(client, email, capture):
    with capture(execute=True):
        return client.post(RESET, {"email": email})


def from_address(address):
    return Client(HTTP_HOST="x.paco.test", REMOTE_ADDR=address)


@override_settings(PACO_PASSWORD_RESET_PER_EMAIL=2, PACO_PASSWORD_RESET_PER_IP=50)
@pytest.mark.parametrize("email", ["admin@x.paco.test", "ninguem@x.paco.test"])
def test_per_email_limit_refuses_the_same_way_for_known_and_unknown(
    with_email, email, django_capture_on_commit_callbacks
):
    codes = [
        ask(from_address(f"10.0.0.{n}"), email, django_capture_on_commit_callbacks).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    refused = ask(from_address("10.0.0.9"), email.upper(), django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert BLOCKED in refused.content.decode()
    assert len(mail.outbox) == (2 if email.startswith("admin") else 0)


@override_settings(PACO_PASSWORD_RESET_PER_EMAIL=50, PACO_PASSWORD_RESET_PER_IP=3)
def test_per_client_limit_covers_many_emails(with_email, django_capture_on_commit_callbacks):
    client = from_address("10.0.0.1")
    codes = [
        ask(client, f"x{n}@x.paco.test", django_capture_on_commit_callbacks).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 302]
    refused = ask(client, "admin@x.paco.test", django_capture_on_commit_callbacks)
    assert refused.status_code == 429
    assert mail.outbox == []
    other = ask(from_address("10.0.0.2"), "admin@x.paco.test", django_capture_on_commit_callbacks)
    assert other.status_code == 302
    assert len(mail.outbox) == 1


@override_settings(
    PACO_PASSWORD_RESET_PER_EMAIL=50,
    PACO_PASSWORD_RESET_PER_IP=1,
    PACO_BEHIND_PROXY=True,
)
def test_behind_the_proxy_the_limit_is_per_real_client(
    with_email, django_capture_on_commit_callbacks
):
    def via_proxy(address):
        return Client(
            HTTP_HOST="x.paco.test", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address
        )

    capture = django_capture_on_commit_callbacks
    assert ask(via_proxy("203.0.113.1"), "a@x.paco.test", capture).status_code == 302
    assert ask(via_proxy("203.0.113.1"), "b@x.paco.test", capture).status_code == 429
    assert ask(via_proxy("203.0.113.2"), "c@x.paco.test", capture).status_code == 302


def test_default_limits_are_set():
    from django.conf import settings

    assert 1 <= settings.PACO_PASSWORD_RESET_PER_EMAIL <= settings.PACO_PASSWORD_RESET_PER_IP
