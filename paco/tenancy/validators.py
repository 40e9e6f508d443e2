"""Validators for Brazilian public identifiers (IBGE municipality code, CNPJ)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

_IBGE_WEIGHTS = (1, 2, 1, 2, 1, 2)


def ibge_check_digit(first_six: str) -> int:
    """IBGE's check digit for a municipality code (weights 1-2-1-2-1-2, digits summed)."""
    total = 0
    for digit, weight in zip(first_six, _IBGE_WEIGHTS, strict=True):
        product = int(digit) * weight
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def validate_ibge_code(value: str) -> None:
    if not re.fullmatch(r"\d{7}", value or ""):
        raise ValidationError("O código IBGE do município tem 7 dígitos.", code="ibge_format")
    # A handful of codes predate the check-digit rule and are published as they are.
    if value in _IBGE_EXCEPTIONS:
        return
    if ibge_check_digit(value[:6]) != int(value[6]):
        raise ValidationError(
            "Código IBGE inválido: dígito verificador não confere.", code="ibge_dv"
        )


# Municipalities whose official codes do not follow the check-digit rule.
_IBGE_EXCEPTIONS = frozenset(
    {
        "2201919",
        "2202251",
        "2201988",
        "2611533",
        "3117836",
        "3152131",
        "4305871",
        "5203939",
        "5203962",
    }
)


def only_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def cnpj_check_digits(first_twelve: str) -> str:
    def digit(base: str) -> str:
        weights = list(range(len(base) - 7, 1, -1)) + list(range(9, 1, -1))
        total = sum(int(d) * w for d, w in zip(base, weights, strict=True))
        rest = total % 11
        return "0" if rest < 2 else str(11 - rest)

    first = digit(first_twelve)
    return first + digit(first_twelve + first)


def validate_cnpj(value: str) -> None:
    digits = only_digits(value)
    if len(digits) != 14 or digits == digits[0] * 14:
        raise ValidationError("CNPJ inválido: informe os 14 dígitos.", code="cnpj_format")
    if cnpj_check_digits(digits[:12]) != digits[12:]:
        raise ValidationError("CNPJ inválido: dígitos verificadores não conferem.", code="cnpj_dv")


def format_cnpj(value: str) -> str:
    d = only_digits(value)
    if len(d) != 14:
        return value
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"


_HOST_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_RE = re.compile(rf"{_HOST_LABEL}(?:\.{_HOST_LABEL})*|\[[0-9a-f:.]+\]")


def normalize_host(value: str) -> str:
    """A host name as Paço stores and compares it: trimmed, lower-case, no trailing dot."""
    return value.strip().lower().rstrip(".")


def validate_host(value: str) -> None:
    """A host name (``servicos.exemplo.sc.gov.br``) or a bracketed IPv6 address, no port."""
    if len(value) > 253 or not _HOST_RE.fullmatch(value):
        raise ValidationError(
            f"“{value}” não é um nome de host válido (sem “http://”, sem porta, sem barra).",
            code="host_format",
        )
