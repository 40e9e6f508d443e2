"""LGPD screening: which columns of a normalized Parquet file hold personal data.

The detectors are ``paco.privacy``'s, the same that mask every free text Paço
publishes; they look **inside** cells (“Pagamento a Fulano CPF 123.456.789-09”)
and inside nested values (a JSON source keeps a nested object as compact JSON
text in its column, so ``{"titular":{"cpf":"…"}}`` is searched like any text,
its keys serving as labels). **Any occurrence counts**: one valid CPF in one
cell of a million-row column is a finding. False positives are kept low by check
digits and context, not by a share of rows:

- ``cpf``, ``nis``, ``cns``: valid check digits only. A formatted number is a
  finding wherever it is; a bare run of digits (``52998224725``, or an integer
  column, where a CPF may have lost its leading zeros: 1234567890 is the CPF
  012.345.678-90) counts when the column name, a JSON key or a label names its
  kind (cpf, documento, nis, pis, cns, cartão sus…), or when far more of the
  column's bare candidates pass the check than chance would (``CHANCE``: random
  11-digit codes pass the CPF check 1 time in 100).
- a CPF split over two adjacent columns (9-digit base, 2 check digits) is found
  per row and reported on the base column.
- ``rg``: by label (“RG 12.345.678-9”, ``"rg":"…"``) or in a column named like it.
- ``email``, ``phone`` (with DDD, +55 or a 9xxxx-xxxx mobile anywhere; other
  shapes in columns or after labels named like phones).
- ``name``: people's names by their values (IBGE given names, see
  ``paco/privacy/names.py``), in any column except those naming places and
  institutions (escola, unidade, rua…); in columns named like people
  (nome, favorecido, beneficiário…) any name-shaped cell.
- ``mei``: a CNPJ or CNPJ base written next to a person's name (an individual's firm).
- ``address``: a street type (Rua, Av., Travessa…) followed by text and a
  number. An address alone is the address of a public place: it is reported
  only when the column is named like a home address (residência, domicílio…)
  or the table also identifies people.
- ``birth_date``: dates in a column named like a birth date.

How it runs: whole cells of the common shapes (a formatted CPF, a bare 11-digit
number, an e-mail) are checked in SQL (``MACROS``, twins of the Python detectors,
tested to agree); any other cell that could hold personal data (a cheap SQL
prefilter: 8+ digits, ``@``, an RG label, or a capitalised word that is a listed
given name) is screened once per distinct value by ``paco.privacy``, with its
count. Examples are masked before they leave this module.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from paco.core.lazy import lazy_module
from paco.privacy import LABELS, PARTICLES, find_personal_data, mask_value
from paco.privacy.checks import cpf_is_valid
from paco.privacy.detect import PERSON_LABEL, PLACE_LABEL, fold, read_context
from paco.privacy.names import AMBIGUOUS, HONOURED, given_names

from .sqltext import ident, literal

if TYPE_CHECKING:
    import duckdb
else:
    duckdb = lazy_module("duckdb")

__all__ = ["PARTICLES", "mask_value", "screen_parquet"]

MAX_EXAMPLES = 3
# A bare number passing a check digit by chance: CPF 1 in 100, CNS about 1 in 11.
# Weak matches count when at least this share of the column's bare candidates pass.
CHANCE = {"cpf": 0.1, "cns": 0.5}
KIND_ORDER = ("cpf", "nis", "cns", "rg", "email", "phone", "name", "mei", "address", "birth_date")

_HOME_COLUMN = re.compile(r"\b(residencia|residencial|domicilio|moradia|endereco residencial)\b")
_BIRTH_COLUMN = re.compile(r"(nascimento|\bnasc\b|\bdn\b|\bdt nasc|\bdata nasc|data de nasc)")
_SPLIT_CONTEXT = re.compile(r"\b(cpf|dv|digito|digitos|verificador)\b")

_EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
CPF_SHAPE = r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}"
_PHONE = (
    r"(\+?55[\s-]?)?(\(\d{2}\)\s?|\d{2}[\s-])?(9\s?\d{4}|[2-5]\d{3})[\s.-]\d{4}"
    r"|\+?55\s?\d{10,11}"
)
_ADDRESS = (
    r"^(rua|r\.|av\.?|avenida|travessa|tv\.?|trav\.?|alameda|al\.|estrada|estr\.?|rodovia|"
    r"rod\.|praça|praca|pç\.?|largo|beco|viela|servidão|servidao|quadra|qd\.?)\s.*\d"
)
_DATE_TEXT = r"\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-\d{1,2}-\d{4}|\d{4}-\d{2}-\d{2}.*"
# A superset of what the Python detectors can find in a cell (RE2: no look-arounds).
_DIGITS_PREFILTER = (
    r"\d{3}[. ]?\d{3}[. ]?\d{2}|\d{4}[ .-]\d{4}|@|(?i:\brg\b|r\.\s?g\.|identidade|registro geral)"
)
_WORD_ASCII = r"[A-Z][A-Za-z]+"
_HONOURED = "(?i)" + "|".join(sorted(HONOURED))
_NAME_PAIR = (  # words apart by spaces (a tab between two names is not looked for)
    r"[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ'’]+ +(?:(?:[dD][aAeEoO][sS]?|[eE]|[dD][iIuU]) +)?"
    r"[A-ZÀ-ÖØ-Þ]"
)
_FORMATTED_CPF = r"\d{3}\.\d{3}\.\d{3}-\d{2}"
# A whole cell that paco.privacy reads as a phone whatever the context (twin of detect.py).
_PHONE_STRICT = (
    r"(\+?55[ -]?)?(\(\d{2}\) ?|\d{2}[ -])(9 ?\d{4}|[2-5]\d{3})[ .-]?\d{4}"
    r"|\+55 ?\d{10,11}|9\d{4}-\d{4}"
)


def _cpf_check_sql(n: str) -> str:
    """SQL: the 11-digit integer ``n`` has valid CPF check digits (integer arithmetic only)."""
    digit = [f"({n} // {10 ** (10 - i)} % 10)" for i in range(11)]
    dv1 = " + ".join(f"{digit[i]} * {10 - i}" for i in range(9))
    dv2 = " + ".join(f"{digit[i]} * {11 - i}" for i in range(10))
    return (
        f"(({dv1}) * 10 % 11 % 10 = {digit[9]} AND ({dv2}) * 10 % 11 % 10 = {digit[10]} "
        f"AND {n} % 11111111111 <> 0)"  # not eleven equal digits
    )


def _nis_check_sql(n: str) -> str:
    """SQL: the 11-digit integer ``n`` has a valid NIS/PIS check digit."""
    digit = [f"({n} // {10 ** (10 - i)} % 10)" for i in range(11)]
    weights = (3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
    total = " + ".join(f"{digit[i]} * {w}" for i, w in enumerate(weights))
    return (
        f"(CASE WHEN 11 - ({total}) % 11 >= 10 THEN 0 ELSE 11 - ({total}) % 11 END "
        f"= {digit[10]} AND {n} % 11111111111 <> 0)"
    )


def _cns_check_sql(n: str) -> str:
    """SQL: the 15-digit integer ``n`` is a valid Cartão Nacional de Saúde."""
    digit = [f"({n} // {10 ** (14 - i)} % 10)" for i in range(15)]
    total = " + ".join(f"{digit[i]} * {15 - i}" for i in range(15))
    definitive = f"({digit[11]} = 0 AND {digit[12]} = 0 AND {digit[13]} IN (0, 1))"
    return (
        f"(({total}) % 11 = 0 AND ({digit[0]} IN (7, 8, 9) OR ({digit[0]} IN (1, 2) "
        f"AND {definitive})))"
    )


_DIGIT_FIRST = "ascii(s) BETWEEN 48 AND 57"
# Each regex sits behind a cheap guard (CASE evaluates it only where the guard holds).
MACROS = [
    f"CREATE OR REPLACE TEMP MACRO paco_cpf_ok(n) AS {_cpf_check_sql('n')}",
    f"CREATE OR REPLACE TEMP MACRO paco_nis_ok(n) AS {_nis_check_sql('n')}",
    f"CREATE OR REPLACE TEMP MACRO paco_cns_ok(n) AS {_cns_check_sql('n')}",
    "CREATE OR REPLACE TEMP MACRO paco_is_cpf(s) AS CASE WHEN length(s) BETWEEN 11 AND 14 "
    f"AND {_DIGIT_FIRST} AND regexp_full_match(s, {literal(CPF_SHAPE)}) "
    "THEN paco_cpf_ok(CAST(regexp_replace(s, '[^0-9]', '', 'g') AS BIGINT)) ELSE false END",
    # Digits by position, not regexp_replace: a macro's argument is repeated in its body.
    "CREATE OR REPLACE TEMP MACRO paco_is_formatted_cpf_shape(s) AS length(s) = 14 "
    f"AND {_DIGIT_FIRST} AND regexp_full_match(s, {literal(_FORMATTED_CPF)})",
    "CREATE OR REPLACE TEMP MACRO paco_is_formatted_cpf(s) AS CASE WHEN "
    "paco_is_formatted_cpf_shape(s) THEN paco_cpf_ok(CAST(s[1:3] || s[5:7] || s[9:11] "
    "|| s[13:14] AS BIGINT)) ELSE false END",
    "CREATE OR REPLACE TEMP MACRO paco_is_phone_strict(s) AS CASE WHEN length(s) BETWEEN 9 AND 20 "
    f"AND ({_DIGIT_FIRST} OR s[1] IN ('(', '+')) "
    f"THEN regexp_full_match(s, {literal(_PHONE_STRICT)}) ELSE false END",
    "CREATE OR REPLACE TEMP MACRO paco_is_bare11(s) AS length(s) = 11 AND "
    f"{_DIGIT_FIRST} AND regexp_full_match(s, '\\d{{11}}')",
    "CREATE OR REPLACE TEMP MACRO paco_is_email(s) AS CASE WHEN contains(s, '@') "
    f"THEN regexp_full_match(s, {literal(_EMAIL)}) ELSE false END",
    "CREATE OR REPLACE TEMP MACRO paco_is_phone(s) AS CASE WHEN length(s) BETWEEN 8 AND 20 "
    f"AND ({_DIGIT_FIRST} OR s[1] IN ('(', '+')) THEN regexp_full_match(s, {literal(_PHONE)}) "
    "ELSE false END",
    "CREATE OR REPLACE TEMP MACRO paco_is_address(s) AS CASE WHEN lower(s[1]) IN "
    "('r', 'a', 't', 'e', 'p', 'l', 'b', 'v', 's', 'q') "
    f"THEN regexp_matches(s, {literal('(?i)' + _ADDRESS)}) ELSE false END",
    f"CREATE OR REPLACE TEMP MACRO paco_is_date_text(s) AS regexp_full_match(s, "
    f"{literal(_DATE_TEXT)})",
    f"CREATE OR REPLACE TEMP MACRO paco_maybe_digits(s) AS regexp_matches(s, "
    f"{literal(_DIGITS_PREFILTER)})",
]


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    for statement in MACROS:
        con.execute(statement)
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'paco_given_names' AND temporary"
    ).fetchone()
    if not (exists and exists[0]):
        names = sorted(given_names() - AMBIGUOUS)
        con.execute(
            "CREATE TEMP TABLE paco_given_names AS SELECT unnest(?::VARCHAR[]) AS name", [names]
        )


def is_person_column(name: str) -> bool:
    return read_context(name).person


def is_birth_column(name: str) -> bool:
    return bool(_BIRTH_COLUMN.search(fold(name)))


@dataclass
class _Tally:
    """Per kind: values found, examples; weak (bare) matches apart, with their candidates."""

    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    weak: dict[str, int] = field(default_factory=dict)
    candidates: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    split_with: str | None = None
    distinct: int | None = None  # estimated, for columns with more than 1,000 values

    def repeats(self) -> bool:
        """Values repeat enough to screen each distinct one once (half as many or fewer)."""
        return self.distinct is None or self.distinct <= self.total / 2

    def add(self, kind: str, n: int, examples: list[str], *, weak: bool = False) -> None:
        if n <= 0:
            return
        target = self.weak if weak else self.counts
        target[kind] = target.get(kind, 0) + n
        kept = self.examples.setdefault(kind, [])  # masked forms of distinct raw values
        kept += examples[: MAX_EXAMPLES * 4 - len(kept)]

    def kinds(self) -> dict[str, int]:
        found = dict(self.counts)
        for kind, n in self.weak.items():
            if n >= CHANCE[kind] * self.candidates.get(kind, n):
                found[kind] = found.get(kind, 0) + n
        return found


_REASONS = {
    "cpf": "{n} de {total} valores contêm CPF válido",
    "nis": "{n} de {total} valores contêm NIS/PIS/PASEP válido",
    "cns": "{n} de {total} valores contêm número do Cartão Nacional de Saúde válido",
    "rg": "{n} de {total} valores contêm número de RG",
    "email": "{n} de {total} valores contêm endereço de e-mail",
    "phone": "{n} de {total} valores contêm número de telefone",
    "name": "{n} de {total} valores contêm nome de pessoa",
    "mei": "{n} de {total} valores contêm nome de pessoa com CNPJ (empresa individual)",
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

    Each finding: ``column``, ``kind``, ``label`` (pt-BR), ``reason`` (pt-BR, starts
    with the count), ``count`` (values with at least one occurrence) and up to three
    masked ``examples``. Columns with few distinct values (``stats``: ``distinct``
    known, see ``stats.py``) are checked value by value with their counts.
    """
    install_macros(con)
    source = f"read_parquet({literal(parquet)}, file_row_number = true)"
    if any(f["name"].casefold() == "file_row_number" for f in fields):
        # A column already has that name: the examples lose their file order.
        source = f"(SELECT *, 0 AS paco_row FROM read_parquet({literal(parquet)}))"  # noqa: S608
    else:
        source = f"(SELECT *, file_row_number AS paco_row FROM {source})"  # noqa: S608
    tallies: dict[str, _Tally] = {}
    texts = [f for f in fields if f["type"] == "string"]
    _whole_cells(con, source, fields, tallies, stats or {})
    for spec in texts:
        _cells_in_python(con, source, spec, tallies[spec["name"]], tallies[spec["name"]].repeats())
    _split_cpfs(con, source, fields, tallies)
    findings: list[dict[str, Any]] = []
    for spec in fields:
        tally = tallies[spec["name"]]
        found = tally.kinds()
        for kind in KIND_ORDER:
            if kind in found:
                findings.append(_finding(spec["name"], kind, found[kind], tally))
    return _drop_lone_addresses(findings)


def _finding(column: str, kind: str, n: int, tally: _Tally) -> dict[str, Any]:
    reason = _REASONS[kind].format(n=n, total=tally.total)
    if kind == "cpf" and tally.split_with:
        reason += f", com os dígitos verificadores na coluna “{tally.split_with}”"
    return {
        "column": column,
        "kind": kind,
        "label": LABELS.get(kind, "Endereço" if kind == "address" else "Data de nascimento"),
        "reason": reason + ".",
        "count": n,
        "examples": tally.examples.get(kind, [])[:MAX_EXAMPLES] or ["***"],
    }


def _derived(c: str, alias: str) -> str:
    """SQL select items: the CPF-shaped cell as a number, once per row (``paco_cpf_ok``
    is a macro that repeats its argument 25 times: it must get a column, not a formula)."""
    formatted = f"CAST({c}[1:3] || {c}[5:7] || {c}[9:11] || {c}[13:14] AS BIGINT)"
    return (
        f"CASE WHEN paco_is_formatted_cpf_shape({c}) THEN {formatted} END AS {alias}_f, "
        f"CASE WHEN paco_is_bare11({c}) THEN CAST({c} AS BIGINT) END AS {alias}_b"
    )


def _with_derived(source: str, fields: list[dict[str, Any]], column: str = "") -> str:
    """``source`` plus the derived numbers of its text columns (or of ``column`` only)."""
    items = [
        _derived(ident(spec["name"]), f"paco_d{index}")
        for index, spec in enumerate(fields)
        if spec["type"] == "string" and column in ("", spec["name"])
    ]
    if not items:
        return source
    return f"(SELECT *, {', '.join(items)} FROM {source})"  # noqa: S608


def _whole_cell_checks(
    spec: dict[str, Any], c: str, alias: str = ""
) -> list[tuple[str, str, bool]]:
    """(kind, SQL predicate, weak) counted in SQL over whole cells of this column;
    ``alias``: the prefix of its derived numbers (``_derived``)."""
    name, kind = spec["name"], spec["type"]
    ctx = read_context(name)
    checks: list[tuple[str, str, bool]] = []
    if kind == "string":
        checks.append(("cpf", f"coalesce(paco_cpf_ok({alias}_f), false)", False))
        if not (ctx.phone or ctx.nis):
            checks.append(("cpf", f"coalesce(paco_cpf_ok({alias}_b), false)", not ctx.cpf))
            checks.append(("cpf_candidate", f"paco_is_bare11({c})", False))
        checks.append(("email", f"paco_is_email({c})", False))
        checks.append(("phone", f"paco_is_phone_strict({c})", False))
        checks.append(("address", f"paco_is_address({c})", False))
        if is_birth_column(name):
            checks.append(("birth_date", f"paco_is_date_text({c})", False))
    elif kind == "integer":
        digits = f"{c} BETWEEN 1000000 AND 99999999999"
        if ctx.cns:
            fifteen = f"{c} BETWEEN 100000000000000 AND 999999999999999"
            cns = f"CASE WHEN {fifteen} THEN paco_cns_ok({c}) END"
            checks.append(("cns", f"coalesce({cns}, false)", False))
        elif ctx.nis:
            nis = f"CASE WHEN {c} BETWEEN 10000000000 AND 99999999999 THEN paco_nis_ok({c}) END"
            checks.append(("nis", f"coalesce({nis}, false)", False))
        else:
            cpf = f"CASE WHEN {digits} THEN paco_cpf_ok({c}) END"
            checks.append(("cpf", f"coalesce({cpf}, false)", not ctx.cpf))
            checks.append(("cpf_candidate", digits, False))
    elif kind in {"date", "datetime"} and is_birth_column(name):
        checks.append(("birth_date", f"{c} IS NOT NULL", False))
    if kind in {"string", "integer"}:
        checks.append(("split_base", f"({_split_number_sql(c, kind, True)}) IS NOT NULL", False))
        checks.append(("split_check", f"({_split_number_sql(c, kind, False)}) IS NOT NULL", False))
    return checks


def fast_path_sql(spec: dict[str, Any], c: str) -> str:
    """SQL: this text cell is fully judged in SQL (skipped by the Python pass)."""
    ctx = read_context(spec["name"])
    fast = f"paco_is_formatted_cpf_shape({c}) OR paco_is_email({c}) OR paco_is_phone_strict({c})"
    if not (ctx.phone or ctx.nis):
        fast += f" OR paco_is_bare11({c})"
    return f"({fast})"


def _whole_cells(
    con: duckdb.DuckDBPyConnection,
    source: str,
    fields: list[dict[str, Any]],
    tallies: dict[str, _Tally],
    stats: dict[str, dict[str, Any]],
) -> None:
    """Whole-cell checks in SQL: one pass for the columns with many distinct values,
    one small ``GROUP BY`` for each column with few (``stats``: ``distinct`` known)."""
    row_by_row: list[tuple[dict[str, Any], list[tuple[str, str, bool]]]] = []
    for index, spec in enumerate(fields):
        c = ident(spec["name"])
        alias = f"paco_d{index}"
        checks = _whole_cell_checks(spec, c, alias)
        if stats.get(spec["name"], {}).get("distinct") is not None:
            by_value = _whole_cell_checks(spec, "v", alias)
            sums = "".join(f", coalesce(sum(n) FILTER (WHERE {p}), 0)" for _k, p, _w in by_value)
            values = (
                f"(SELECT {c} AS v, count(*) AS n FROM {source} WHERE {c} IS NOT NULL GROUP BY {c})"  # noqa: S608
            )
            if spec["type"] == "string":
                values = f"(SELECT *, {_derived('v', alias)} FROM {values})"  # noqa: S608
            row = con.execute(f"SELECT coalesce(sum(n), 0){sums} FROM {values}").fetchone()  # noqa: S608
            assert row is not None
            examples_source = _with_derived(source, _only(fields, index))
            _count(con, examples_source, spec, checks, list(row), tallies)
        else:
            row_by_row.append((spec, checks))
    if not row_by_row:
        return
    selects: list[str] = []
    for spec, checks in row_by_row:
        selects.append(f"count({ident(spec['name'])})")
        selects += [f"count(*) FILTER (WHERE {p})" for _kind, p, _weak in checks]
        selects.append(f"approx_count_distinct({ident(spec['name'])})")
    derived = _with_derived(source, fields)
    row = con.execute(f"SELECT {', '.join(selects)} FROM {derived}").fetchone()  # noqa: S608
    assert row is not None
    position = 0
    for spec, checks in row_by_row:
        end = position + 1 + len(checks)
        _count(con, derived, spec, checks, list(row[position:end]), tallies)
        tallies[spec["name"]].distinct = int(row[end])
        position = end + 1


def _only(fields: list[dict[str, Any]], index: int) -> list[dict[str, Any]]:
    """``fields`` with only ``index`` left a text column (keeps the derived aliases' numbers)."""
    return [spec if i == index else {**spec, "type": "-"} for i, spec in enumerate(fields)]


def _count(
    con: duckdb.DuckDBPyConnection,
    source: str,
    spec: dict[str, Any],
    checks: list[tuple[str, str, bool]],
    row: list[Any],
    tallies: dict[str, _Tally],
) -> None:
    tally = tallies[spec["name"]] = _Tally(total=int(row[0]))
    for (kind, predicate, weak), n in zip(checks, row[1:], strict=True):
        if kind == "cpf_candidate":
            tally.candidates["cpf"] = tally.candidates.get("cpf", 0) + int(n)
        elif kind.startswith("split_"):
            tally.candidates[kind] = int(n)
        elif n:
            examples = _examples(con, source, spec["name"], kind, predicate)
            tally.add(kind, int(n), examples, weak=weak)


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


def _candidates_sql(spec: dict[str, Any], source: str, few: bool) -> str:
    """SQL: the distinct text values (with count and first row) the Python pass must see.

    A superset of what the detectors can find: digits or ``@`` or an RG label
    (``paco_maybe_digits``), or two capitalised words one of which is a listed given
    name (a semi-join with ``paco_given_names``); every value in columns named like
    people or RGs. Whole cells judged in SQL (``fast_path_sql``) are left out.
    """
    name = spec["name"]
    c = ident(name)
    ctx = read_context(name)
    everything = ctx.person or ctx.rg
    names_too = everything or not PLACE_LABEL.search(fold(name))
    gate = "true" if everything else f"paco_maybe_digits({c})"
    if names_too and not everything:
        pair = f"CASE WHEN contains({c}, ' ') THEN regexp_matches({c}, {literal(_NAME_PAIR)}) END"
        gate = f"({gate} OR coalesce({pair}, false))"
    rows = (
        f"SELECT {c} AS v, count(*) AS n, min(paco_row) AS first FROM {source} "  # noqa: S608
        f"WHERE {c} IS NOT NULL AND NOT {fast_path_sql(spec, c)} AND {gate} GROUP BY ALL"
    )
    if few:  # values repeat: group first, then test each distinct value once
        gate = gate.replace(c, "v")
        rows = (
            f"SELECT v, n, first FROM (SELECT {c} AS v, count(*) AS n, "  # noqa: S608
            f"min(paco_row) AS first FROM {source} WHERE {c} IS NOT NULL GROUP BY ALL) "
            f"WHERE NOT {fast_path_sql(spec, 'v')} AND {gate}"
        )
    if everything:
        return f"{rows} ORDER BY first"
    named = "false"
    if names_too:
        words = (
            f"upper(unnest(regexp_extract_all(regexp_replace(strip_accents(v), "
            f"{literal(_HONOURED)}, ' ', 'g'), {literal(_WORD_ASCII)})))"
        )
        named = (
            f"v IN (SELECT v FROM (SELECT v, {words} AS word FROM d "  # noqa: S608
            "WHERE NOT paco_maybe_digits(v)) SEMI JOIN paco_given_names ON word = name)"
        )
    return (
        f"WITH d AS ({rows}) SELECT v, n, first FROM d "  # noqa: S608
        f"WHERE paco_maybe_digits(v) OR {named} ORDER BY first"
    )


def _cells_in_python(
    con: duckdb.DuckDBPyConnection, source: str, spec: dict[str, Any], tally: _Tally, few: bool
) -> None:
    """Every other candidate cell, once per distinct value, through ``paco.privacy``."""
    name = spec["name"]
    no_names = bool(PLACE_LABEL.search(fold(name))) and not PERSON_LABEL.search(fold(name))
    cursor = con.execute(_candidates_sql(spec, source, few))
    while batch := cursor.fetchmany(10_000):
        for value, n, _first in batch:
            _tally_value(str(value), int(n), name, tally, no_names=no_names)


_BARE = {"cpf": re.compile(r"(?<![\w./,@-])\d{11}(?![\w/,@]|[.-]\d)")}


def _tally_value(value: str, n: int, context: str, tally: _Tally, *, no_names: bool) -> None:
    matches = find_personal_data(value, context)
    seen: dict[tuple[str, bool], list[str]] = {}
    for match in matches:
        if no_names and match.kind == "name":
            continue
        seen.setdefault((match.kind, match.weak), []).append(mask_value(match.kind, match.text))
    for (kind, weak), examples in seen.items():
        if weak and (kind, False) in seen:
            continue
        tally.add(kind, n, examples, weak=weak)
    if _BARE["cpf"].search(value):
        tally.candidates["cpf"] = tally.candidates.get("cpf", 0) + n
    if any(m.kind == "cns" and m.weak for m in matches):
        tally.candidates["cns"] = tally.candidates.get("cns", 0) + n


def split_cpf(base: str, check: str) -> bool:
    """Python twin of the split-column rule: 9 base digits + 2 check digits = a CPF."""
    digits = re.sub(r"[.]", "", base.strip())
    check = check.strip()
    if not (re.fullmatch(r"\d{7,9}", digits) and re.fullmatch(r"\d{1,2}", check)):
        return False
    return cpf_is_valid(digits.zfill(9) + check.zfill(2))


def _split_number_sql(c: str, kind: str, base: bool) -> str:
    """SQL: the integer in a base (9 digits, 7 at least) or check-digit (1–2) cell, or NULL."""
    if kind == "integer":
        low, high = (1000000, 999999999) if base else (0, 99)
        return f"CASE WHEN {c} BETWEEN {low} AND {high} THEN {c} END"
    shape = r"\d{3}\.?\d{3}\.?\d{3}|\d{7,9}" if base else r"\d{1,2}"
    sizes = "BETWEEN 7 AND 11" if base else "BETWEEN 1 AND 2"
    return (
        f"CASE WHEN length({c}) {sizes} AND ascii({c}) BETWEEN 48 AND 57 "
        f"AND regexp_full_match({c}, {literal(shape)}) "
        f"THEN CAST(regexp_replace({c}, '[^0-9]', '', 'g') AS BIGINT) END"
    )


def _split_cpfs(
    con: duckdb.DuckDBPyConnection,
    source: str,
    fields: list[dict[str, Any]],
    tallies: dict[str, _Tally],
) -> None:
    """A CPF split over two adjacent columns: its 9-digit base and its 2 check digits."""
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(fields)
        if tallies[a["name"]].candidates.get("split_base")
        and tallies[b["name"]].candidates.get("split_check")
    ]
    if not pairs:
        return
    numbers = ", ".join(
        f"({_split_number_sql(ident(a['name']), a['type'], True)}) * 100 "
        f"+ ({_split_number_sql(ident(b['name']), b['type'], False)}) AS paco_split{i}"
        for i, (a, b) in enumerate(pairs)
    )
    split = f"(SELECT paco_row, {numbers} FROM {source})"  # noqa: S608
    selects = []
    for i in range(len(pairs)):
        selects.append(f"count(paco_split{i})")
        selects.append(f"count(*) FILTER (WHERE paco_cpf_ok(paco_split{i}))")
    row = con.execute(f"SELECT {', '.join(selects)} FROM {split}").fetchone()  # noqa: S608
    assert row is not None
    for index, (a, b) in enumerate(pairs):
        candidates, valid = int(row[2 * index]), int(row[2 * index + 1])
        if not valid:
            continue
        context = _SPLIT_CONTEXT.search(fold(b["name"]))  # the check digits' column
        if not context and valid < CHANCE["cpf"] * candidates:
            continue
        tally = tallies[a["name"]]
        tally.split_with = b["name"]
        rows = con.execute(
            f"SELECT paco_split{index} FROM {split} "  # noqa: S608
            f"WHERE paco_cpf_ok(paco_split{index}) ORDER BY paco_row LIMIT 3"
        ).fetchall()
        tally.add("cpf", valid, [mask_value("cpf", str(r[0])) for r in rows])


def _drop_lone_addresses(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    people = any(f["kind"] != "address" for f in findings)
    return [
        f
        for f in findings
        if f["kind"] != "address" or people or _HOME_COLUMN.search(fold(f["column"]))
    ]
