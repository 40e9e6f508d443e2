"""Sniffing encodings, delimiters and the header row."""

import pytest

from paco.opendata.tabular.errors import TabularError
from paco.opendata.tabular.sniff import (
    detect_delimiter,
    detect_encoding,
    detect_header,
    detect_newline,
)


def test_windows_1252_is_detected_before_latin_1():
    assert detect_encoding("Obra – “Praça” ".encode("cp1252")) == "cp1252"
    assert detect_encoding("Praça São João".encode("iso-8859-1")) == "iso-8859-1"
    # 0x81 is undefined in Windows-1252, so only Latin-1 can read it.
    assert detect_encoding(b"a\x81b\x93") == "iso-8859-1"


def test_utf8_with_and_without_bom():
    assert detect_encoding("Praça".encode()) == "utf-8"
    assert detect_encoding("\ufeffPraça".encode()) == "utf-8-sig"
    # A sample that cuts a multi-byte character in half is still UTF-8.
    assert detect_encoding("abc ç".encode()[:-1]) == "utf-8"


def test_binary_is_rejected_in_portuguese():
    with pytest.raises(TabularError, match="imagem PNG"):
        detect_encoding(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(TabularError, match="documento PDF"):
        detect_encoding(b"%PDF-1.7")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a;b;c\n1;2,5;3\n4;5,5;6\n", ";"),
        ('a,b,c\n1,"2;5",3\n4,5,6\n', ","),
        ("a\tb\n1\t2\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('nome;obs\nAna;"tem, vírgulas, várias, aqui"\nBia;"e\nquebra"\n', ";"),
    ],
)
def test_delimiter_by_consistent_field_counts(text, expected):
    assert detect_delimiter(text) == expected


def test_newline():
    assert detect_newline("a\r\nb\r\n") == "\r\n"
    assert detect_newline("a\nb\n") == "\n"


def test_header_below_title_rows():
    rows = [
        ["Prefeitura Municipal de X", "", ""],
        ["Relatório de despesas 2025", "", ""],
        [],
        ["Credor", "Valor", "Data"],
        ["Padaria", "10,00", "01/01/2025"],
        ["Posto", "20,00", "02/01/2025"],
    ]
    header = detect_header(rows)
    assert header.index == 3
    assert header.names == ["Credor", "Valor", "Data"]
    assert header.issues == []


def test_numeric_first_row_is_not_a_header_when_a_textual_one_follows():
    header = detect_header([["2025", "1", "2"], ["ano", "mes", "total"], ["2025", "1", "9"]])
    assert header.index == 1


def test_blank_and_duplicate_headers_are_reported():
    header = detect_header([["nome", "", "nome", "nome"], ["a", "b", "c", "d"]])
    assert header.names == ["nome", "coluna_2", "nome_2", "nome_3"]
    assert len(header.issues) == 3
    assert "repetido" in header.issues[1]


def test_renamed_duplicates_never_collide():
    header = detect_header([["a", "a", "a_2"], ["1", "2", "3"]])
    assert header.names == ["a", "a_2", "a_2_2"]
    assert len(set(header.names)) == 3
