"""Personal data in free text: find it, mask it (LGPD).

A pure library (no Django): every text Paço publishes — requests' descriptions
and answers, case texts, documents — goes through :func:`mask_text`, and the
tabular screening uses the same detectors for cells.

This first version knows CPFs (with valid check digits) and e-mail addresses;
the screening issue extends :func:`find_personal_data` with more kinds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    """One occurrence of personal data in a text: its kind and where it stands."""

    kind: str
    start: int
    end: int
    text: str


_CPF = re.compile(r"(?<![\d.-])(\d{3})[.\s]?(\d{3})[.\s]?(\d{3})[-.\s]?(\d{2})(?![\d-])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def cpf_is_valid(digits: str) -> bool:
    """Whether 11 digits are a CPF: both check digits right, not one repeated digit."""
    if len(digits) != 11 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True))
        if (total * 10 % 11) % 10 != int(digits[size]):
            return False
    return True


def find_personal_data(text: str) -> list[Match]:
    """Every occurrence of personal data in ``text``, in order, never overlapping."""
    found: list[Match] = []
    for m in _CPF.finditer(text):
        if cpf_is_valid("".join(m.groups())):
            found.append(Match("cpf", m.start(), m.end(), m.group(0)))
    for m in _EMAIL.finditer(text):
        found.append(Match("email", m.start(), m.end(), m.group(0)))
    found.sort(key=lambda match: match.start)
    kept: list[Match] = []
    for match in found:
        if not kept or match.start >= kept[-1].end:
            kept.append(match)
    return kept


MASKS = {"cpf": "[CPF removido]", "email": "[e-mail removido]"}


def mask_text(text: str) -> str:
    """``text`` with every occurrence of personal data replaced by a label of its kind."""
    if not text:
        return text
    out: list[str] = []
    last = 0
    for match in find_personal_data(text):
        out.append(text[last : match.start])
        out.append(MASKS.get(match.kind, "[dado pessoal removido]"))
        last = match.end
    out.append(text[last:])
    return "".join(out)
