"""Check digits of Brazilian identity numbers (pure functions on digit strings)."""

from __future__ import annotations


def _digits_ok(digits: str, size: int) -> bool:
    return len(digits) == size and digits.isdigit() and len(set(digits)) > 1


def cpf_is_valid(digits: str) -> bool:
    """Whether 11 digits are a CPF: both check digits right, not one repeated digit."""
    if not _digits_ok(digits, 11):
        return False
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(digits[:size], range(size + 1, 1, -1), strict=True))
        if (total * 10 % 11) % 10 != int(digits[size]):
            return False
    return True


NIS_WEIGHTS = (3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def nis_is_valid(digits: str) -> bool:
    """NIS/PIS/PASEP/NIT: 11 digits, the last = 11 − (weighted sum mod 11), 10 and 11 → 0."""
    if not _digits_ok(digits, 11):
        return False
    rest = sum(int(d) * w for d, w in zip(digits[:10], NIS_WEIGHTS, strict=True)) % 11
    check = 11 - rest
    return (0 if check >= 10 else check) == int(digits[10])


def cns_is_valid(digits: str) -> bool:
    """Cartão Nacional de Saúde: 15 digits, weighted sum (15…1) divisible by 11.

    Definitive numbers start with 1 or 2 and are a PIS + ``00`` + ``0``/``1`` +
    check digit; provisional ones start with 7, 8 or 9.
    """
    if not _digits_ok(digits, 15) or digits[0] not in "12789":
        return False
    if digits[0] in "12" and (digits[11:13] != "00" or digits[13] not in "01"):
        return False
    return sum(int(d) * w for d, w in zip(digits, range(15, 0, -1), strict=True)) % 11 == 0


CNPJ_WEIGHTS = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def cnpj_is_valid(digits: str) -> bool:
    """Whether 14 digits are a CNPJ (both check digits right)."""
    if not _digits_ok(digits, 14):
        return False
    for size in (12, 13):
        rest = sum(
            int(d) * w for d, w in zip(digits[:size], CNPJ_WEIGHTS[13 - size :], strict=True)
        )
        if (0 if rest % 11 < 2 else 11 - rest % 11) != int(digits[size]):
            return False
    return True
