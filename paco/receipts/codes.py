"""Verification codes: random, unguessable, typed from paper, typos caught before any look-up.

A code is 15 random symbols of Crockford's base 32 (``0-9`` and ``A-Z`` without
``I L O U``: 75 bits) followed by one check symbol, printed in four groups:
``7KQ2-M9XD-4TPB-R3H3``. Reading it back forgives what people do with paper:
lower case, spaces or missing hyphens, ``O`` for zero and ``I``/``L`` for one.

The check symbol is the Luhn mod N algorithm over the same 32 symbols (N = 32):
it catches every single mistyped symbol and almost every swap of two neighbours
(:mod:`paco.receipts.tests.test_codes` counts them), so a typo is answered
"confira o código" without touching the database. It is a typing check, not a
secret: the 75 random bits are what make a code unguessable (and ``/verificar/``
is rate-limited besides).

The same codes serve any verifiable record (documents of Processos later).
"""

from __future__ import annotations

import secrets

#: Crockford's base-32 symbols, in value order
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
#: what people type for a symbol (Crockford: O is zero, I and L are one)
READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
RANDOM_SYMBOLS = 15
LENGTH = RANDOM_SYMBOLS + 1
GROUP = 4
#: an example printed in messages (a valid code)
EXAMPLE = "7KQ2-M9XD-4TPB-R3H3"


class CodeError(ValueError):
    """A code that cannot be a verification code; the message says why, in pt-BR."""


def _luhn_sum(symbols: str, *, double_first: bool) -> int:
    """Luhn mod 32: from the right, every second value doubled and its two base-32
    digits added."""
    total = 0
    double = double_first
    for symbol in reversed(symbols):
        addend = VALUES[symbol] * (2 if double else 1)
        total += addend // 32 + addend % 32
        double = not double
    return total


def check_symbol(payload: str) -> str:
    """The symbol that completes ``payload`` (canonical symbols) into a valid code."""
    return ALPHABET[-_luhn_sum(payload, double_first=True) % 32]


def is_consistent(code: str) -> bool:
    """Whether a canonical code's last symbol checks (see :func:`check_symbol`)."""
    return _luhn_sum(code, double_first=False) % 32 == 0


def new_code() -> str:
    """A fresh random code in canonical form (16 symbols, no hyphens)."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return payload + check_symbol(payload)


def formatted(code: str) -> str:
    """``7KQ2M9XD4TPBR3H3`` → ``7KQ2-M9XD-4TPB-R3H3``."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def parse(typed: str) -> str:
    """The canonical code (16 symbols, upper case, no hyphens) for what a person typed.

    Raises :class:`CodeError` with a pt-BR message for an empty text, a wrong length,
    a symbol codes never use, or a typo the check symbol catches. Pure: no query.
    """
    text = "".join((typed or "").split()).replace("-", "").replace("–", "").upper()
    if not text:
        raise CodeError("Digite o código de verificação impresso no comprovante.")
    code = text.translate(READ_AS)
    wrong = sorted({symbol for symbol in code if symbol not in VALUES})
    if wrong:
        shown = ", ".join(f"“{symbol}”" for symbol in wrong[:5])
        raise CodeError(
            f"O código usa só algarismos e as letras de A a Z, menos U: confira {shown}."
        )
    if len(code) != LENGTH:
        raise CodeError(
            f"O código tem {LENGTH} caracteres (por exemplo, {EXAMPLE}); você digitou {len(code)}."
        )
    if not is_consistent(code):
        raise CodeError(
            "Este código não confere: algum caractere foi digitado errado. "
            "Confira o código impresso no comprovante."
        )
    return code
