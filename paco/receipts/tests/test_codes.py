"""Verification codes: shape, what people type, and the typos the check symbol catches."""

from __future__ import annotations

import pytest

from paco.receipts import codes

SAMPLES = [codes.new_code() for _ in range(40)] + ["0" * 16, codes.EXAMPLE.replace("-", "")]


def test_a_new_code_is_sixteen_crockford_symbols_that_check() -> None:
    code = codes.new_code()
    assert len(code) == 16 and set(code) <= set(codes.ALPHABET)
    assert codes.is_consistent(code)
    assert codes.parse(code) == code
    assert len({codes.new_code() for _ in range(2000)}) == 2000


def test_the_example_in_messages_is_a_valid_code() -> None:
    assert codes.parse(codes.EXAMPLE) == "7KQ2M9XD4TPBR3H3"
    assert codes.formatted("7KQ2M9XD4TPBR3H3") == codes.EXAMPLE


@pytest.mark.parametrize(
    "typed",
    ["7kq2-m9xd-4tpb-r3h3", " 7KQ2 M9XD 4TPB R3H3 ", "7KQ2M9XD4TPBR3H3", "7KQ2–M9XD–4TPB–R3H3"],
)
def test_what_people_type_is_read_back(typed: str) -> None:
    assert codes.parse(typed) == "7KQ2M9XD4TPBR3H3"


def test_o_reads_as_zero_and_i_l_as_one() -> None:
    payload = "10A0B1C1D0E1F0G"
    code = payload + codes.check_symbol(payload)
    typed = code.replace("0", "O").replace("1", "l")
    assert codes.parse(typed) == code


def test_every_single_mistyped_symbol_is_caught() -> None:
    for code in SAMPLES:
        for position in range(16):
            for symbol in codes.ALPHABET:
                if symbol != code[position]:
                    typo = code[:position] + symbol + code[position + 1 :]
                    assert not codes.is_consistent(typo), (code, typo)


def test_every_swap_of_neighbours_is_caught_but_zero_and_z() -> None:
    missed = set()
    for code in [*SAMPLES, "0Z" * 7 + "00"]:
        for position in range(15):
            a, b = code[position], code[position + 1]
            swapped = code[:position] + b + a + code[position + 2 :]
            if a != b and codes.is_consistent(swapped):
                missed.add(frozenset((a, b)))
    # Luhn mod N misses only the swap of the symbols worth 0 and N − 1
    assert missed <= {frozenset("0Z")}
    for a in codes.ALPHABET:
        for b in codes.ALPHABET:
            if {a, b} != {"0", "Z"} and a != b:
                payload = "7KQ2M9XD4TPB" + a + b + "H"
                code = payload + codes.check_symbol(payload)
                swapped = code[:12] + b + a + code[14:]
                assert not codes.is_consistent(swapped), (a, b)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Digite o código de verificação"),
        ("7KQ2-M9XD-4TPB", "tem 16 caracteres (por exemplo, 7KQ2-M9XD-4TPB-R3H3); você digitou 12"),
        ("7KQ2-M9XD-4TPB-R3H3X", "você digitou 17"),
        ("7KQ2-M9XD-4TPB-U3H3", "menos U: confira “U”"),
        ("7KQ2-M9XD-4TPB-R3H#", "confira “#”"),
        ("7KQ2-M9XD-4TPB-R3H4", "algum caractere foi digitado errado"),
        ("7KQ2-M9XD-4TBP-R3H3", "algum caractere foi digitado errado"),
    ],
)
def test_errors_say_what_is_wrong_in_portuguese(typed: str, message: str) -> None:
    with pytest.raises(codes.CodeError) as caught:
        codes.parse(typed)
    assert message in str(caught.value)
