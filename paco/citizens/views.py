"""Citizens' public pages under ``/conta/``: sign up, confirm the e-mail, log in and out,
reset the password, "Minha conta" and "Meus dados".

Thin views: every write is a function of :mod:`paco.citizens.actions`. The answer to
sign-up and password reset is the same whether the e-mail or CPF has an account.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from paco.accounts.models import User
from paco.accounts.views import reset_allowed
from paco.citizens import actions, govbr, mydata, tokens
from paco.citizens import cpf as cpfs
from paco.citizens.forms import (
    CitizenPasswordResetForm,
    ContactForm,
    DeletionRequestForm,
    LoginForm,
    SignUpForm,
)
from paco.citizens.models import CitizenProfile, DeletionRequest
from paco.core import ratelimit
from paco.core.clientip import client_ip
from paco.tenancy.access import current_municipality

BACKEND = "paco.citizens.backends.CitizenBackend"
TOO_MANY = (
    "Muitas tentativas a partir desta conexão em pouco tempo. Por segurança, aguarde "
    "uma hora e tente de novo."
)


def root_of(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def safe_next(request: HttpRequest, default: str = "") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default or reverse("citizens:account")


def citizen_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → the citizens' login; a signed-in servant without a citizen profile →
    a page saying this area is for citizens (nothing breaks)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("citizens:login"))
        profile = actions.profile_of(request.user)
        if profile is None:
            return render(request, "citizens/not_citizen.html", {"title": "Minha conta"})
        return view(request, profile, *args, **kwargs)

    return wrapper


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"govbr_enabled": govbr.configured(), **extra}


# --- sign up and e-mail confirmation ---------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        limit = settings.PACO_CITIZEN_SIGNUP_PER_IP
        if not ratelimit.hit("citizen-signup:ip", client_ip(request), limit=limit):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            data = form.cleaned_data
            try:
                actions.sign_up(
                    getattr(request, "municipality", None),
                    name=data["name"],
                    email=data["email"],
                    password=data["password"],
                    cpf=data["cpf"],
                    phone=data["phone"],
                    channel=data["channel"],
                    root=root_of(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                request.session["paco_signup_email"] = data["email"]
                return redirect("citizens:signup_sent")
    context = _context(request, form=form, title="Criar conta")
    return render(request, "citizens/signup.html", context, status=status)


@never_cache
def sign_up_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get("paco_signup_email", "")
    return render(
        request, "citizens/signup_sent.html", {"email": email, "title": "Confira o seu e-mail"}
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    found = tokens.read(token)
    user = User.objects.filter(pk=found[0], is_active=True).first() if found else None
    if found is None or user is None or not hasattr(user, "citizen_profile"):
        return render(request, "citizens/verify.html", {"invalid": True, "title": "Link inválido"})
    if request.method == "POST":
        try:
            first = actions.verify_email(
                user, email=found[1], municipality=getattr(request, "municipality", None)
            )
        except ValidationError as exc:
            return render(
                request,
                "citizens/verify.html",
                {"invalid": True, "reason": exc.messages[0], "title": "Link inválido"},
            )
        if not first:  # a link works once: afterwards it signs nobody in
            messages.info(request, "Este e-mail já estava confirmado. Entre com a sua senha.")
            return redirect("citizens:login")
        auth_login(request, user, backend=BACKEND)
        messages.success(request, "E-mail confirmado. Bem-vindo(a)!")
        return redirect("citizens:account")
    return render(request, "citizens/verify.html", {"title": "Confirmar e-mail"})


# --- log in and out --------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, request.POST or None)
    status = 200
    if request.method == "POST":
        limit = settings.PACO_CITIZEN_LOGIN_PER_IP
        if not ratelimit.hit("citizen-login:ip", client_ip(request), limit=limit):
            form.is_valid()
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.is_valid() and form.user is not None:
            auth_login(request, form.user, backend=BACKEND)
            return redirect(safe_next(request))
        else:
            status = 200
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    context = _context(request, form=form, next=next_url, title="Entrar")
    return render(request, "citizens/login.html", context, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    """End Paço's session; after a gov.br login, also the provider's (RP-initiated logout)."""
    id_token = request.session.get(govbr.SESSION_ID_TOKEN, "")
    auth_logout(request)
    if id_token and govbr.configured():
        try:
            return govbr.client().logout_redirect(
                request,
                post_logout_redirect_uri=request.build_absolute_uri(
                    reverse("citizens:govbr_logged_out")
                ),
                id_token_hint=id_token,
                client_id=settings.PACO_GOVBR_CLIENT_ID,
            )
        except Exception as exc:  # the provider's logout address is unavailable
            govbr.logger.warning("gov.br: saída sem o provedor (%s)", exc.__class__.__name__)
    messages.success(request, "Você saiu da sua conta.")
    return redirect("/")


# --- password reset --------------------------------------------------------------------------
class PasswordResetView(auth_views.PasswordResetView):
    form_class = CitizenPasswordResetForm
    template_name = "citizens/password_reset_form.html"
    success_url = reverse_lazy("citizens:password_reset_done")
    extra_context = {"title": "Recuperar a senha"}

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "citizens/password_reset_done.html"
    extra_context = {"title": "Confira o seu e-mail"}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "citizens/password_reset_confirm.html"
    success_url = reverse_lazy("citizens:password_reset_complete")
    extra_context = {"title": "Nova senha"}

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        user = form.user
        assert isinstance(user, User)
        actions.reset_password(
            user,
            form.cleaned_data["new_password1"],
            municipality=getattr(self.request, "municipality", None),
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return super(auth_views.PasswordResetConfirmView, self).form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "citizens/password_reset_complete.html"
    extra_context = {"title": "Senha alterada"}


# --- Minha conta -----------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def account(request: HttpRequest, profile: CitizenProfile) -> HttpResponse:
    user = profile.user
    initial = {"phone": profile.phone, "channel": profile.preferred_channel}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.update_contact(
            user,
            user,
            phone=form.cleaned_data["phone"],
            channel=form.cleaned_data["channel"],
            municipality=getattr(request, "municipality", None),
        )
        messages.success(request, "Dados de contato atualizados.")
        return redirect("citizens:account")
    context = _context(
        request,
        form=form,
        profile=profile,
        cpf_formatted=cpfs.formatted(profile.cpf),
        title="Minha conta",
    )
    return govbr.allow_logout_form(request, render(request, "citizens/account.html", context))


# --- Meus dados ------------------------------------------------------------------------------
@never_cache
@citizen_required
def my_data(request: HttpRequest, profile: CitizenProfile) -> HttpResponse:
    town = current_municipality(request)
    deletions = DeletionRequest.objects.for_municipality(town).filter(citizen=profile.user)
    context = {
        "sections": mydata.sections(profile.user, town),
        "deletions": list(deletions),
        "title": "Meus dados",
    }
    return render(request, "citizens/my_data.html", context)


@never_cache
@citizen_required
def my_data_export(request: HttpRequest, profile: CitizenProfile) -> HttpResponse:
    town = current_municipality(request)
    data = {
        "municipio": town.display_name,
        "gerado_em": timezone.now(),
        "secoes": mydata.export(profile.user, town),
    }
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meus-dados.json"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@citizen_required
def deletion_request(request: HttpRequest, profile: CitizenProfile) -> HttpResponse:
    town = current_municipality(request)
    form = DeletionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_deletion(profile.user, town, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(
                request, "Pedido de exclusão enviado. A prefeitura responderá por e-mail."
            )
            return redirect("citizens:my_data")
    return render(
        request,
        "citizens/deletion_request.html",
        {"form": form, "title": "Pedir exclusão dos dados"},
    )
