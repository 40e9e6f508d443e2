"""``/conta/2fa/``: turn the TOTP second factor on (scan, confirm a code) or off."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from paco.accounts import actions, otp
from paco.accounts.forms import OTPConfirmForm, OTPDisableForm
from paco.accounts.models import User

PENDING_KEY = "paco_totp_pending_key"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if otp.has_second_factor(user):
        return _manage(request, user)
    return _enrol(request, user)


def _enrol(request: HttpRequest, user: User) -> HttpResponse:
    key = request.session.get(PENDING_KEY)
    if not key:
        key = otp.new_key()
        request.session[PENDING_KEY] = key
    form = OTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = actions.enable_totp(
                user,
                user,
                key,
                form.cleaned_data["otp_token"],
                municipality=getattr(request, "municipality", None),
            )
        except ValidationError as error:
            form.add_error("otp_token", error)
        else:
            del request.session[PENDING_KEY]
            django_otp.login(request, device)
            messages.success(request, "Verificação em duas etapas ativada.")
            return redirect("accounts:two_factor")
    context = {
        "form": form,
        "qr_svg": otp.qr_svg(user, key),
        "secret": otp.secret_for_humans(key),
    }
    return render(request, "accounts/two_factor_enable.html", context)


def _manage(request: HttpRequest, user: User) -> HttpResponse:
    form = OTPDisableForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.disable_totp(user, user, municipality=getattr(request, "municipality", None))
        messages.success(request, "Verificação em duas etapas desativada.")
        return redirect("accounts:two_factor")
    return render(request, "accounts/two_factor_manage.html", {"form": form})
