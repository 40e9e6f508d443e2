"""gov.br login through a real OpenID Connect provider (django-oauth-toolkit, own process).

The Django test client drives Paço; ``requests`` drives the provider's login and consent
pages; Paço's server-to-server calls (discovery, token, keys) reach the provider over HTTP.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.messages import get_messages
from django.test import Client

from paco.accounts.models import User
from paco.audit.models import AuditEntry
from paco.citizens.access import LevelRequired, has_level, require_level
from paco.citizens.models import CitizenProfile, Level
from paco.citizens.tests.provider import ANA, JOAO, MARIA, Provider, consent, running_provider
from paco.conftest import HOST_X

CALLBACK = f"http://{HOST_X}/conta/govbr/retorno/"
LOGGED_OUT = f"http://{HOST_X}/conta/govbr/saiu/"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider([CALLBACK], [LOGGED_OUT]) as running:
        yield running


@pytest.fixture
def govbr(settings: Any, provider: Provider) -> Provider:
    settings.PACO_GOVBR_ISSUER = provider.issuer
    settings.PACO_GOVBR_CLIENT_ID = provider.client_id
    settings.PACO_GOVBR_CLIENT_SECRET = provider.client_secret
    return provider


def start(client: Client, next_url: str = "") -> str:
    answer = client.get("/conta/govbr/entrar/" + (f"?next={next_url}" if next_url else ""))
    assert answer.status_code == 302
    return answer["Location"]


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def back_to_paco(client: Client, url: str) -> Any:
    parts = urlsplit(url)
    return client.get(f"{parts.path}?{parts.query}")


def state_data(client: Client) -> tuple[str, dict[str, Any]]:
    session = client.session
    keys = [k for k in session.keys() if k.startswith("_state_govbr_")]  # noqa: SIM118
    assert len(keys) == 1, keys
    return keys[0], session[keys[0]]["data"]


def edit_state(client: Client, **changes: Any) -> None:
    session = client.session
    key, data = state_data(client)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    session[key] = {**session[key], "data": data}
    session.save()


def signed_in(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def texts(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def log_in(client: Client, person: dict[str, str]) -> Any:
    return back_to_paco(client, consent(start(client), person))


@pytest.mark.django_db
def test_the_button_shows_only_when_configured(town_x: Any, anon_x: Client, settings: Any) -> None:
    settings.PACO_GOVBR_ISSUER = ""
    assert "Entrar com <strong>gov.br</strong>" not in anon_x.get("/conta/acesso/").text
    answer = anon_x.get("/conta/govbr/entrar/")
    assert answer.status_code == 302 and answer["Location"] == "/conta/acesso/"
    settings.PACO_GOVBR_ISSUER, settings.PACO_GOVBR_CLIENT_ID = "https://sso.exemplo", "paco"
    assert "Entrar com <strong>gov.br</strong>" in anon_x.get("/conta/acesso/").text


@pytest.mark.django_db
def test_authorization_request_uses_pkce_s256_state_and_nonce(
    govbr: Provider, town_x: Any, anon_x: Client
) -> None:
    params = query(start(anon_x))
    assert params["response_type"] == "code"
    assert params["client_id"] == govbr.client_id
    assert params["redirect_uri"] == CALLBACK
    assert params["scope"].split() == [
        "openid", "email", "profile", "govbr_confiabilidades", "govbr_confiabilidades_idtoken"
    ]  # fmt: skip
    assert params["code_challenge_method"] == "S256"
    _key, data = state_data(anon_x)
    digest = hashlib.sha256(data["code_verifier"].encode()).digest()
    assert params["code_challenge"] == base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    assert params["nonce"] == data["nonce"] and len(params["nonce"]) >= 20
    assert len(params["state"]) >= 20


@pytest.mark.django_db
def test_first_login_creates_the_account_with_cpf_and_level(
    govbr: Provider, town_x: Any, anon_x: Client
) -> None:
    answer = log_in(anon_x, MARIA)
    assert answer.status_code == 302 and answer["Location"] == "/conta/"
    user = signed_in(anon_x)
    assert user is not None and user.email == MARIA["email"]
    profile = user.citizen_profile
    assert profile.cpf == MARIA["cpf"] and profile.cpf_verified_at is not None
    assert profile.govbr_level == Level.PRATA and profile.govbr_level_seen_at is not None
    assert profile.email_verified
    page = anon_x.get("/conta/")
    assert "nível prata" in page.text and "529.982.247-25" in page.text
    entry = AuditEntry.objects.get(action="citizen.govbr_create")
    assert MARIA["cpf"] not in str(entry.changes) and "maria@" not in str(entry.changes)
    assert MARIA["cpf"] not in entry.object_repr


@pytest.mark.django_db
def test_state_mismatch_is_refused(govbr: Provider, town_x: Any, anon_x: Client) -> None:
    back = consent(start(anon_x), MARIA)
    forged = back.replace(f"state={query(back)['state']}", "state=estado-forjado")
    answer = back_to_paco(anon_x, forged)
    assert answer.status_code == 302 and answer["Location"] == "/conta/acesso/"
    assert signed_in(anon_x) is None
    assert not CitizenProfile.objects.exists()
    assert any("Não foi possível entrar com o gov.br" in t for t in texts(answer))


@pytest.mark.django_db
def test_nonce_mismatch_is_refused(govbr: Provider, town_x: Any, anon_x: Client) -> None:
    authorize = start(anon_x)
    edit_state(anon_x, nonce="outro-nonce-que-o-provedor-nao-viu")
    answer = back_to_paco(anon_x, consent(authorize, MARIA))
    assert answer["Location"] == "/conta/acesso/"
    assert signed_in(anon_x) is None and not CitizenProfile.objects.exists()


@pytest.mark.django_db
def test_the_pkce_verifier_is_what_the_provider_checks(
    govbr: Provider, town_x: Any, anon_x: Client
) -> None:
    """Without the verifier Paço keeps, the provider refuses the code: so Paço sends it."""
    authorize = start(anon_x)
    edit_state(anon_x, code_verifier="x" * 50)
    answer = back_to_paco(anon_x, consent(authorize, MARIA))
    assert answer["Location"] == "/conta/acesso/" and signed_in(anon_x) is None


@pytest.mark.django_db
def test_links_the_account_that_holds_the_cpf_with_the_same_confirmed_email(
    govbr: Provider, town_x: Any, anon_x: Client
) -> None:
    from django.utils import timezone

    user = User.objects.create_user("conta-antiga", email="MARIA@exemplo.org", password="x")
    CitizenProfile.objects.create(user=user, cpf=MARIA["cpf"], email_verified_at=timezone.now())
    log_in(anon_x, MARIA)
    assert signed_in(anon_x) == user
    assert User.objects.filter(citizen_profile__isnull=False).count() == 1
    assert AuditEntry.objects.filter(action="citizen.govbr_link").exists()


@pytest.mark.django_db
def test_an_unconfirmed_cpf_typed_by_someone_else_does_not_hand_over_its_account(
    govbr: Provider, town_x: Any, anon_x: Client
) -> None:
    squatter = User.objects.create_user("outra-pessoa", email="outra@exemplo.org", password="x")
    CitizenProfile.objects.create(user=squatter, cpf=MARIA["cpf"])
    log_in(anon_x, MARIA)
    user = signed_in(anon_x)
    assert user is not None and user != squatter
    assert user.citizen_profile.cpf == MARIA["cpf"]
    squatter.citizen_profile.refresh_from_db()
    assert squatter.citizen_profile.cpf == ""
    entry = AuditEntry.objects.get(action="citizen.cpf_released")
    assert MARIA["cpf"] not in str(entry.changes)


@pytest.mark.django_db
def test_a_signed_in_citizen_links_gov_br_to_their_account(
    govbr: Provider, town_x: Any, client_for: Any
) -> None:
    from django.utils import timezone

    user = User.objects.create_user("cidadao-com-senha", email="joao@outro.org", password="x")
    CitizenProfile.objects.create(user=user, email_verified_at=timezone.now())
    client = client_for(user, town_x)
    answer = back_to_paco(client, consent(start(client, "/conta/"), JOAO))
    assert answer["Location"] == "/conta/"
    assert signed_in(client) == user
    user.citizen_profile.refresh_from_db()
    assert user.citizen_profile.cpf == JOAO["cpf"]
    assert user.citizen_profile.govbr_level == Level.OURO


@pytest.mark.django_db
def test_the_level_is_kept_and_services_can_require_one(
    govbr: Provider, town_x: Any, client_for: Any
) -> None:
    joao, ana = Client(HTTP_HOST=HOST_X), Client(HTTP_HOST=HOST_X)
    log_in(joao, JOAO)
    log_in(ana, ANA)
    strong, weak = signed_in(joao), signed_in(ana)
    assert has_level(strong, "prata") and has_level(strong, "ouro")
    require_level(strong, "prata")
    assert has_level(weak, "bronze") and not has_level(weak, "prata")
    with pytest.raises(LevelRequired, match="nível prata"):
        require_level(weak, "prata")
    with pytest.raises(LevelRequired):
        require_level(None, "bronze")


@pytest.mark.django_db
def test_logout_ends_the_provider_session_too(govbr: Provider, town_x: Any, anon_x: Client) -> None:
    at_provider = requests.Session()
    back_to_paco(anon_x, consent(start(anon_x), MARIA, at_provider))
    assert signed_in(anon_x) is not None
    answer = anon_x.post("/conta/acesso/sair/")
    assert signed_in(anon_x) is None
    end_session = answer["Location"]
    assert end_session.startswith(f"{govbr.issuer}/logout/")
    params = query(end_session)
    assert params["post_logout_redirect_uri"] == LOGGED_OUT and params["id_token_hint"]
    bye = at_provider.get(end_session, allow_redirects=False, timeout=30)
    assert bye.status_code == 302 and bye.headers["Location"].startswith(LOGGED_OUT)
    landed = back_to_paco(anon_x, bye.headers["Location"])
    assert landed["Location"] == "/"
    assert "Você saiu da sua conta e do gov.br." in texts(landed)
    # the provider's session is gone: the next authorization asks for the password again
    again = at_provider.get(start(anon_x), timeout=30)
    assert "/accounts/login/" in again.url


@pytest.mark.django_db
def test_only_a_gov_br_session_may_post_the_logout_form_to_the_provider(
    govbr: Provider, town_x: Any, anon_x: Client, client_for: Any
) -> None:
    log_in(anon_x, MARIA)
    policy = anon_x.get("/conta/")["Content-Security-Policy"]
    assert f"form-action 'self' http://127.0.0.1:{govbr.port}" in policy
    from paco.citizens.tests.helpers import make_citizen

    other = client_for(make_citizen("Ana", "ana@exemplo.org"), town_x)
    assert "form-action 'self';" in other.get("/conta/")["Content-Security-Policy"] + ";"
