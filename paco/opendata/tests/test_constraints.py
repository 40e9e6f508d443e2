"""Data-dictionary constraints (required, minimum, maximum, lengths, pattern, enum) in reports."""

import pytest

from paco.opendata.tabular.errors import TabularError
from paco.opendata.tests.test_fastcsv import _assert_same, _both, _line_of, _messy

CSV = (
    "id;valor;data;sigla;situacao\n"
    "1;10,5;01/02/2025;SP;ativo\n"
    "2;-3,0;01/02/2020;RJX;ativo\n"
    "3;;15/03/2025;mg;suspenso\n"
    "4;2000,0;-;MG;ativo\n"
)
DICTIONARY = {
    "valor": {"constraints": {"required": True, "minimum": 0, "maximum": 1000}},
    "data": {"constraints": {"minimum": "2024-01-01", "required": False}},
    "sigla": {"constraints": {"pattern": "[A-Z]{2}", "maxLength": 2}},
    "situacao": {"constraints": {"enum": ["ativo", "inativo"]}},
    "id": {"constraints": {"unique": True}},  # no repeats here
}


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_constraints_are_reported_with_line_and_column(tmp_path, engine):
    fast, slow = _both(tmp_path, CSV.encode(), schema_override=DICTIONARY)
    result = fast if engine == "duckdb" else slow
    assert result.engine == engine
    assert [e.text for e in result.report.errors] == [
        "Linha 3, coluna “valor”: “-3,0” é menor que o mínimo (0).",
        "Linha 3, coluna “data”: “01/02/2020” é menor que o mínimo (2024-01-01).",
        "Linha 3, coluna “sigla”: “RJX” tem mais de 2 caracteres.",
        "Linha 4, coluna “valor”: valor obrigatório ausente.",
        "Linha 4, coluna “sigla”: “mg” não segue o padrão exigido ([A-Z]{2}).",
        "Linha 4, coluna “situacao”: “suspenso” não está entre os valores permitidos.",
        "Linha 5, coluna “valor”: “2000,0” é maior que o máximo (1000).",
    ]
    assert result.report.error_count == 7
    fields = {f["name"]: f for f in result.schema["fields"]}
    assert fields["id"]["constraints"] == {"unique": True}
    assert result.rows == 4  # constraint errors never drop rows (art. 32)


def test_constraints_on_a_big_file_agree_between_paths(tmp_path):
    content = _messy(2500)
    dictionary = {"valor": {"constraints": {"maximum": 50_000, "required": True}}}
    fast, slow = _both(tmp_path, content, schema_override=dictionary)
    assert fast.engine == "duckdb"
    _assert_same(tmp_path, fast, slow)
    assert fast.report.error_count > 100
    first = fast.report.errors[0]
    assert first.column == "valor"
    record = int(content.decode("cp1252").split("\n")[first.line - 1].split(";")[0])
    assert _line_of(content, record) == first.line


UNIQUE_CSV = (
    "Cadastro de imóveis\n"
    "inscricao;valor;codigo\n"
    "001;1,5;A\n"
    "002;2,50;B\n"
    "\n"
    "001;1,50;a\n"  # "001" and 1,5 repeat; codes differ by case, so they do not
    "N/D;-;C\n"
    "N/D;3;\n"  # missing values never repeat
    "001;2,5;D\n"
)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_unique_names_each_repeat_and_the_first_occurrence(tmp_path, engine):
    dictionary = {
        name: {"constraints": {"unique": True}} for name in ("inscricao", "valor", "codigo")
    }
    fast, slow = _both(tmp_path, UNIQUE_CSV.encode(), schema_override=dictionary)
    _assert_same(tmp_path, fast, slow)
    result = fast if engine == "duckdb" else slow
    assert result.engine == engine
    assert sorted(e.text for e in result.report.errors) == [
        "Linha 6, coluna “inscricao”: “001” repete um valor que deve ser único "
        "(primeira ocorrência na linha 3).",
        "Linha 6, coluna “valor”: “1,50” repete um valor que deve ser único "
        "(primeira ocorrência na linha 3).",
        "Linha 9, coluna “inscricao”: “001” repete um valor que deve ser único "
        "(primeira ocorrência na linha 3).",
        "Linha 9, coluna “valor”: “2,5” repete um valor que deve ser único "
        "(primeira ocorrência na linha 4).",
    ]
    assert result.report.error_count == 4
    assert result.rows == 6  # repeats are reported, never dropped (art. 32)


def test_unique_counts_every_repeat_beyond_the_listed_ones(tmp_path):
    rows = "".join(f"{i % 3};x{i}\n" for i in range(1, 2001))
    fast, slow = _both(
        tmp_path,
        ("grupo;nome\n" + rows).encode(),
        schema_override={"grupo": {"constraints": {"unique": True}}},
    )
    _assert_same(tmp_path, fast, slow)
    assert fast.report.error_count == 1997  # 2000 rows, 3 distinct values
    assert len(fast.report.errors) == 1000
    assert fast.report.errors[0].text == (
        "Linha 5, coluna “grupo”: “1” repete um valor que deve ser único "
        "(primeira ocorrência na linha 2)."
    )


@pytest.mark.parametrize(
    ("dictionary", "message"),
    [
        ({"valor": {"constraints": {"minimum": "muito"}}}, "“mínimo” da coluna “valor”"),
        ({"sigla": {"constraints": {"pattern": "[A-"}}}, "“padrão” da coluna “sigla”"),
        ({"sigla": {"constraints": ["required"]}}, "devem ser um objeto"),
    ],
)
def test_invalid_constraints_are_rejected_in_portuguese(tmp_path, dictionary, message):
    with pytest.raises(TabularError, match=message):
        _both(tmp_path, CSV.encode(), schema_override=dictionary)
