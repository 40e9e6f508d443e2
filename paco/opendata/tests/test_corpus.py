"""Every corpus file imports with the expected types and values, or is rejected in pt-BR."""

from pathlib import Path

import duckdb
import pytest

from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError
from paco.opendata.tests import make_corpus
from paco.opendata.tests.corpus_expectations import EXPECTED

CORPUS = Path(__file__).parent / "corpus"


def test_corpus_is_committed_and_in_sync_with_its_generator():
    on_disk = {p.name for p in CORPUS.iterdir()}
    assert on_disk == set(make_corpus.SMALL) == set(EXPECTED)
    assert len(on_disk) >= 30
    for name, content in make_corpus.SMALL.items():
        assert (CORPUS / name).read_bytes() == content, name


def _read(path):
    with duckdb.connect() as con:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name, tmp_path):
    expected = EXPECTED[name]
    target = tmp_path / "out.parquet"
    if "reject" in expected:
        with pytest.raises(TabularError) as caught:
            to_parquet(CORPUS / name, target, sheet=expected.get("sheet"))
        assert caught.value.message == expected["reject"]
        assert caught.value.line == expected["line"]
        assert not target.exists()
        assert list(tmp_path.iterdir()) == []
        return
    result = to_parquet(CORPUS / name, target, sheet=expected.get("sheet"))
    fields = {f["name"]: f for f in result.schema["fields"]}
    for column, kind in expected.get("types", {}).items():
        assert fields[column]["type"] == kind, column
    for column, fmt in expected.get("formats", {}).items():
        assert fields[column]["format"] == fmt
    for column in expected.get("percent", []):
        assert fields[column]["percent"] is True
    # Every accepted CSV of the corpus goes through DuckDB (test_fastcsv compares both paths).
    assert result.engine == ("duckdb" if name.endswith(".csv") else "python")
    assert result.encoding == expected.get("encoding", "utf-8")
    assert result.delimiter == expected.get("delimiter", ",")
    assert result.header_line == expected.get("header_line", 1)
    assert [e.text for e in result.report.errors] == expected.get("errors", [])
    assert [w.text for w in result.report.warnings] == expected.get("warnings", [])
    assert result.report.warning_count == len(expected.get("warnings", []))
    findings = [(f["column"], f["kind"], f["count"]) for f in result.personal_data]
    assert findings == expected.get("personal", [])
    for finding in result.personal_data:
        assert finding["reason"].startswith(f"{finding['count']} de ")
    rows = _read(target)
    assert len(rows) == result.report.rows == result.rows == expected["rows"]
    leaked = {str(v) for row in rows for v in row.values() if v is not None and len(str(v)) > 6}
    for finding in result.personal_data:  # examples are masked, never the data itself
        assert finding["examples"]
        assert not leaked & set(finding["examples"]), finding
    for (index, column), value in expected.get("values", {}).items():
        assert rows[index][column] == value, (index, column)
