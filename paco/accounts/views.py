"""Sign in and out, change and reset the password (Django's views, pt-BR templates).

Every write goes through :mod:`paco.accounts.actions`, so each change of a
password leaves an audit entry.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse_lazy

from paco.accounts import actions, otp
from paco.accounts.forms import QueuedPasswordResetForm, StaffLoginForm
from paco.accounts.models import User
from paco.core import ratelimit
from paco.core.clientip import client_ip


def _save_password(request: HttpRequest, form: SetPasswordForm[Any], *, via: str) -> User:
    """Set the form's new password through the audited action; the user it belongs to.

    ``via`` is "change" (the signed-in user) or "reset" (an e-mailed link: the action
    makes the user the actor).
    """
    user = form.user
    assert isinstance(user, User)
    password = form.cleaned_data["new_password1"]
    municipality = getattr(request, "municipality", None)
    actions.change_password(user, user, password, municipality=municipality, via=via)
    return user


class LoginView(auth_views.LoginView):
    """One login page for the site and for the back office (``/gestao/``)."""

    form_class = StaffLoginForm
    template_name = "accounts/login.html"
    extra_context = {"title": "Entrar"}

    def get_default_redirect_url(self) -> str:
        return str(settings.LOGIN_REDIRECT_URL)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["cooloff_minutes"] = round(float(settings.AXES_COOLOFF_TIME) * 60)
        return context


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"
    next_page = "accounts:login"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # A session opened before the second factor was turned on must prove it first.
        if request.user.is_authenticated and not otp.otp_satisfied(request):
            return redirect_to_login(request.get_full_path(), None, REDIRECT_FIELD_NAME)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user = _save_password(self.request, form, via="change")
        update_session_auth_hash(self.request, user)
        return super(auth_views.PasswordChangeView, self).form_valid(form)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


RESET_BLOCKED = (
    "Muitos pedidos de redefinição de senha em pouco tempo, para este e-mail ou a partir "
    "desta conexão. Por segurança, aguarde uma hora e tente de novo; se o e-mail já chegou, "
    "use o link mais recente."
)


def reset_allowed(request: HttpRequest, email: str) -> bool:
    """Count one reset request per client address and per e-mail typed (existing or not).

    Every submission counts, whether or not the address belongs to an account, so
    the refusal says nothing about which e-mails are registered.
    """
    per_ip = ratelimit.hit(
        "password-reset:ip", client_ip(request), limit=settings.PACO_PASSWORD_RESET_PER_IP
    )
    per_email = ratelimit.hit(
        "password-reset:email", email.strip().lower(), limit=settings.PACO_PASSWORD_RESET_PER_EMAIL
    )
    return per_ip and per_email


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view, rate limited (links use the canonical host, paco.core.origin)."""

    form_class = QueuedPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not reset_allowed(self.request, form.cleaned_data["email"]):
            form.add_error(None, RESET_BLOCKED)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        _save_password(self.request, form, via="reset")
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return super(auth_views.PasswordResetConfirmView, self).form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
