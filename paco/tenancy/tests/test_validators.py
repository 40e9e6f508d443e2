import pytest
from django.core.exceptions import ValidationError

from paco.tenancy.validators import format_cnpj, validate_cnpj, validate_ibge_code


@pytest.mark.parametrize("code", ["3550308", "3304557", "4106902", "5300108", "4219507"])
def test_real_ibge_codes_pass(code):
    validate_ibge_code(code)


@pytest.mark.parametrize("code", ["3550309", "355030", "35503081", "abcdefg", ""])
def test_bad_ibge_codes_fail_in_portuguese(code):
    with pytest.raises(ValidationError) as exc:
        validate_ibge_code(code)
    assert "IBGE" in str(exc.value)


def test_cnpj_valid_and_formatted():
    validate_cnpj("46395000000139")
    assert format_cnpj("46395000000139") == "46.395.000/0001-39"


@pytest.mark.parametrize("cnpj", ["46.395.000/0001-38", "11111111111111", "123"])
def test_cnpj_invalid(cnpj):
    with pytest.raises(ValidationError, match="CNPJ inválido"):
        validate_cnpj(cnpj)
