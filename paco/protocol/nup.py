"""The Número Único de Protocolo (NUP): ``UUUUU.SSSSSS/AAAA-DD``.

- ``UUUUU``: the 5-digit code of the protocol unit (per municipality, or per unit);
- ``SSSSSS``: a sequence that restarts each year;
- ``AAAA``: the year;
- ``DD``: two check digits, computed as Portaria Interministerial nº 11/2019 says
  (the same formula as the old Portaria SLTI nº 3/2003): DV1 = 11 − (Σ of the 15
  digits × weights 16…2, left to right) mod 11; DV2 the same over the 16 digits
  (the 15 plus DV1) with weights 17…2; a result of 10 becomes 0 and 11 becomes 1.

Pure functions; the gap-free sequence lives in :mod:`paco.protocol.numbering`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the printed form, with the punctuation optional when typed
_TYPED = re.compile(r"^\s*(\d{5})\.?(\d{6})/?(\d{4})-?(\d{2})\s*$")


class NupError(ValueError):
    """A number that is not a NUP; the message is for people (pt-BR)."""


def _digit(digits: str) -> int:
    weights = range(len(digits) + 1, 1, -1)
    remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    result = 11 - remainder
    return {10: 0, 11: 1}.get(result, result)


def check_digits(code: str, sequence: int, year: int) -> str:
    """The two check digits of ``code``/``sequence``/``year``."""
    base = f"{code}{sequence:06d}{year:04d}"
    first = _digit(base)
    return f"{first}{_digit(base + str(first))}"


@dataclass(frozen=True)
class Nup:
    code: str
    sequence: int
    year: int

    @property
    def digits(self) -> str:
        return check_digits(self.code, self.sequence, self.year)

    def __str__(self) -> str:
        return f"{self.code}.{self.sequence:06d}/{self.year:04d}-{self.digits}"


def format_nup(code: str, sequence: int, year: int) -> str:
    if not (len(code) == 5 and code.isdigit()):
        raise NupError("O código da unidade de protocolo tem 5 algarismos.")
    if not 0 < sequence <= 999_999:
        raise NupError("O número sequencial vai de 1 a 999999.")
    return str(Nup(code, sequence, year))


def parse_nup(text: str) -> Nup:
    """The NUP typed by a person (punctuation optional), or :class:`NupError` saying why not."""
    match = _TYPED.match(text or "")
    if match is None:
        raise NupError(
            "Número de protocolo inválido. Use o formato 00000.000000/0000-00 "
            "(5 algarismos, ponto, 6 algarismos, barra, ano com 4 algarismos, hífen e "
            "2 dígitos verificadores)."
        )
    code, sequence, year, digits = match.groups()
    nup = Nup(code, int(sequence), int(year))
    if nup.digits != digits:
        raise NupError(
            "Os dígitos verificadores não conferem: confira se o número foi digitado corretamente."
        )
    return nup
