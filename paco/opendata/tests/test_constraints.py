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
    "id": {"constraints": {"unique": True}},  # kept, not checked
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


@pytest.mark.parametrize(
    ("dictionary", "message"),
    [
        ({"valor": {"constraints": {"minimum": "muito"}}}, "“minimum” da coluna “valor”"),
        ({"sigla": {"constraints": {"pattern": "[A-"}}}, "“pattern” da coluna “sigla”"),
        ({"sigla": {"constraints": ["required"]}}, "devem ser um objeto"),
    ],
)
def test_invalid_constraints_are_rejected_in_portuguese(tmp_path, dictionary, message):
    with pytest.raises(TabularError, match=message):
        _both(tmp_path, CSV.encode(), schema_override=dictionary)
