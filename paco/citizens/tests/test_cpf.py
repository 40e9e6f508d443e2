"""The CPF as Paço keeps it: digits, check digits validated, masked in logs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from paco.citizens import cpf


@pytest.mark.parametrize("typed", ["529.982.247-25", "52998224725", " 529 982 247 25 "])
def test_valid_cpfs_become_eleven_digits(typed: str) -> None:
    assert cpf.normalize(typed) == "52998224725"


@pytest.mark.parametrize("typed", ["529.982.247-26", "111.111.111-11", "1234567890", "abc"])
def test_invalid_cpfs_are_refused_in_pt_br(typed: str) -> None:
    with pytest.raises(ValidationError, match="CPF inválido"):
        cpf.normalize(typed)


def test_empty_is_no_cpf_and_shapes() -> None:
    assert cpf.normalize("  ") == ""
    assert cpf.formatted("52998224725") == "529.982.247-25"
    assert cpf.masked("52998224725") == "***.982.247-**"
    assert cpf.masked_email("maria@exemplo.org") == "m***@exemplo.org"
    assert cpf.looks_like_cpf("529.982.247-25") and not cpf.looks_like_cpf("a@b.org")
