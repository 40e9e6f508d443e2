"""gov.br login (OpenID Connect) through Authlib's Django client.

Authorization code with PKCE (S256), ``state`` and ``nonce``: Authlib makes all three,
keeps them in the session (``_state_govbr_<state>``), checks ``state`` on the way
back, sends the ``code_verifier`` with the code, and checks the ID token's signature
(the provider's JWKS), issuer, audience, expiry and ``nonce``. Paço keeps its own
session afterwards; the ID token stays in the session only as the hint for logout.

Settings (``paco/env.py``, README): ``PACO_GOVBR_ISSUER``, ``PACO_GOVBR_CLIENT_ID``,
``PACO_GOVBR_CLIENT_SECRET``, ``PACO_GOVBR_SCOPES``. Without issuer and client id the
button is not shown and these views send people back to the password login.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

NAME = "govbr"
SESSION_ID_TOKEN = "paco_govbr_id_token"  # noqa: S105 (a session key)
SESSION_NEXT = "paco_govbr_next"


def configured() -> bool:
    return bool(settings.PACO_GOVBR_ISSUER and settings.PACO_GOVBR_CLIENT_ID)


def client() -> DjangoOAuth2App:
    return _client(
        settings.PACO_GOVBR_ISSUER.rstrip("/"),
        settings.PACO_GOVBR_CLIENT_ID,
        settings.PACO_GOVBR_CLIENT_SECRET,
        settings.PACO_GOVBR_SCOPES,
    )


@lru_cache(maxsize=4)
def _client(issuer: str, client_id: str, secret: str, scopes: str) -> DjangoOAuth2App:
    """One client per configuration (tests change it); the discovery document is cached."""
    registry = OAuth()
    app = registry.register(
        name=NAME,
        client_id=client_id,
        client_secret=secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": scopes,
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic" if secret else "none",
            "default_timeout": settings.PACO_GOVBR_TIMEOUT_SECONDS,
        },
    )
    assert isinstance(app, DjangoOAuth2App)
    return app


def allow_logout_form(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Let this page's "Sair" form end up at the provider's logout (CSP ``form-action``).

    Browsers apply ``form-action`` to every redirect of a form's navigation, and the
    logout POST redirects to the provider's ``end_session_endpoint``, on the issuer's
    origin: only pages of a session opened with gov.br allow that one origin.
    """
    if configured() and request.session.get(SESSION_ID_TOKEN):
        parts = urlsplit(settings.PACO_GOVBR_ISSUER)
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
    return response


__all__ = ["NAME", "OAuthError", "allow_logout_form", "claims_of", "client", "configured"]


def claims_of(token: dict[str, Any]) -> dict[str, Any]:
    """The ID token's claims Authlib validated (``userinfo``), or ``{}``."""
    info = token.get("userinfo")
    return dict(info) if info else {}
