"""The gov.br login pages: start (redirect to the provider), return, and after logout."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from paco.accounts.models import User
from paco.citizens import actions, govbr
from paco.citizens.views import BACKEND, safe_next

UNAVAILABLE = "O acesso com gov.br não está disponível neste site. Entre com e-mail ou CPF e senha."
FAILED = (
    "Não foi possível entrar com o gov.br (a resposta não pôde ser confirmada). "
    "Tente de novo; se o problema continuar, entre com e-mail ou CPF e senha."
)


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    if not govbr.configured():
        messages.info(request, UNAVAILABLE)
        return redirect("citizens:login")
    request.session[govbr.SESSION_NEXT] = safe_next(request)
    redirect_uri = request.build_absolute_uri(reverse("citizens:govbr_callback"))
    try:
        return govbr.client().authorize_redirect(request, redirect_uri)
    except Exception as exc:  # the provider's discovery document is unavailable
        govbr.logger.warning("gov.br: início do acesso falhou (%s)", exc.__class__.__name__)
        messages.error(request, FAILED)
        return redirect("citizens:login")


@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    """Authlib checks state, sends the PKCE verifier, validates the ID token and nonce."""
    if not govbr.configured():
        messages.info(request, UNAVAILABLE)
        return redirect("citizens:login")
    next_url = request.session.pop(govbr.SESSION_NEXT, "") or reverse("citizens:account")
    try:
        token = govbr.client().authorize_access_token(request)
    except Exception as exc:  # state, code, signature, issuer, audience, nonce, network
        govbr.logger.warning("gov.br: retorno recusado (%s)", exc.__class__.__name__)
        messages.error(request, FAILED)
        return redirect("citizens:login")
    claims = govbr.claims_of(token)
    if not claims.get("sub") or not token.get("id_token"):
        govbr.logger.warning("gov.br: retorno sem ID token")
        messages.error(request, FAILED)
        return redirect("citizens:login")
    current = request.user if isinstance(request.user, User) else None
    try:
        result = actions.govbr_login(
            getattr(request, "municipality", None), claims=claims, current=current
        )
    except actions.GovBrRefused as refused:
        messages.error(request, str(refused))
        return redirect("citizens:login")
    auth_login(request, result.user, backend=BACKEND)
    request.session[govbr.SESSION_ID_TOKEN] = token["id_token"]
    if result.linked:
        messages.success(request, "Sua conta gov.br foi ligada a esta conta.")
    return redirect(next_url)


@never_cache
def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends people back after logout (its ``state`` is checked)."""
    if govbr.configured():
        try:
            govbr.client().validate_logout_response(request)
        except Exception:  # no or wrong state: say nothing more than "you are out"
            messages.success(request, "Você saiu da sua conta.")
        else:
            messages.success(request, "Você saiu da sua conta e do gov.br.")
    return redirect("/")
