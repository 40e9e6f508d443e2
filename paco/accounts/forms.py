"""Forms for signing in, the second factor and password reset (all in pt-BR)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction

from paco.accounts import otp
from paco.accounts.models import User

TOKEN_ATTRS = {
    "autocomplete": "one-time-code",
    "inputmode": "numeric",
    "pattern": "[0-9]*",
    "maxlength": "6",
}


def token_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label="Código de verificação",
        required=required,
        max_length=6,
        min_length=6,
        strip=True,
        widget=forms.TextInput(attrs=TOKEN_ATTRS),
        error_messages={
            "min_length": "O código tem 6 dígitos.",
            "max_length": "O código tem 6 dígitos.",
            "required": "Informe o código de 6 dígitos do aplicativo autenticador.",
        },
    )


class StaffLoginForm(AuthenticationForm):
    """Username + password, plus the TOTP code for users who turned the second factor on.

    ``authenticate`` receives the request (django-axes needs it to count
    failures). A wrong or missing code counts as a failed login too.
    """

    otp_token = token_field(required=False)
    otp_token.help_text = "Só para quem ativou a verificação em duas etapas."

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Usuário ou senha incorretos. Atenção: maiúsculas e minúsculas "
        "fazem diferença.",
        "inactive": "Esta conta está desativada.",
        "otp_required": "Sua conta usa verificação em duas etapas: informe o código de "
        "6 dígitos do aplicativo autenticador.",
        "otp_invalid": "Código de verificação inválido ou expirado. Tente o código atual.",
    }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is None:
            return cleaned
        device = otp.confirmed_device(user)
        if device is None:
            return cleaned
        token = (cleaned.get("otp_token") or "").strip()
        if not token:
            self._otp_failed()
            raise forms.ValidationError(self.error_messages["otp_required"], "otp_required")
        if not device.verify_token(token):
            self._otp_failed()
            raise forms.ValidationError(self.error_messages["otp_invalid"], "otp_invalid")
        user.otp_device = device  # type: ignore[attr-defined]  # read by django_otp on login
        return cleaned

    def _otp_failed(self) -> None:
        """Report the failure to django-axes (and anyone listening) like a bad password."""
        username = self.cleaned_data.get("username")
        self.user_cache = None
        user_login_failed.send(
            sender=__name__,
            credentials={"username": username},
            request=self.request,
        )


class OTPConfirmForm(forms.Form):
    otp_token = token_field(required=True)


class OTPDisableForm(forms.Form):
    password = forms.CharField(
        label="Sua senha",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = token_field(required=True)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Senha incorreta.")
        return password

    def clean_otp_token(self) -> str:
        token: str = self.cleaned_data["otp_token"]
        device = otp.confirmed_device(self.user)
        if device is None or not device.verify_token(token):
            raise forms.ValidationError("Código de verificação inválido ou expirado.")
        return token


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form; the e-mail is built and sent by a task after commit.

    Only the user's id is queued (see :func:`paco.accounts.tasks.send_password_reset`).
    """

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from paco.accounts.tasks import send_password_reset

        user_id, domain, protocol = context["user"].pk, context["domain"], context["protocol"]
        transaction.on_commit(lambda: send_password_reset.enqueue(user_id, domain, protocol))
