"""to_parquet options: staff schema overrides (the data dictionary) and progress reports."""

import duckdb
import pytest

from paco.opendata.tabular import progress as progress_module
from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError

CSV = "qtd;valor;quando;obs\n123;1,5;01/02/2025;a\n456;2,5;03/02/2025;b\n789;x;05/02/2025;c\n"


def _run(tmp_path, text=CSV, **kwargs):
    source = tmp_path / "f.csv"
    source.write_text(text, encoding="utf-8")
    result = to_parquet(source, tmp_path / "out.parquet", **kwargs)
    with duckdb.connect() as con:
        rows = con.execute("SELECT * FROM read_parquet(?)", [str(tmp_path / "out.parquet")])
        return result, rows.fetchall()


def test_inferred_schema_without_override(tmp_path):
    result, rows = _run(tmp_path)
    types = [f["type"] for f in result.schema["fields"]]
    assert types == ["integer", "number", "date", "string"]
    assert result.report.errors[0].text == "Linha 4, coluna “valor”: “x” não é um número."
    assert rows[0][0] == 123


def test_override_types_and_dictionary_properties(tmp_path):
    override = {
        "qtd": {"type": "string", "title": "Quantidade"},
        "valor": {"type": "string"},
        "obs": {"description": "Observação livre"},
        "nao_existe": {"type": "integer"},
    }
    result, rows = _run(tmp_path, schema_override=override)
    fields = {f["name"]: f for f in result.schema["fields"]}
    assert fields["qtd"] == {"name": "qtd", "type": "string", "title": "Quantidade"}
    assert fields["valor"] == {"name": "valor", "type": "string"}
    assert fields["obs"]["description"] == "Observação livre"
    assert "nao_existe" not in fields
    assert result.report.error_count == 0
    assert rows[2][:2] == ("789", "x")


def test_override_to_a_typed_column_picks_the_best_format(tmp_path):
    text = "n;d\n1;01/02/2025\n2;x\n3;y\n4;z\n"  # "d" is inferred as text (3 misfits of 4)
    result, rows = _run(tmp_path, text, schema_override={"d": {"type": "date"}})
    spec = result.schema["fields"][1]
    assert spec == {"name": "d", "type": "date", "format": "%d/%m/%Y"}
    assert result.report.error_count == 3
    assert rows[0][1].isoformat() == "2025-02-01"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"valor": {"type": "money"}}, "O tipo “money” da coluna “valor” não é aceito"),
        ({"quando": {"type": "date", "format": "%m/%d/%Y"}}, "use um destes: dd/mm/aaaa"),
        ({"valor": {"type": "number", "decimalChar": ";"}}, "deve ser “,” ou “.”"),
    ],
)
def test_bad_overrides_are_rejected_in_portuguese(tmp_path, override, message):
    with pytest.raises(TabularError, match=message):
        _run(tmp_path, schema_override=override)
    assert not (tmp_path / "out.parquet").exists()


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_progress_is_monotonic_throttled_and_complete(tmp_path, monkeypatch, engine):
    if engine == "python":
        monkeypatch.setattr("paco.opendata.tabular.fastcsv.convert_csv", lambda *a: None)
    clock = iter(range(0, 10**6, 1))  # a fake clock: 1 s per reading, so nothing is throttled
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: float(next(clock)))
    text = "id;valor\n" + "".join(f"{i};{i},5\n" for i in range(20_000))
    calls = []
    result, _ = _run(tmp_path, text, progress=lambda done, total: calls.append((done, total)))
    assert result.engine == engine
    total = (tmp_path / "f.csv").stat().st_size
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert len(calls) >= 3
    assert all(t == total for _, t in calls)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_progress_rate_limit(monkeypatch):
    now = [0.0]
    calls = []
    tracker = progress_module.Progress(lambda d, t: calls.append(d), 1000)
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: now[0])
    for step in range(1000):
        now[0] = 1 + step * 0.001  # 1000 updates in one second
        tracker.update(step)
    tracker.finish()
    assert 10 <= len(calls) <= 12  # ~10 per second, plus the final one
    assert calls[-1] == 1000


def test_progress_during_the_duckdb_copy_comes_from_the_calling_thread(tmp_path, monkeypatch):
    import threading

    monkeypatch.setattr("paco.opendata.tabular.fastcsv.POLL_SECONDS", 0.005)
    clock = iter(range(10**7))
    monkeypatch.setattr(progress_module.time, "monotonic", lambda: float(next(clock)))
    text = "id;valor;texto\n" + "".join(f"{i};{i},5;texto {i}\n" for i in range(300_000))
    calls = []

    def callback(done, total):
        calls.append((done / total, threading.get_ident()))

    result, _ = _run(tmp_path, text, progress=callback)
    assert result.engine == "duckdb"
    assert {ident for _, ident in calls} == {threading.get_ident()}
    assert any(0.35 < share < 0.8 for share, _ in calls)  # reported while DuckDB worked
