"""Schema inference output and column statistics."""

from pathlib import Path

from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.infer import Report, infer_schema, validate
from paco.opendata.tabular.source import open_table
from paco.opendata.tabular.values import MISSING_VALUES

CORPUS = Path(__file__).parent / "corpus"


def _run(name, tmp_path=None, text=None):
    path = CORPUS / name
    if text is not None:
        path = tmp_path / name
        path.write_text(text)
    table = open_table(path)
    schema = infer_schema(table)
    report = Report()
    rows = list(validate(table, schema, report))
    return schema, report, rows


def test_schema_is_a_frictionless_table_schema():
    schema, _, _ = _run("cp1252_semicolon.csv")
    assert schema["missingValues"] == MISSING_VALUES
    assert schema["fields"] == [
        {"name": "Órgão", "type": "string"},
        {"name": "Descrição", "type": "string"},
        {"name": "Valor", "type": "number", "decimalChar": ",", "groupChar": "."},
        {"name": "Data", "type": "date", "format": "%d/%m/%Y"},
    ]


def _stats(path, tmp_path):
    return to_parquet(path, tmp_path / "out.parquet").report.as_dict()["stats"]


def test_column_statistics(tmp_path):
    stats = _stats(CORPUS / "missing_markers.csv", tmp_path)
    assert stats["valor"] == {"count": 1, "missing": 3, "distinct": 1, "min": 10.5, "max": 10.5}
    assert stats["data"] == {
        "count": 1,
        "missing": 3,
        "distinct": 1,
        "min": "2025-01-01",
        "max": "2025-01-01",
    }
    assert stats["nome"] == {
        "count": 4,
        "missing": 0,
        "distinct": 4,
    }


def test_min_max_and_distinct_cap(tmp_path):
    lines = ["n;v"] + [f"{i};{i % 3}" for i in range(1, 1203)]
    source = tmp_path / "many.csv"
    source.write_text("\n".join(lines) + "\n")
    stats = _stats(source, tmp_path)
    assert stats["n"] == {"count": 1202, "missing": 0, "distinct": None, "min": 1, "max": 1202}
    assert stats["v"] == {"count": 1202, "missing": 0, "distinct": 3, "min": 0, "max": 2}


def test_one_bad_value_among_many_is_an_error_not_a_text_column(tmp_path):
    lines = ["id;valor"] + [f"{i};{i},5" for i in range(1, 40)] + ["40;abc", "41;12,3,4"]
    schema, report, rows = _run("bad.csv", tmp_path, "\n".join(lines) + "\n")
    assert schema["fields"][1]["type"] == "number"
    assert [e.text for e in report.errors] == [
        "Linha 41, coluna “valor”: “abc” não é um número.",
        "Linha 42, coluna “valor”: “12,3,4” não é um número.",
    ]
    assert rows[-1] == [41, None]


def test_mostly_text_column_stays_text(tmp_path):
    schema, report, _ = _run("t.csv", tmp_path, "a\n1\nx\ny\n2\n")
    assert schema["fields"][0]["type"] == "string"
    assert report.error_count == 0


def test_error_list_is_capped_but_counted(tmp_path, monkeypatch):
    monkeypatch.setattr("paco.opendata.tabular.infer.MAX_ERRORS", 5)
    lines = ["a,b,c"] + ["1,2"] * 20
    _, report, _ = _run("r.csv", tmp_path, "\n".join(lines) + "\n")
    assert report.error_count == 20
    assert len(report.errors) == 5
