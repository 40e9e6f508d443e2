"""The DuckDB path for CSV gives exactly what the Python path gives, only faster."""

import random

import duckdb
import pytest

from paco.opendata.tabular import fastcsv
from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError


def _both(tmp_path, content, **kwargs):
    """Run the file through the DuckDB path and through the Python path."""
    source = tmp_path / "dados.csv"
    source.write_bytes(content)
    fast = to_parquet(source, tmp_path / "fast.parquet", **kwargs)
    original = fastcsv.convert_csv
    fastcsv.convert_csv = lambda *args: None
    try:
        slow = to_parquet(source, tmp_path / "slow.parquet", **kwargs)
    finally:
        fastcsv.convert_csv = original
    assert slow.engine == "python"
    return fast, slow


def _rows(path):
    with duckdb.connect() as con:
        return con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()


def _assert_same(tmp_path, fast, slow):
    assert fast.schema == slow.schema
    assert fast.report.as_dict() == slow.report.as_dict()
    assert fast.personal_data == slow.personal_data
    assert _rows(tmp_path / "fast.parquet") == _rows(tmp_path / "slow.parquet")


def _messy(rows, *, bad_at=(), short_at=(), long_at=(), seed=7, encoding="cp1252"):
    rng = random.Random(seed)
    lines = ["Prefeitura Municipal de Exemplo;;;;;", "Despesas;;;;;", ";;;;;"]
    lines.append("id;data;credor;historico;valor;pago")
    for i in range(1, rows + 1):
        value = f"{rng.randint(0, 99_999):,}".replace(",", ".") + f",{rng.randint(0, 99):02d}"
        if i % 7 == 0:
            value = "R$ " + value
        if i % 11 == 0:
            value = "-" + value
        if i % 13 == 0:
            value = "N/D"
        day = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025"
        text = f'"Compra “{i}” – item ""{i % 5}""'
        text += '\nsegunda linha"' if i % 17 == 0 else '"'
        credor = f"  Credor {i % 50}  " if i % 19 == 0 else f"Credor {i % 50}"
        cells = [str(i), day, credor, text, value, rng.choice(["Sim", "Não", "S", "N"])]
        if i in bad_at:
            cells[4 if i % 2 else 1] = "12,3,4" if i % 2 else "31/02/2025"
        if i in short_at:
            cells = cells[:4]
        if i in long_at:
            cells += ["sobra", ""]
        lines.append(";".join(cells))
        if i % 500 == 0:
            lines.append("")  # blank line
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def test_clean_file_takes_the_fast_path_and_matches(tmp_path):
    fast, slow = _both(tmp_path, _messy(3000))
    assert fast.engine == "duckdb"
    assert fast.rows == 3000
    assert fast.report.error_count == 0
    _assert_same(tmp_path, fast, slow)


def _line_of(content, record_id, encoding="cp1252"):
    """Physical line where the record with this id starts (counted independently)."""
    lines = content.decode(encoding).split("\n")
    return next(n for n, text in enumerate(lines, start=1) if text.startswith(f"{record_id};"))


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_bad_values_after_the_sample_name_their_physical_line(tmp_path, encoding):
    # UTF-8 files are read in place by DuckDB (title rows skipped), cp1252 ones transcoded.
    content = _messy(3000, bad_at={1500, 2501, 2999}, encoding=encoding)
    fast, slow = _both(tmp_path, content)
    assert fast.encoding == encoding
    assert fast.engine == "duckdb"
    _assert_same(tmp_path, fast, slow)
    # Quoted newlines every 17 records and blank lines every 500 shift the lines.
    assert fast.report.error_count == 3
    assert [e.text for e in fast.report.errors] == [
        f"Linha {_line_of(content, 1500, encoding)}, coluna “data”: “31/02/2025” não é uma "
        "data que existe (fevereiro de 2025 não tem dia 31).",
        f"Linha {_line_of(content, 2501, encoding)}, coluna “valor”: “12,3,4” não é um número.",
        f"Linha {_line_of(content, 2999, encoding)}, coluna “valor”: “12,3,4” não é um número.",
    ]
    assert _line_of(content, 2999, encoding) > 2999 + 4 + 100  # the shifts are really there


def test_ragged_rows_take_the_padded_read(tmp_path):
    fast, slow = _both(tmp_path, _messy(2000, short_at={1200}, long_at={1800}, bad_at={1900}))
    assert fast.engine == "duckdb"
    _assert_same(tmp_path, fast, slow)
    texts = [e.text for e in fast.report.errors]
    assert any("faltam células (esperadas 6, encontradas 4)" in t for t in texts)
    assert any("há células a mais (esperadas 6, encontradas 8)" in t for t in texts)


def test_error_list_is_capped_and_every_error_counted(tmp_path, monkeypatch):
    monkeypatch.setattr("paco.opendata.tabular.infer.MAX_ERRORS", 10)
    bad = set(range(1001, 1400, 3))
    fast, slow = _both(tmp_path, _messy(1500, bad_at=bad))
    assert fast.engine == "duckdb"
    assert fast.report.error_count == len(bad)
    assert len(fast.report.errors) == 10
    _assert_same(tmp_path, fast, slow)


def test_file_duckdb_cannot_read_falls_back_to_python(tmp_path):
    # Mixed line endings: DuckDB refuses them, Python reads them.
    content = b"a;b\r\n1;2\n3;4\r\n" + b"".join(b"%d;%d\n" % (i, i) for i in range(5, 50))
    fast, slow = _both(tmp_path, content)
    assert fast.engine == "python"
    _assert_same(tmp_path, fast, slow)


def test_late_bad_byte_names_the_same_line_on_both_paths(tmp_path):
    # UTF-8 in the sample, then a Latin-1 byte (two encodings glued): the line is named.
    # (A late byte after an ASCII-only sample decides the encoding: test_late_encoding.)
    body = "".join(f"{i};item {i:05d} abcdefghijklmnop\n" for i in range(2, 9000))
    content = ("id;nome\n1;Conceição\n" + body).encode() + "9000;Jo\xe3o\n".encode("latin-1")
    source = tmp_path / "f.csv"
    source.write_bytes(content)
    with pytest.raises(TabularError) as caught:
        to_parquet(source, tmp_path / "out.parquet")
    assert caught.value.line == 9001
    assert not (tmp_path / "out.parquet").exists()


def test_transcoding_drops_title_rows_only(tmp_path):
    source = tmp_path / "f.csv"
    text = "Título “x”;\nnome;valor\nAção – “b”;1,5\n" + "€ ‰ Ÿ;2\n" * 5000
    source.write_bytes(text.encode("cp1252"))
    tracker = fastcsv.Progress(None, source.stat().st_size)
    from paco.opendata.tabular.source import open_table

    table = open_table(source)
    assert table.dialect is not None and table.dialect.encoding == "cp1252"
    fastcsv.transcode(table, tmp_path / "out.csv", 2, tracker)
    assert (tmp_path / "out.csv").read_bytes() == text.split("\n", 2)[2].encode("utf-8")


def test_byte_outside_windows_1252_names_its_line(tmp_path):
    # 0x81 is undefined in Windows-1252: the transcoding names the line of the bad byte.
    rows = "".join(f"{i};Ação nº {i} – “ok”\n" for i in range(1, 6000))
    content = ("id;nome\n" + rows).encode("cp1252") + b"6000;Jo\x81o\n"
    with pytest.raises(TabularError) as caught:
        to_parquet(_write(tmp_path, content), tmp_path / "out.parquet")
    assert caught.value.line == 6001
    assert not (tmp_path / "out.parquet").exists()


def test_stray_quote_sends_line_mapping_to_the_csv_reader(tmp_path, monkeypatch):
    used = []
    for name in ("_quick_lines_of", "_lines_of"):
        original = getattr(fastcsv, name)

        def spy(table, records, _original=original, _name=name):
            found = _original(table, records)
            used.append((_name, found is not None))
            return found

        monkeypatch.setattr(fastcsv, name, spy)
    rows = ["id;nome;valor"] + [f"{i};item {i};{i},5" for i in range(1, 3000)]
    rows[1500] = '1500;polegada 3" aço;1,5'  # a quote inside an unquoted field: legal, odd
    rows[2500] = "2500;item;12,3,4"
    content = ("\n".join(rows) + "\n").encode()
    fast, slow = _both(tmp_path, content)
    _assert_same(tmp_path, fast, slow)
    assert [e.text for e in fast.report.errors] == [
        "Linha 2501, coluna “valor”: “12,3,4” não é um número."
    ]
    # The quote-parity scan goes wrong after line 1501; its result fails the cell check.
    assert used[0][0] == "_quick_lines_of"
    assert used[-1] == ("_lines_of", True)


def test_quick_line_mapping_is_used_for_ordinary_files(tmp_path, monkeypatch):
    monkeypatch.setattr(fastcsv, "_lines_of", lambda *a: pytest.fail("slow mapping used"))
    fast = to_parquet(_write(tmp_path, _messy(2000, bad_at={1700})), tmp_path / "o.parquet")
    assert fast.report.error_count == 1


def _write(tmp_path, content):
    source = tmp_path / "f.csv"
    source.write_bytes(content)
    return source


@pytest.mark.parametrize(
    "header", ["__e0;__blank;__w", "c0;v0;m0", "file_row_number;x;y", "e0;k0;blank"]
)
def test_column_names_never_clash_with_internal_ones(tmp_path, header):
    rows = "".join(f"{i};{i};x\n" for i in range(20)) + "ruim;1;y\n"
    fast, slow = _both(tmp_path, (header + "\n" + rows).encode())
    _assert_same(tmp_path, fast, slow)
    assert fast.rows == 21
    first = header.split(";")[0]
    assert [e.text for e in fast.report.errors] == [
        f"Linha 22, coluna “{first}”: “ruim” não é um número inteiro."
    ]
