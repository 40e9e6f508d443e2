import pytest

from paco.protocol.nup import NupError, check_digits, format_nup, parse_nup

REAL = [
    "23037.001462/2021-65",
    "60041.001093/2020-97",
    "00190.110720/2021-25",
    "08198.024818/2023-64",
]


@pytest.mark.parametrize("number", REAL)
def test_real_numbers_validate_and_round_trip(number: str) -> None:
    nup = parse_nup(number)
    assert str(nup) == number
    assert format_nup(nup.code, nup.sequence, nup.year) == number


def test_punctuation_is_optional_when_typed() -> None:
    assert str(parse_nup(" 230370014622021 65".replace(" 65", "65"))) == REAL[0]


@pytest.mark.parametrize("number", ["23037.001462/2021-66", "23037.001463/2021-65"])
def test_wrong_check_digits_are_refused_in_portuguese(number: str) -> None:
    with pytest.raises(NupError, match="dígitos verificadores não conferem"):
        parse_nup(number)


@pytest.mark.parametrize("text", ["", "abc", "2303.001462/2021-65", "23037.001462/21-65"])
def test_malformed_numbers_are_refused_in_portuguese(text: str) -> None:
    with pytest.raises(NupError, match=r"formato 00000\.000000/0000-00"):
        parse_nup(text)


def test_remainders_ten_and_eleven_become_zero_and_one() -> None:
    # exhaustive over one year's small sequences: every digit pair is two decimal digits
    seen = {check_digits("00001", seq, 2026) for seq in range(1, 500)}
    assert all(len(d) == 2 and d.isdigit() for d in seen)
    assert any(d[0] == "0" for d in seen) and any(d[0] == "1" for d in seen)
