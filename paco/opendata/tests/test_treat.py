"""LGPD treatments: drop, mask and hash columns of a normalized Parquet file."""

import hashlib
import hmac

import duckdb
import pytest

from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.errors import TabularError
from paco.opendata.tabular.screen import mask_value
from paco.opendata.tabular.treat import apply_treatments, treated_schema

CSV = (
    "nome;cpf;email;telefone;nascimento;endereco;valor\n"
    "Maria da Silva;529.982.247-25;maria@exemplo.com.br;(11) 98765-4321;01/02/1980;"
    "Rua A, 10;1,50\n"
    "José dos Santos Neto;11144477735;jose@gov.br;3333-4444;15/06/1975;Av. B, 2;2,00\n"
    "Ana;-;-;-;-;-;3\n"
)


@pytest.fixture
def parquet(tmp_path):
    source = tmp_path / "pessoas.csv"
    source.write_text(CSV, encoding="utf-8")
    result = to_parquet(source, tmp_path / "v1.parquet")
    return tmp_path / "v1.parquet", result.schema


def _read(path):
    with duckdb.connect() as con:
        cursor = con.execute("SELECT * FROM read_parquet(?)", [str(path)])
        names = [d[0] for d in cursor.description]
        return names, cursor.fetchall()


def test_drop_mask_hash(parquet, tmp_path):
    src, schema = parquet
    treatments = {
        "nome": "mask",
        "cpf": "mask",
        "email": "mask",
        "telefone": "mask",
        "nascimento": "mask",
        "endereco": "drop",
        "valor": "hash",
    }
    apply_treatments(src, tmp_path / "v1t.parquet", treatments, "segredo")
    names, rows = _read(tmp_path / "v1t.parquet")
    assert names == ["nome", "cpf", "email", "telefone", "nascimento", "valor"]
    digest = hmac.new(b"segredo", b"1.5", hashlib.sha256).hexdigest()
    assert rows[0] == (
        "M. S.",
        "***.982.247-**",
        "m***@exemplo.com.br",
        "***-4321",
        "**/**/1980",
        digest,
    )
    assert rows[1][:4] == ("J. S. N.", "***.444.777-**", "j***@gov.br", "***-4444")
    assert rows[2][1:5] == (None, None, None, None)  # missing stays missing
    new_schema = treated_schema(schema, treatments)
    assert [f["name"] for f in new_schema["fields"]] == names
    assert all(f["type"] == "string" for f in new_schema["fields"])


def test_sql_masks_agree_with_the_python_masks_of_the_examples(parquet, tmp_path):
    src, _ = parquet
    masked = {"nome": "mask", "cpf": "mask", "email": "mask", "telefone": "mask"}
    apply_treatments(src, tmp_path / "m.parquet", masked, "k")
    _, rows = _read(tmp_path / "m.parquet")
    _, original = _read(src)
    for before, after in zip(original[:2], rows[:2], strict=True):
        assert after[0] == mask_value("name", before[0])
        assert after[1] == mask_value("cpf", before[1])
        assert after[2] == mask_value("email", before[2])
        assert after[3] == mask_value("phone", before[3])


def test_hash_is_stable_across_versions_and_secret_dependent(parquet, tmp_path):
    src, _ = parquet
    apply_treatments(src, tmp_path / "a.parquet", {"cpf": "hash"}, "chave-1")
    apply_treatments(src, tmp_path / "b.parquet", {"cpf": "hash"}, "chave-1")
    apply_treatments(src, tmp_path / "c.parquet", {"cpf": "hash"}, "chave-2")
    a, b, c = (_read(tmp_path / f"{n}.parquet")[1] for n in "abc")
    assert a == b
    assert a[0][1] != c[0][1]
    expected = hmac.new(b"chave-1", b"529.982.247-25", hashlib.sha256).hexdigest()
    assert a[0][1] == expected
    long_key = "x" * 100  # keys longer than the SHA-256 block are hashed first (RFC 2104)
    apply_treatments(src, tmp_path / "d.parquet", {"cpf": "hash"}, long_key)
    digest = hmac.new(long_key.encode(), b"529.982.247-25", hashlib.sha256).hexdigest()
    assert _read(tmp_path / "d.parquet")[1][0][1] == digest


def test_in_place_and_atomic(parquet, tmp_path):
    src, _ = parquet
    before = src.read_bytes()
    with pytest.raises(TabularError, match=r"A coluna “rg” não existe nos dados\."):
        apply_treatments(src, src, {"rg": "drop"}, "k")
    with pytest.raises(TabularError, match="Tratamento desconhecido"):
        apply_treatments(src, src, {"cpf": "apagar"}, "k")
    with pytest.raises(TabularError, match="todas as colunas"):
        apply_treatments(src, src, dict.fromkeys(_read(src)[0], "drop"), "k")
    with pytest.raises(TabularError, match="chave secreta"):
        apply_treatments(src, src, {"cpf": "hash"}, "")
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pessoas.csv", "v1.parquet"]
    apply_treatments(src, src, {"cpf": "drop"}, "k")
    assert "cpf" not in _read(src)[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pessoas.csv", "v1.parquet"]


def test_unreadable_source_is_a_portuguese_error(tmp_path):
    bad = tmp_path / "x.parquet"
    bad.write_bytes(b"not parquet")
    with pytest.raises(TabularError, match="não puderam ser lidos"):
        apply_treatments(bad, tmp_path / "y.parquet", {"a": "drop"}, "k")
    assert not (tmp_path / "y.parquet").exists()


@pytest.mark.parametrize("id_column", ["id", "file_row_number"])
def test_mask_keeps_free_text_and_masks_only_the_personal_data_inside(tmp_path, id_column):
    notes = [
        "Pagamento a Fulano CPF 123.456.789-09 referente a diárias",
        "Serviço prestado na escola municipal, sem pendências a registrar",
        "Contato: maria.souza@exemplo.com ou (11) 98765-4321",
        "Repasse a Maria das Graças Oliveira, conforme processo 23000.012345/2024-11",
        "ok",
    ] * 3
    source = tmp_path / "notas.csv"
    source.write_text(
        f"{id_column};observacao\n" + "".join(f"{i};{n}\n" for i, n in enumerate(notes)),
        encoding="utf-8",
    )
    to_parquet(source, tmp_path / "v1.parquet")
    apply_treatments(tmp_path / "v1.parquet", tmp_path / "v2.parquet", {"observacao": "mask"}, "k")
    _names, rows = _read(tmp_path / "v2.parquet")
    assert [row[0] for row in rows] == list(range(len(notes)))  # file order kept
    assert [row[1] for row in rows[:5]] == [
        "Pagamento a Fulano CPF [CPF removido] referente a diárias",
        "Serviço prestado na escola municipal, sem pendências a registrar",
        "Contato: [e-mail removido] ou [telefone removido]",
        "Repasse a [nome removido], conforme processo 23000.012345/2024-11",
        "***",  # a short value with nothing recognisable is masked whole, as before
    ]
