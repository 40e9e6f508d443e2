"""Big and hostile inputs: long lines, endless fields, late bad bytes, XLSX, atomicity, memory."""

import tracemalloc

import duckdb
import pytest

from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError
from paco.opendata.tabular.infer import Report, infer_schema, validate
from paco.opendata.tabular.source import open_table
from paco.opendata.tests import make_corpus


def _reject(tmp_path, content, name="f.csv"):
    source = tmp_path / name
    source.write_bytes(content)
    with pytest.raises(TabularError) as caught:
        to_parquet(source, tmp_path / "out.parquet")
    assert not (tmp_path / "out.parquet").exists()
    return caught.value


def test_huge_single_line_is_rejected_cleanly(tmp_path):
    error = _reject(tmp_path, make_corpus.huge_line_bytes())
    assert error.line == 1
    assert "longa demais" in error.message


def test_huge_line_after_the_sample_names_its_line(tmp_path):
    content = b"a,b\n" + b"1,2\n" * 20_000 + b"3," + b"x" * 1_100_000 + b"\n"
    error = _reject(tmp_path, content)
    assert error.line == 20_002
    assert error.describe() == "Linha 20002: a linha é longa demais (mais de 1 MB)."


def test_endless_quoted_field_is_rejected_with_its_line(tmp_path):
    error = _reject(tmp_path, make_corpus.long_field_bytes())
    assert error.line == 3
    assert "campo longo demais" in error.message


def test_a_latin1_byte_after_an_ascii_sample_is_read_as_latin1(tmp_path):
    """It used to be rejected as bad UTF-8 (issue 8): the whole file decides now."""
    source = tmp_path / "f.csv"
    source.write_bytes(make_corpus.late_bad_utf8_bytes())
    result = to_parquet(source, tmp_path / "out.parquet")
    assert result.encoding == "iso-8859-1"
    with duckdb.connect() as con:
        last = con.execute(
            "SELECT nome FROM read_parquet(?) WHERE id = 3000", [str(tmp_path / "out.parquet")]
        ).fetchone()
    assert last == ("João",)


def test_xlsx_first_sheet_with_title_rows_and_formulas(tmp_path):
    source = tmp_path / "despesas.xlsx"
    make_corpus.write_xlsx(source)
    result = to_parquet(source, tmp_path / "out.parquet")
    types = {f["name"]: f["type"] for f in result.schema["fields"]}
    assert types == {
        "Credor": "string",
        "Valor": "number",
        "Data": "date",
        "Dobro": "string",
        "CNPJ": "string",
    }
    assert result.header_line == 3
    with duckdb.connect() as con:
        rows = con.execute(
            "SELECT Valor, CNPJ, Dobro FROM read_parquet(?)", [str(tmp_path / "out.parquet")]
        ).fetchall()
    # openpyxl never computed the formulas, so there is no cached value:
    # they read as missing, never as the formula text "=B4*2".
    assert rows == [(1234.5, "00394460000141", None), (10.0, "12345678000195", None)]


def test_xlsx_named_sheet_and_unknown_sheet(tmp_path):
    source = tmp_path / "despesas.xlsx"
    make_corpus.write_xlsx(source)
    result = to_parquet(source, tmp_path / "out.parquet", sheet="Outra")
    assert [f["name"] for f in result.schema["fields"]] == ["x", "y"]
    with pytest.raises(
        TabularError, match=r"A planilha “Nada” não existe; as planilhas são: “Despesas”, “Outra”\."
    ):
        to_parquet(source, tmp_path / "out2.parquet", sheet="Nada")


def test_damaged_xlsx_is_rejected(tmp_path):
    error = _reject(tmp_path, b"PK\x03\x04garbage", name="x.xlsx")
    assert "danificado" in error.message


def test_failed_conversion_keeps_the_previous_output(tmp_path, monkeypatch):
    source = tmp_path / "a.csv"
    source.write_text("a,b\n1,2\n")
    target = tmp_path / "out.parquet"
    target.write_bytes(b"previous version")

    def fail(*args, **kwargs):  # the very last step, after the Parquet file was written
        raise duckdb.IOException("disco cheio")

    monkeypatch.setattr("paco.opendata.tabular.convert.screen_parquet", fail)
    with pytest.raises(TabularError, match="Falha ao gravar"):
        to_parquet(source, target)
    assert target.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "out.parquet"]


def _write_csv(path, rows):
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write("Prefeitura de Exemplo;;\nid;credor;valor;data\n")
        for i in range(rows):
            value = f"{i % 997}.{i % 1000:03d},{i % 100:02d}"
            out.write(f"{i};Credor “{i % 5000}”;{value};{1 + i % 28:02d}/05/2025\n")


def _peak(path):
    tracemalloc.start()
    try:
        table = open_table(path)
        schema = infer_schema(table, sample_rows=500)
        report = Report()
        for _row in validate(table, schema, report):
            pass
        return tracemalloc.get_traced_memory()[1], report
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_file_size(tmp_path):
    # Small files because tracemalloc slows Python ~7x; a 4x larger file must not need more memory.
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _write_csv(small, 1_500)
    _write_csv(large, 6_000)
    assert large.stat().st_size > 3.9 * small.stat().st_size
    small_peak, _ = _peak(small)
    large_peak, large_report = _peak(large)
    assert large_report.rows == 6_000
    assert large_report.error_count == 0
    assert large_peak < 1.5 * small_peak, (small_peak, large_peak)
    assert large_peak < 8 * 1024 * 1024


def test_json_streams_across_chunks_and_names_the_bad_line(tmp_path):
    objects = [f'{{"id": {i}, "valor": {i}.25, "nome": "pessoa {i:05d}"}}' for i in range(6000)]
    source = tmp_path / "dados.json"
    source.write_text("[\n" + ",\n".join(objects) + "\n]\n")
    assert source.stat().st_size > 3 * 64 * 1024
    result = to_parquet(source, tmp_path / "out.parquet")
    assert result.report.rows == 6000
    assert [f["type"] for f in result.schema["fields"]] == ["integer", "number", "string"]
    with duckdb.connect() as con:
        total = con.execute(
            "SELECT sum(valor) FROM read_parquet(?)", [str(tmp_path / "out.parquet")]
        ).fetchone()
    assert total == (sum(i + 0.25 for i in range(6000)),)
    objects[4000] = '{"id": 4000, "valor": }'
    source.write_text("[\n" + ",\n".join(objects) + "\n]\n")
    bad = tmp_path / "bad"
    bad.mkdir()
    error = _reject(bad, source.read_bytes(), name="ruim.json")
    assert error.line == 4002


def test_the_field_limit_does_not_depend_on_what_was_imported_before(tmp_path):
    """frictionless raises the process-wide csv field limit when imported."""
    import csv

    before = csv.field_size_limit(10_000_000)
    try:
        error = _reject(tmp_path, make_corpus.long_field_bytes())
        assert error.line == 3 and "campo longo demais (mais de 128 KB)" in error.message
    finally:
        csv.field_size_limit(before)
