"""The CPF as Paço keeps it: 11 digits, check digits validated, masked wherever it is shown."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from paco.privacy import mask_value
from paco.privacy.checks import cpf_is_valid

INVALID = "CPF inválido: confira os 11 números (os dois últimos são dígitos verificadores)."


def digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def looks_like_cpf(value: str) -> bool:
    """Whether a login typed is a CPF (digits, dots, dash only) rather than an e-mail."""
    return bool(value) and "@" not in value and bool(re.fullmatch(r"[\d.\-\s]+", value.strip()))


def normalize(value: str) -> str:
    """The 11 digits of a valid CPF, ``""`` for an empty value; ``ValidationError`` otherwise."""
    if not (value or "").strip():
        return ""
    number = digits(value)
    if not cpf_is_valid(number):
        raise ValidationError(INVALID, code="cpf_invalid")
    return number


def formatted(number: str) -> str:
    return f"{number[:3]}.{number[3:6]}.{number[6:9]}-{number[9:]}" if len(number) == 11 else ""


def masked(number: str) -> str:
    """``***.456.789-**``: what logs, audit entries and staff lists show."""
    return mask_value("cpf", number) if number else ""


def masked_email(address: str) -> str:
    return mask_value("email", address) if address else ""
