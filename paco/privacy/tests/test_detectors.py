"""Each kind of personal data, its check digits, and the context rules against false positives."""

import pytest

from paco.privacy import find_personal_data, mask_cell, mask_text
from paco.privacy.checks import cnpj_is_valid, cns_is_valid, nis_is_valid
from paco.privacy.names import given_names


def kinds(text, context=""):
    return [(m.kind, m.text) for m in find_personal_data(text, context)]


def test_check_digits_of_nis_cns_and_cnpj():
    assert nis_is_valid("17033259504")
    assert not nis_is_valid("17033259505")
    assert cns_is_valid("898001160660006") is False  # sum not divisible by 11
    assert cns_is_valid("103381068700007")  # definitive: PIS + 00 + 0 + check
    assert not cns_is_valid("103381068720007")  # definitive numbers hold 00 after the PIS
    assert cns_is_valid("911172752274760")
    assert not cns_is_valid("311172752274760")  # starts with 3: not a CNS
    assert cnpj_is_valid("11222333000181")
    assert not cnpj_is_valid("11222333000182")


@pytest.mark.parametrize(
    ("text", "context", "expected"),
    [
        ("Pagamento a Fulano CPF 123.456.789-09", "", [("cpf", "123.456.789-09")]),
        ("529 982 247 25", "", [("cpf", "529 982 247 25")]),
        ("1234567890", "cpf", [("cpf", "1234567890")]),  # 012.345.678-90 without its zero
        ("1234567890", "", []),  # a short number with no label is not a CPF
        ('{"titular":{"cpf":"52998224725"}}', "", [("cpf", "52998224725")]),
        ("123.456.789-00", "", []),  # wrong check digits
        ("NIS 170.33259.50-4", "", [("nis", "170.33259.50-4")]),
        ("17033259504", "nis", [("nis", "17033259504")]),
        ("Cartão SUS 911172752274760", "", [("cns", "911172752274760")]),
        ("RG 12.345.678-X SSP/SP", "", [("rg", "12.345.678-X")]),
        ("12.345.678-9", "", []),  # an RG-like number needs a label
        ("12.345.678-9", "rg", [("rg", "12.345.678-9")]),
        ("(11) 98765-4321", "", [("phone", "(11) 98765-4321")]),
        ("3333-4444", "", []),
        ("3333-4444", "telefone", [("phone", "3333-4444")]),
        ("Pago a Maria das Dores Souza", "", [("name", "Maria das Dores Souza")]),
        ("Rua Maria das Dores Souza, 10", "", []),
        ("Rosa Vermelha", "", []),
        ("Zuleica Xavante", "favorecido", [("name", "Zuleica Xavante")]),
        ("Escola Maria Clara Machado", "nome_escola", []),
        ("12.345.678 JOSE DA SILVA", "", [("mei", "12.345.678 JOSE DA SILVA")]),
        ("Processo 23000.012345/2024-11 de 12/03/2024, R$ 1.234,56", "", []),
    ],
)
def test_kinds_and_contexts(text, context, expected):
    assert kinds(text, context) == expected


def test_bare_cpfs_are_weak_unless_something_names_them():
    (bare,) = find_personal_data("52998224725")
    assert bare.weak
    (labelled,) = find_personal_data("CPF 52998224725")
    assert not labelled.weak
    (formatted,) = find_personal_data("529.982.247-25")
    assert not formatted.weak


def test_masks_keep_the_text_around_the_data():
    text = "Pagamento a Maria da Silva, CPF 529.982.247-25, tel. (11) 98765-4321."
    assert mask_text(text) == (
        "Pagamento a [nome removido], CPF [CPF removido], tel. [telefone removido]."
    )
    assert mask_cell("529.982.247-25") == "***.982.247-**"
    assert mask_cell("Maria da Silva") == "M. S."
    assert mask_cell("nada a declarar") is None


def test_given_names_are_loaded_once_and_kept_small():
    names = given_names()
    assert given_names() is names
    assert {"MARIA", "JOSE", "JOAO", "ANA"} <= names
    assert 4000 < len(names) < 7000  # the frequent ones only, not all 64,458
