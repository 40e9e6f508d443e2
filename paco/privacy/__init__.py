"""Personal data in text: find it, mask it (LGPD). The one set of detectors of Paço.

A pure library (no Django): every text Paço publishes — requests' descriptions
and answers, case texts, documents — goes through :func:`mask_text`, and the
tabular screening (``paco/opendata/tabular/screen.py``) runs the same detectors on
every cell, nested JSON values included.

Kinds (``KINDS``): ``cpf`` (formatted, dotted, spaced, bare, zero-padded with a
label; valid check digits only), ``nis`` (NIS/PIS/PASEP/NIT), ``cns`` (cartão
SUS), ``rg`` (by label or context only: RG formats vary per state), ``email``,
``phone`` (Brazilian formats), ``name`` (people's names by a list of Brazilian
given names, IBGE) and ``mei`` (a CNPJ or CNPJ base written next to a person's
name: an individual's firm). How each is recognised: ``detect.py``, ``names.py``;
precision and recall: ``docs/privacy.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .checks import cnpj_is_valid, cns_is_valid, cpf_is_valid, nis_is_valid
from .detect import detect

KINDS = ("cpf", "nis", "cns", "rg", "email", "phone", "name", "mei")
LABELS = {
    "cpf": "CPF",
    "nis": "NIS/PIS/PASEP",
    "cns": "Cartão Nacional de Saúde (CNS)",
    "rg": "RG",
    "email": "E-mail",
    "phone": "Telefone",
    "name": "Nome de pessoa",
    "mei": "Empresa individual (nome de pessoa com CNPJ)",
}


@dataclass(frozen=True)
class Match:
    """One occurrence of personal data in a text: its kind and where it stands.

    ``weak``: a bare run of digits that passes the check digits with nothing saying
    what it is (1 random 11-digit code in 100 passes the CPF check).
    """

    kind: str
    start: int
    end: int
    text: str
    weak: bool = False


def find_personal_data(text: str, context: str = "") -> list[Match]:
    """Every occurrence of personal data in ``text``, in order, never overlapping.

    ``context`` (a column name, JSON key or form field, optional) helps: a bare
    number under “cpf” is a CPF, a number under “rg” an RG, two words under “nome”
    a name.
    """
    return [
        Match(f.kind, f.start, f.end, text[f.start : f.end], f.weak) for f in detect(text, context)
    ]


MASKS = {
    "cpf": "[CPF removido]",
    "nis": "[NIS removido]",
    "cns": "[CNS removido]",
    "rg": "[RG removido]",
    "email": "[e-mail removido]",
    "phone": "[telefone removido]",
    "name": "[nome removido]",
    "mei": "[nome removido]",
}


def mask_text(text: str, context: str = "") -> str:
    """``text`` with every occurrence of personal data replaced by a label of its kind."""
    if not text:
        return text
    out: list[str] = []
    last = 0
    for match in find_personal_data(text, context):
        out.append(text[last : match.start])
        out.append(MASKS.get(match.kind, "[dado pessoal removido]"))
        last = match.end
    out.append(text[last:])
    return "".join(out)


# Shape masks: a short masked form that still says what the value was (examples, cells).

PARTICLES = frozenset({"da", "de", "do", "das", "dos", "e", "di", "du", "del"})


def _d(text: str) -> str:
    return re.sub(r"\D", "", text)


def mask_name(text: str) -> str:
    words = [w for w in text.split() if w.casefold() not in PARTICLES]
    return " ".join(f"{w[0].upper()}." for w in words if w[:1].isalpha()) or "***"


def mask_value(kind: str, text: str) -> str:
    """``text`` (one occurrence of ``kind``) masked by its shape."""
    digits = _d(text)
    if kind == "cpf":
        padded = digits.rjust(11, "0")
        return f"***.{padded[3:6]}.{padded[6:9]}-**"
    if kind == "nis":
        return f"***.{digits[3:8]}.**-*"
    if kind == "cns":
        return f"*** **** **** {digits[-4:]}"
    if kind == "rg":
        return f"***{digits[-3:]}"
    if kind == "email":
        user, _, domain = text.partition("@")
        return f"{user[:1]}***@{domain}"
    if kind == "phone":
        return "***-" + digits[-4:]
    if kind == "name":
        return mask_name(text)
    if kind == "mei":
        letters = re.sub(r"[\d./\-–,]", " ", text)
        return f"**.***.*** {mask_name(letters)}"
    if kind == "birth_date":
        year = re.search(r"\d{4}", text)
        return f"**/**/{year.group(0)}" if year else "***"
    return "***"


def mask_cell(text: str, context: str = "") -> str | None:
    """A cell with its personal data masked: by shape when the whole cell is one
    occurrence (``***.456.789-**``, initials), else each occurrence replaced by its
    label. ``None`` when nothing was found."""
    matches = find_personal_data(text, context)
    if not matches:
        return None
    if len(matches) == 1 and text.strip() == matches[0].text:
        return mask_value(matches[0].kind, matches[0].text)
    out: list[str] = []
    last = 0
    for match in matches:
        out.append(text[last : match.start])
        out.append(MASKS[match.kind])
        last = match.end
    out.append(text[last:])
    return "".join(out)


__all__ = [
    "KINDS",
    "LABELS",
    "MASKS",
    "Match",
    "cnpj_is_valid",
    "cns_is_valid",
    "cpf_is_valid",
    "find_personal_data",
    "mask_cell",
    "mask_text",
    "mask_value",
    "nis_is_valid",
]
