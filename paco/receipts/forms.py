"""The one field of ``/verificar/``: the code, checked before any look-up."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from paco.receipts import codes


class VerifyForm(forms.Form):
    codigo = forms.CharField(
        label="Código de verificação",
        max_length=40,
        help_text="16 letras e algarismos. Está no comprovante, junto do código QR.",
        error_messages={"required": "Digite o código de verificação impresso no comprovante."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "campo-codigo",
            }
        ),
    )

    example = codes.EXAMPLE

    def clean_codigo(self) -> str:
        try:
            return codes.parse(self.cleaned_data["codigo"])
        except codes.CodeError as exc:
            raise ValidationError(str(exc)) from exc
