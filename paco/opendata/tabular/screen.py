"""LGPD screening: which columns of a normalized Parquet file hold personal data.

One SQL pass over the Parquet file counts, per column, the non-missing values
that look like each kind of personal data; a column is reported when the
share passes the kind's threshold (``THRESHOLDS``). A few examples are read
afterwards and masked before they leave this module: the report never
carries the data itself.

Kinds and how they are recognised:

- ``cpf``: 11 digits, with or without the ``000.000.000-00`` mask, whose two
  check digits are right (numbers of 11 digits in integer columns count too);
  invalid CPFs and CNPJs never count.
- ``email``: ``algo@dominio.tld``.
- ``phone``: Brazilian numbers with a separator, parentheses or ``+55``
  (``(11) 98765-4321``, ``3333-4444``); bare digit strings only in columns
  named like phones.
- ``name``: two or more words of letters, no digits and no company words
  (LTDA, ME, EIRELI…), only in columns named like people
  (nome, servidor, paciente, beneficiário, requerente, aluno, mãe…).
- ``address``: a street type (Rua, Av., Travessa, Alameda, Estrada…) followed
  by text and a number. An address alone is the address of a public place:
  it is reported only when the column is named like a home address
  (residência, domicílio…) or the table also identifies people.
- ``birth_date``: dates in a column named like a birth date (nascimento,
  data_nasc, dt_nasc, dn).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import duckdb

from .sqltext import ident, literal

# Minimum share of the non-missing values of a column that must match.
THRESHOLDS = {
    "cpf": 0.2,  # random 11-digit codes pass the check digits ~1% of the time
    "email": 0.2,
    "phone": 0.3,
    "name": 0.5,
    "address": 0.3,
    "birth_date": 0.5,
}
MAX_EXAMPLES = 3

_PERSON_COLUMN = re.compile(
    r"\b(nome|nomes|servidor|servidora|paciente|benefici\w*|requerente|aluno|aluna|alunos|"
    r"mae|pai|responsavel|titular|contribuinte|interessad[oa]|cidadao|cidada|solicitante|"
    r"funcionari[oa]|empregad[oa]|morador|eleitor|professor|professora|candidat[oa]|"
    r"dependente|conjuge|segurad[oa]|estudante|pessoa|proprietari[oa]|vitima|denunciante)\b"
)
_NOT_PERSON_COLUMN = re.compile(
    r"\b(escola|unidade|empresa|fantasia|razao|orgao|secretaria|bairro|rua|logradouro|"
    r"municipio|cidade|curso|produto|item|projeto|programa|fornecedor|estabelecimento|"
    r"entidade|instituicao|obra|servico|cargo|funcao|lotacao|departamento|setor|"
    r"arquivo|campo|evento|local|distrito|regiao|banco|agencia|plano|acao|uf|estado|pais)\b"
)
_PHONE_COLUMN = re.compile(r"\b(telefone|telefones|fone|tel|celular|whatsapp|contato)\b")
_HOME_COLUMN = re.compile(r"\b(residencia|residencial|domicilio|moradia|endereco residencial)\b")
_BIRTH_COLUMN = re.compile(r"(nascimento|\bnasc\b|\bdn\b|\bdt nasc|\bdata nasc|data de nasc)")

_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
CPF_SHAPE = r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}"
_PHONE = (
    r"(\+?55[\s-]?)?(\(\d{2}\)\s?|\d{2}[\s-])?(9\s?\d{4}|[2-5]\d{3})[\s.-]\d{4}"
    r"|\+?55\s?\d{10,11}"
)
_PHONE_DIGITS = r"(55)?(\d{2})?(9\d{8}|[2-5]\d{7})"
_NAME = r"[\pL][\pL'’.-]*(\s+[\pL][\pL'’.-]*)+"
_COMPANY = (
    r"\b(LTDA|S\.?/?A|EIRELI|ME|EPP|MEI|CIA|COMERCIO|COMÉRCIO|SERVICOS|SERVIÇOS|INDUSTRIA|"
    r"INDÚSTRIA|ASSOCIACAO|ASSOCIAÇÃO|FUNDACAO|FUNDAÇÃO|INSTITUTO|COOPERATIVA|PREFEITURA|"
    r"SECRETARIA|MUNICIPIO|MUNICÍPIO|ESCOLA|HOSPITAL|BANCO|EMPRESA|CONSTRUTORA|DISTRIBUIDORA|"
    r"FARMACIA|FARMÁCIA|MERCADO|SUPERMERCADO|POSTO|PADARIA|CENTRO|UNIDADE|CONSELHO|FUNDO|"
    r"CAMARA|CÂMARA|TRIBUNAL|GOVERNO|ESTADO|UNIAO|UNIÃO)\b"
)
_ADDRESS = (
    r"^(rua|r\.|av\.?|avenida|travessa|tv\.?|trav\.?|alameda|al\.|estrada|estr\.?|rodovia|"
    r"rod\.|praça|praca|pç\.?|largo|beco|viela|servidão|servidao|quadra|qd\.?)\s.*\d"
)
_DATE_TEXT = r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2}.*"


def _cpf_check_sql(n: str) -> str:
    """SQL: the 11-digit integer ``n`` has valid CPF check digits (integer arithmetic only)."""
    digit = [f"({n} // {10 ** (10 - i)} % 10)" for i in range(11)]
    dv1 = " + ".join(f"{digit[i]} * {10 - i}" for i in range(9))
    dv2 = " + ".join(f"{digit[i]} * {11 - i}" for i in range(10))
    return (
        f"(({dv1}) * 10 % 11 % 10 = {digit[9]} AND ({dv2}) * 10 % 11 % 10 = {digit[10]} "
        f"AND {n} % 11111111111 <> 0)"  # not eleven equal digits
    )


_DIGIT_FIRST = "ascii(s) BETWEEN 48 AND 57"
# Each regex sits behind a cheap guard (CASE evaluates it only where the guard holds).
MACROS = [
    f"CREATE OR REPLACE TEMP MACRO paco_cpf_ok(n) AS {_cpf_check_sql('n')}",
    "CREATE OR REPLACE TEMP MACRO paco_is_cpf(s) AS CASE WHEN length(s) BETWEEN 11 AND 14 "
    f"AND {_DIGIT_FIRST} AND regexp_full_match(s, {literal(CPF_SHAPE)}) "
    "THEN paco_cpf_ok(CAST(regexp_replace(s, '[^0-9]', '', 'g') AS BIGINT)) ELSE false END",
    "CREATE OR REPLACE TEMP MACRO paco_is_email(s) AS CASE WHEN contains(s, '@') "
    f"THEN regexp_full_match(s, {literal(_EMAIL)}) ELSE false END",
    "CREATE OR REPLACE TEMP MACRO paco_is_phone(s) AS CASE WHEN length(s) BETWEEN 8 AND 20 "
    f"AND ({_DIGIT_FIRST} OR s[1] IN ('(', '+')) THEN regexp_full_match(s, {literal(_PHONE)}) "
    "ELSE false END",
    "CREATE OR REPLACE TEMP MACRO paco_is_phone_digits(s) AS "
    f"regexp_full_match(s, {literal(_PHONE_DIGITS)})",
    "CREATE OR REPLACE TEMP MACRO paco_is_name(s) AS "
    f"CASE WHEN regexp_full_match(s, {literal(_NAME)}) THEN NOT regexp_matches(upper(s), "
    f"{literal(_COMPANY)}) ELSE false END",
    "CREATE OR REPLACE TEMP MACRO paco_is_address(s) AS CASE WHEN lower(s[1]) IN "
    "('r', 'a', 't', 'e', 'p', 'l', 'b', 'v', 's', 'q') "
    f"THEN regexp_matches(s, {literal('(?i)' + _ADDRESS)}) ELSE false END",
    f"CREATE OR REPLACE TEMP MACRO paco_is_date_text(s) AS regexp_full_match(s, "
    f"{literal(_DATE_TEXT)})",
]


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for statement in MACROS:
        con.execute(statement)


def fold(name: str) -> str:
    """Column name without accents, lower case, ``_``/``-``/``.`` as spaces."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[_\-./]", " ", plain.casefold()).split())


def is_person_column(name: str) -> bool:
    folded = fold(name)
    return bool(_PERSON_COLUMN.search(folded)) and not _NOT_PERSON_COLUMN.search(folded)


def is_birth_column(name: str) -> bool:
    return bool(_BIRTH_COLUMN.search(fold(name)))


def _checks(field: dict[str, Any], c: str | None = None) -> list[tuple[str, str]]:
    """(kind, SQL predicate on ``c``, by default the column) worth counting for this column."""
    name, kind = field["name"], field["type"]
    c = c or ident(name)
    checks: list[tuple[str, str]] = []
    if kind == "string":
        checks.append(("cpf", f"paco_is_cpf({c})"))
        checks.append(("email", f"paco_is_email({c})"))
        phone = f"paco_is_phone({c})"
        if _PHONE_COLUMN.search(fold(name)):
            phone = f"({phone} OR paco_is_phone_digits(regexp_replace({c}, '[^0-9]', '', 'g')))"
        checks.append(("phone", f"CASE WHEN {phone} THEN NOT paco_is_cpf({c}) ELSE false END"))
        if is_person_column(name):
            checks.append(("name", f"paco_is_name({c})"))
        checks.append(("address", f"paco_is_address({c})"))
        if is_birth_column(name):
            checks.append(("birth_date", f"paco_is_date_text({c})"))
    elif kind == "integer":
        checks.append(
            (
                "cpf",
                f"CASE WHEN {c} BETWEEN 1000000 AND 99999999999 "
                f"THEN paco_cpf_ok({c}) ELSE false END",
            )
        )
    elif kind in {"date", "datetime"} and is_birth_column(name):
        checks.append(("birth_date", f"{c} IS NOT NULL"))
    return checks


_REASONS = {
    "cpf": "{n} de {total} valores são CPFs válidos",
    "email": "{n} de {total} valores são endereços de e-mail",
    "phone": "{n} de {total} valores são números de telefone",
    "name": "{n} de {total} valores parecem nomes de pessoas",
    "address": "{n} de {total} valores são endereços com número",
    "birth_date": "{n} de {total} valores são datas de nascimento",
}


def screen_parquet(
    con: duckdb.DuckDBPyConnection,
    parquet: str,
    fields: list[dict[str, Any]],
    stats: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Return the personal-data findings of a Parquet file with these schema fields.

    Columns with few distinct values (``stats``: ``distinct`` known, see
    ``stats.py``) are screened value by value with their counts, the others
    row by row: same counts, far fewer regular-expression calls.
    """
    install_macros(con)
    source = f"read_parquet({literal(parquet)})"
    planned = [(field, checks) for field in fields if (checks := _checks(field))]
    counted: dict[str, tuple[int, list[int]]] = {}
    row_by_row: list[tuple[dict[str, Any], list[tuple[str, str]]]] = []
    for field, checks in planned:
        if (stats or {}).get(field["name"], {}).get("distinct") is not None:
            counted[field["name"]] = _by_value(con, source, field)
        else:
            row_by_row.append((field, checks))
    if row_by_row:
        selects: list[str] = []
        for field, checks in row_by_row:
            selects.append(f"count({ident(field['name'])})")
            selects += [f"count(*) FILTER (WHERE {p})" for _kind, p in checks]
        row = con.execute(f"SELECT {', '.join(selects)} FROM {source}").fetchone()  # noqa: S608
        assert row is not None
        position = 0
        for field, checks in row_by_row:
            end = position + 1 + len(checks)
            counted[field["name"]] = (row[position], list(row[position + 1 : end]))
            position = end
    findings: list[dict[str, Any]] = []
    for field, checks in planned:
        total, matches = counted[field["name"]]
        for (kind, predicate), matched in zip(checks, matches, strict=True):
            if total and matched and matched >= THRESHOLDS[kind] * total:
                findings.append(
                    {
                        "column": field["name"],
                        "kind": kind,
                        "reason": _REASONS[kind].format(n=matched, total=total) + ".",
                        "count": matched,
                        "examples": _examples(con, source, field["name"], kind, predicate),
                    }
                )
    return _drop_lone_addresses(findings)


def _by_value(
    con: duckdb.DuckDBPyConnection, source: str, field: dict[str, Any]
) -> tuple[int, list[int]]:
    """Non-missing count and matches per check, testing each distinct value once."""
    c = ident(field["name"])
    checks = _checks(field, "v")
    sums = ", ".join(f"coalesce(sum(n) FILTER (WHERE {p}), 0)" for _kind, p in checks)
    row = con.execute(
        f"SELECT coalesce(sum(n), 0), {sums} FROM (SELECT {c} AS v, count(*) AS n "  # noqa: S608
        f"FROM {source} WHERE {c} IS NOT NULL GROUP BY {c})"
    ).fetchone()
    assert row is not None
    return int(row[0]), [int(x) for x in row[1:]]


def _drop_lone_addresses(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    people = any(f["kind"] != "address" for f in findings)
    return [
        f
        for f in findings
        if f["kind"] != "address" or people or _HOME_COLUMN.search(fold(f["column"]))
    ]


def _examples(
    con: duckdb.DuckDBPyConnection, source: str, column: str, kind: str, predicate: str
) -> list[str]:
    c = ident(column)
    rows = con.execute(  # the first matches in file order, deduplicated here
        f"SELECT CAST({c} AS VARCHAR) FROM {source} "  # noqa: S608
        f"WHERE {predicate} LIMIT {MAX_EXAMPLES * 20}"
    ).fetchall()
    first = list(dict.fromkeys(str(row[0]) for row in rows))[:MAX_EXAMPLES]
    return [mask_value(kind, text) for text in first]


# Masking (Python twin of the SQL in treat.py, used for the examples) ---------


def mask_cpf(text: str) -> str:
    digits = re.sub(r"\D", "", text).rjust(11, "0")
    return f"***.{digits[3:6]}.{digits[6:9]}-**"


def mask_email(text: str) -> str:
    user, _, domain = text.partition("@")
    return f"{user[:1]}***@{domain}"


def mask_phone(text: str) -> str:
    return "***-" + re.sub(r"\D", "", text)[-4:]


PARTICLES = {"da", "de", "do", "das", "dos", "e", "di", "du", "del"}


def mask_name(text: str) -> str:
    words = [w for w in text.split() if w.casefold() not in PARTICLES]
    return " ".join(f"{w[0].upper()}." for w in words if w[:1].isalpha()) or "***"


def mask_value(kind: str, text: str) -> str:
    if kind == "cpf":
        return mask_cpf(text)
    if kind == "email":
        return mask_email(text)
    if kind == "phone":
        return mask_phone(text)
    if kind == "name":
        return mask_name(text)
    if kind == "birth_date":
        year = re.search(r"\d{4}", text)
        return f"**/**/{year.group(0)}" if year else "***"
    return "***"
