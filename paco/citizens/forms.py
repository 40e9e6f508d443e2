"""Citizens' forms, in pt-BR, errors next to each field; nothing typed is lost on an error."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import (
    password_validators_help_text_html,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from paco.accounts.models import User
from paco.citizens import cpf as cpfs
from paco.citizens.models import Channel, CitizenProfile, DeletionStatus

PHONE_HELP = "Com DDD, por exemplo (49) 99999-1234. Opcional."


def clean_phone(value: str) -> str:
    value = (value or "").strip()
    if value and not 10 <= len(re.sub(r"\D", "", value)) <= 13:
        raise ValidationError("Telefone inválido: informe o DDD e o número.")
    return value


class SignUpForm(forms.Form):
    name = forms.CharField(
        label="Nome completo",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": "Informe o seu nome."},
    )
    email = forms.EmailField(
        label="E-mail",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Enviaremos um link para confirmá-lo.",
        error_messages={
            "required": "Informe o seu e-mail.",
            "invalid": "E-mail inválido: confira se tem @ e o domínio (ex.: nome@exemplo.com).",
        },
    )
    password = forms.CharField(
        label="Senha",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        help_text=password_validators_help_text_html(),
        error_messages={"required": "Crie uma senha."},
    )
    cpf = forms.CharField(
        label="CPF",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="Opcional. Com ele você pode entrar usando o CPF.",
    )
    phone = forms.CharField(
        label="Telefone",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=PHONE_HELP,
    )
    channel = forms.ChoiceField(
        label="Como prefere receber os avisos?",
        choices=Channel.choices,
        initial=Channel.EMAIL,
        widget=forms.RadioSelect,
    )

    def clean_cpf(self) -> str:
        return cpfs.normalize(self.cleaned_data.get("cpf", ""))

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("email", ""), first_name=cleaned.get("name", ""))
            try:
                validate_password(password, probe)
            except ValidationError as exc:
                self.add_error("password", exc)
        return cleaned


class LoginForm(forms.Form):
    login = forms.CharField(
        label="E-mail ou CPF",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": "Informe o seu e-mail ou CPF."},
    )
    password = forms.CharField(
        label="Senha",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Informe a sua senha."},
    )

    INVALID = (
        "E-mail, CPF ou senha incorretos, ou a conta ainda não teve o e-mail confirmado "
        "(veja o link que enviamos)."
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        login, password = cleaned.get("login"), cleaned.get("password")
        if not login or not password:
            return cleaned
        user = authenticate(self.request, username=login, password=password, citizen=True)
        profile = getattr(user, "citizen_profile", None) if user is not None else None
        if not isinstance(user, User) or not isinstance(profile, CitizenProfile):
            raise ValidationError(self.INVALID, code="invalid_login")
        if not profile.email_verified and not profile.cpf_verified_at:
            raise ValidationError(self.INVALID, code="invalid_login")
        self.user = user
        return cleaned


class ContactForm(forms.Form):
    phone = forms.CharField(
        label="Telefone",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=PHONE_HELP,
    )
    channel = forms.ChoiceField(
        label="Como prefere receber os avisos?", choices=Channel.choices, widget=forms.RadioSelect
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone", ""))


class CitizenPasswordResetForm(PasswordResetForm):
    """Django's reset form for citizens' accounts; the e-mail is sent by a task after commit."""

    def get_users(self, email: str) -> Any:
        return (
            user
            for user in super().get_users(email)
            if CitizenProfile.objects.filter(user=user).exists()
        )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from paco.citizens.tasks import send_password_reset

        user_id, domain, protocol = context["user"].pk, context["domain"], context["protocol"]
        transaction.on_commit(lambda: send_password_reset.enqueue(user_id, domain, protocol))


class DeletionRequestForm(forms.Form):
    reason = forms.CharField(
        label="Motivo (opcional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Você não precisa justificar o pedido.",
    )
    confirm = forms.BooleanField(
        label="Entendo que a conta será encerrada se o pedido for atendido.",
        error_messages={"required": "Marque a confirmação para enviar o pedido."},
    )


class DeletionAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Decisão",
        choices=[
            (DeletionStatus.DONE.value, "Atender: excluir os dados e encerrar a conta"),
            (DeletionStatus.REFUSED.value, "Não atender: a lei exige guardar os dados"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Escolha a decisão."},
    )
    answer = forms.CharField(
        label="Resposta ao cidadão",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Escreva a resposta ao cidadão (o que foi feito e por quê)."},
    )
