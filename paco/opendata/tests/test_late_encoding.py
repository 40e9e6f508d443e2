"""The encoding decision never rests on the sample alone (issue 8, §6).

A Windows-1252 or Latin-1 file whose first non-ASCII byte comes after the 64 KB
sample — at line 50,000, 10 MB in, on the last line — imports with the right text,
without the file ever being read whole into memory.
"""

from __future__ import annotations

import tracemalloc

import duckdb
import pytest

from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError
from paco.opendata.tabular.sniff import SCAN_CHUNK, settle_encoding


def _ascii_rows(count: int, width: int = 40) -> list[str]:
    return [f"{i};item {i:07d} {'x' * width};{i},50" for i in range(1, count + 1)]


def _file(rows: list[str], *, accent_at: int, text: str) -> str:
    """``rows`` with the name on data row ``accent_at`` (1-based) replaced by ``text``."""
    out = list(rows)
    number, _name, value = out[accent_at - 1].split(";")
    out[accent_at - 1] = f"{number};{text};{value}"
    return "id;nome;valor\n" + "\n".join(out) + "\n"


def _read(path):
    with duckdb.connect() as con:
        return con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()


# (encoding written, accented text, expected detection)
CASES = [
    ("cp1252", "Ação – “urgente”", "cp1252"),
    ("iso-8859-1", "Conceição", "iso-8859-1"),
    ("utf-8", "Conceição – “ok”", "utf-8"),
]


@pytest.mark.parametrize(("encoding", "text", "detected"), CASES)
@pytest.mark.parametrize("where", ["line-50000", "last-line"])
def test_a_late_first_accent_imports_correctly(tmp_path, encoding, text, detected, where):
    rows = _ascii_rows(60_000)
    accent_at = 49_999 if where == "line-50000" else len(rows)  # physical line 50,000 / last
    source = tmp_path / "dados.csv"
    source.write_bytes(_file(rows, accent_at=accent_at, text=text).encode(encoding))
    assert source.read_bytes()[:65_536].isascii()  # the sample says nothing
    result = to_parquet(source, tmp_path / "out.parquet")
    assert result.encoding == detected
    assert result.engine == "duckdb"
    assert result.report.errors == []
    assert result.rows == len(rows)
    stored = _read(tmp_path / "out.parquet")
    assert stored[accent_at - 1][1] == text
    assert stored[0][1] == rows[0].split(";")[1]


def test_ten_megabytes_in_without_reading_the_file_whole(tmp_path):
    """The first accent 10 MB in: the decision streams 1 MB chunks."""
    rows = _ascii_rows(170_000, width=50)
    content = _file(rows, accent_at=len(rows) - 10, text="Gestão “2025”").encode("cp1252")
    assert content.index("ã".encode("cp1252")) > 10_000_000
    source = tmp_path / "grande.csv"
    source.write_bytes(content)
    tracemalloc.start()
    try:
        assert settle_encoding(source, "utf-8", content[:65_536]) == "cp1252"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * SCAN_CHUNK, peak  # a chunk or two, never the file (11 MB)
    result = to_parquet(source, tmp_path / "out.parquet")
    assert result.encoding == "cp1252"
    assert _read(tmp_path / "out.parquet")[-11][1] == "Gestão “2025”"


def test_a_latin1_looking_sample_meets_windows_1252_quotes_later(tmp_path):
    """Accents in the sample but no byte in 0x80–0x9F: not decided until the end."""
    rows = _ascii_rows(3_000)
    rows[0] = "1;São Paulo;1,50"
    content = _file(rows, accent_at=2_990, text="Obra “Praça” – fase 2").encode("cp1252")
    source = tmp_path / "dados.csv"
    source.write_bytes(content)
    result = to_parquet(source, tmp_path / "out.parquet")
    assert result.encoding == "cp1252"
    stored = _read(tmp_path / "out.parquet")
    assert (stored[0][1], stored[2_989][1]) == ("São Paulo", "Obra “Praça” – fase 2")


def test_a_character_split_across_two_chunks_is_still_utf8(tmp_path):
    head = b"id;nome\n" + b"".join(b"%d;%s\n" % (i, b"a" * 90) for i in range(10_000))
    head = head[: SCAN_CHUNK - 30]
    head = head[: head.rindex(b"\n") + 1]
    filler = b"9;" + b"b" * (SCAN_CHUNK - 6 - len(head)) + b"\n"
    content = head + filler + b"2;" + "ção".encode() + b"\n"
    # The two bytes of “ç” sit on both sides of the first chunk boundary.
    assert content[SCAN_CHUNK - 1 : SCAN_CHUNK + 1] == "ç".encode()
    source = tmp_path / "dados.csv"
    source.write_bytes(content)
    assert settle_encoding(source, "utf-8", content[:65_536]) == "utf-8"
    result = to_parquet(source, tmp_path / "out.parquet")
    assert (result.encoding, _read(tmp_path / "out.parquet")[-1][1]) == ("utf-8", "ção")


def test_utf8_then_another_encoding_names_the_bad_line(tmp_path):
    """Two encodings glued together: no single reading is right; the line is named."""
    rows = _ascii_rows(3_000)
    text = _file(rows, accent_at=1_500, text="Conceição").encode("utf-8")
    text += "3001;Jo\xe3o;1,00\n".encode("latin-1")
    source = tmp_path / "dados.csv"
    source.write_bytes(text)
    with pytest.raises(TabularError) as caught:
        to_parquet(source, tmp_path / "out.parquet")
    assert caught.value.line == 3_002
    assert "utf-8" in caught.value.message and "UTF-8" in caught.value.message
