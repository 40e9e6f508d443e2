"""LGPD screening: which columns hold personal data, with thresholds and masked examples."""

import random
import re

import duckdb
import pytest

from paco.opendata.tabular import screen
from paco.opendata.tabular.convert import to_parquet
from paco.opendata.tabular.sqltext import ident, literal
from paco.privacy import KINDS, find_personal_data
from paco.privacy.tests.measure import labelled


def _python_cpf_ok(text):
    digits = [int(c) for c in text if c.isdigit()]
    if len(digits) != 11 or len(set(digits)) == 1:
        return False
    for size in (9, 10):
        total = sum(d * (size + 1 - i) for i, d in enumerate(digits[:size]))
        if total * 10 % 11 % 10 != digits[size]:
            return False
    return True


def test_cpf_check_digits_in_sql_match_the_definition():
    rng = random.Random(3)
    numbers = [f"{rng.randrange(10**11):011d}" for _ in range(3000)]
    numbers += ["11111111111", "00000000000", "52998224725", "529.982.247-25", "529982247-25"]
    numbers += ["5299822472", "529.982.247-2", "52998224725x", "12.345.678/0001-95"]
    with duckdb.connect() as con:
        screen.install_macros(con)
        values = ", ".join(f"({literal(n)})" for n in numbers)
        got = [
            row[0]
            for row in con.execute(
                f"SELECT paco_is_cpf(n) FROM (VALUES {values}) AS t(n)"  # noqa: S608
            ).fetchall()
        ]
    expected = [
        _python_cpf_ok(n) and bool(re.fullmatch(r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}", n))
        for n in numbers
    ]
    assert got == expected
    assert 10 < sum(got) < 100  # random numbers pass ~1% of the time: both outcomes covered


def _screen(tmp_path, text, name="f.csv"):
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    return to_parquet(source, tmp_path / "out.parquet").personal_data


def test_any_occurrence_counts(tmp_path):
    # One valid CPF among 999 other codes is a finding: no share of rows is required.
    codes = [f"2025.{i:06d}" for i in range(999)]
    text = "doc\n" + "\n".join([*codes[:500], "529.982.247-25", *codes[500:]]) + "\n"
    (finding,) = _screen(tmp_path, text)
    assert (finding["kind"], finding["count"]) == ("cpf", 1)
    assert finding["reason"] == "1 de 1000 valores contêm CPF válido."
    assert finding["examples"] == ["***.982.247-**"]


def test_bare_numbers_count_when_far_more_pass_than_chance(tmp_path):
    # Random 11-digit codes pass the CPF check 1 time in 100: a column of them is not flagged,
    # a column of real CPFs is, and so is one bare CPF among empty cells.
    rng = random.Random(5)
    codes = [f"{rng.randrange(10**10, 10**11)}" for _ in range(400)]
    assert sum(_python_cpf_ok(c) for c in codes) > 0  # some pass by chance
    assert _screen(tmp_path, "codigo;n\n" + "".join(f"{c};1\n" for c in codes)) == []
    lone = "codigo;n\n" + "".join("-;1\n" for _ in range(300)) + "52998224725;1\n"
    assert [(f["kind"], f["count"]) for f in _screen(tmp_path, lone)] == [("cpf", 1)]


def test_cpfs_read_as_numbers_count(tmp_path):
    # Plain 11-digit CPFs without leading zero in a column not named like a code → integers.
    text = "documento;valor\n52998224725;1\n11144477735;2\n12345678909;3\n"
    (finding,) = _screen(tmp_path, text)
    assert (finding["column"], finding["kind"], finding["count"]) == ("documento", "cpf", 3)
    assert finding["examples"] == ["***.982.247-**", "***.444.777-**", "***.456.789-**"]


def test_names_by_their_values(tmp_path):
    people = "\n".join(f"Maria {s} da Silva;1" for s in ["Clara", "Rita", "Luz"])
    assert _screen(tmp_path, "nome;x\n" + people + "\n")[0]["kind"] == "name"
    # Found by their values under any column name, not only under person-like names…
    assert _screen(tmp_path, "descricao;x\n" + people + "\n")[0]["kind"] == "name"
    # …but not in columns naming places and institutions (schools named after people).
    assert _screen(tmp_path, "nome_escola;x\n" + people + "\n") == []
    companies = "\n".join(f"Maria {s} Comércio LTDA;1" for s in ["Clara", "Rita", "Luz"])
    assert _screen(tmp_path, "beneficiario;x\n" + companies + "\n") == []


@pytest.mark.parametrize(
    ("column", "values", "kind"),
    [
        ("contato", ["ana@x.com.br", "b.c@prefeitura.sp.gov.br", "c@d.org"], "email"),
        ("contato", ["(11) 98765-4321", "+55 61 3333-4444", "3333-4444"], "phone"),
        ("celular", ["11987654321", "61999990000", "21988887777"], "phone"),
        ("observacao", ["11987654321", "61999990000", "21988887777"], None),
        ("dt_nasc", ["01/02/1980", "03/04/1990", "05/06/2000"], "birth_date"),
        ("data", ["01/02/1980", "03/04/1990", "05/06/2000"], None),
        ("endereco_residencial", ["Rua A, 10", "Av. B nº 20", "Travessa C, 5"], "address"),
        ("endereco", ["Rua A, 10", "Av. B nº 20", "Travessa C, 5"], None),
        ("endereco", ["Rua A", "Avenida B", "Travessa C"], None),
        ("cnpj", ["12.345.678/0001-95", "00.394.460/0001-41", "11.222.333/0001-81"], None),
    ],
)
def test_kinds(tmp_path, column, values, kind):
    findings = _screen(tmp_path, f"{column};n\n" + "".join(f"{v};1\n" for v in values))
    assert [f["kind"] for f in findings] == ([kind] if kind else [])


def test_examples_are_masked(tmp_path):
    text = "nome;email;cpf;telefone\n" + "".join(
        f"João {s} Souza;joao{i}@exemplo.com;529.982.247-25;(11) 9876{i}-432{i}\n"
        for i, s in enumerate(["Pedro", "Paulo", "Carlos"])
    )
    findings = {f["kind"]: f for f in _screen(tmp_path, text)}
    assert findings["name"]["examples"] == ["J. P. S.", "J. P. S.", "J. C. S."]
    assert findings["email"]["examples"] == ["j***@exemplo.com"] * 3
    assert findings["cpf"]["examples"] == ["***.982.247-**"]
    assert findings["phone"]["examples"] == ["***-4320", "***-4321", "***-4322"]
    for finding in findings.values():
        assert finding["count"] == 3


def test_screen_can_be_switched_off(tmp_path):
    source = tmp_path / "f.csv"
    source.write_text("email\na@b.com\nc@d.com\n")
    assert to_parquet(source, tmp_path / "o.parquet", screen=False).personal_data == []
    assert to_parquet(source, tmp_path / "o.parquet").personal_data[0]["kind"] == "email"


def test_screening_by_value_counts_like_row_by_row(tmp_path):
    # Few distinct values (known from the statistics) are screened once each, with their
    # counts; the findings must be the same as testing every row.
    rows = [
        f"{name};{cpf};{mail};Rua {street}, {n}\n"
        for n, (name, cpf, mail, street) in enumerate(
            [("Ana Souza", "529.982.247-25", "ana@x.com", "A"), ("Empresa LTDA", "-", "-", "B")]
            * 40
            + [("Rui Lima", "111.444.777-35", "rui@y.org", "C")] * 7
        )
    ]
    source = tmp_path / "f.csv"
    source.write_text("nome;cpf;email;endereco_residencial\n" + "".join(rows), encoding="utf-8")
    result = to_parquet(source, tmp_path / "out.parquet", screen=False)
    fields = result.schema["fields"]
    assert result.report.stats["nome"]["distinct"] == 3  # "by value" applies to these columns
    with duckdb.connect() as con:
        by_value = screen.screen_parquet(
            con, str(tmp_path / "out.parquet"), fields, result.report.stats
        )
        by_row = screen.screen_parquet(con, str(tmp_path / "out.parquet"), fields)
    assert by_value == by_row
    assert {(f["column"], f["kind"], f["count"]) for f in by_row} == {
        ("nome", "name", 47),
        ("cpf", "cpf", 47),
        ("email", "email", 47),
        ("endereco_residencial", "address", 87),
    }


def test_sql_and_python_detectors_agree_on_the_labelled_fixture(tmp_path):
    # The screening judges common whole cells in SQL and the rest with paco.privacy: on the
    # labelled fixture (one column per context) it finds what the Python detectors find.
    groups = {}
    for _expected, context, text in labelled():
        groups.setdefault(context or "texto", []).append(text)
    columns = list(groups)
    rows = [
        {column: (text if column == owner else None) for column in columns}
        for owner, texts in groups.items()
        for text in texts
    ]
    path = tmp_path / "fixture.parquet"
    with duckdb.connect() as con:
        con.execute(f"CREATE TABLE t ({', '.join(f'{ident(c)} VARCHAR' for c in columns)})")
        con.executemany(
            f"INSERT INTO t VALUES ({', '.join('?' for _ in columns)})",  # noqa: S608
            [[row[c] for c in columns] for row in rows],
        )
        con.execute(f"COPY t TO {literal(str(path))} (FORMAT parquet)")
        fields = [{"name": c, "type": "string"} for c in columns]
        found = screen.screen_parquet(con, str(path), fields)
    got = {(f["column"], f["kind"]): f["count"] for f in found if f["kind"] in KINDS}
    expected = {}
    bare = re.compile(r"(?<![\w./@-])\d{11}(?![\w/@]|[.,-]\d)")
    for column, texts in groups.items():
        weak = candidates = 0
        for text in texts:
            matches = find_personal_data(text, column)
            for kind in {m.kind for m in matches if not m.weak}:
                expected[(column, kind)] = expected.get((column, kind), 0) + 1
            if any(m.weak for m in matches) and not any(
                m.kind == "cpf" for m in matches if not m.weak
            ):
                weak += 1
            candidates += bool(bare.search(text))
        if weak and weak >= 0.1 * candidates:
            expected[(column, "cpf")] = expected.get((column, "cpf"), 0) + weak
    assert got == expected
    assert len(got) >= 15  # every kind, in several contexts


def test_integer_columns_hold_zero_padded_cpfs(tmp_path):
    # 1234567890 is the CPF 012.345.678-90 whose leading zero the spreadsheet dropped.
    rng = random.Random(11)
    numbers = [rng.randrange(10**6, 10**11) for _ in range(3000)] + [1234567890]
    text = "cpf;x\n" + "".join(f"{n};1\n" for n in numbers)
    source = tmp_path / "f.csv"
    source.write_text(text.replace("cpf;", "cpf_titular;"))
    (finding,) = to_parquet(source, tmp_path / "out.parquet").personal_data
    expected = sum(_python_cpf_ok(f"{n:011d}") for n in numbers)
    assert (finding["column"], finding["kind"], finding["count"]) == (
        "cpf_titular",
        "cpf",
        expected,
    )


def test_cpf_split_over_two_columns(tmp_path):
    text = "base;dv;valor\n529982247;25;1\n111444777;35;2\n123456789;09;3\n"
    (finding,) = _screen(tmp_path, text)
    assert (finding["column"], finding["kind"], finding["count"]) == ("base", "cpf", 3)
    assert "dígitos verificadores na coluna “dv”" in finding["reason"]
    wrong = "base;dv;valor\n529982247;26;1\n111444777;36;2\n"
    assert _screen(tmp_path, wrong) == []


def test_nested_json_values_are_searched(tmp_path):
    source = tmp_path / "f.json"
    source.write_text(
        '[{"id": 1, "pessoa": {"nome": "Ana", "docs": {"cpf": "52998224725"}}},'
        ' {"id": 2, "pessoa": {"nome": "Rui", "docs": {"rg": "12.345.678-9"}}}]'
    )
    findings = to_parquet(source, tmp_path / "out.parquet").personal_data
    assert [(f["column"], f["kind"], f["count"]) for f in findings] == [
        ("pessoa", "cpf", 1),
        ("pessoa", "rg", 1),
    ]
