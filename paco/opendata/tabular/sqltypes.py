"""The type rules of ``values.py`` as DuckDB SQL, for the CSV fast path.

Each builder takes the SQL of a trimmed, non-missing cell and returns an
expression that is the typed value, or NULL when the text is not of that
type; the caller turns "not missing but NULL" into a validation error. The
rules are the same as the Python parsers (tests compare both on the same
inputs): Brazilian numbers with R$, signs, parentheses and %, dates
dd/mm/aaaa, dd/mm/aa (pivot 69), dd-mm-aaaa and ISO, datetimes, Sim/Não.
"""

from __future__ import annotations

from typing import Any

from . import values as v
from .sqltext import literal

# Python's str.strip() whitespace (the ones that occur in real files).
WHITESPACE = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)
_MISSING = ", ".join(literal(m) for m in sorted({m.casefold() for m in v.MISSING_VALUES}))
_TRUE = ", ".join(literal(t) for t in sorted({t.casefold() for t in v.TRUE_VALUES}))
_FALSE = ", ".join(literal(f) for f in sorted({f.casefold() for f in v.FALSE_VALUES}))

_NUMBER = {
    ",": r"^(\()?\s*([-+])?\s*(R\$)?\s*(-)?\s*(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?\s*(\))?\s*(%)?$",
    ".": r"^(\()?\s*([-+])?\s*(R\$)?\s*(-)?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(\))?\s*(%)?$",
}
_NUMBER_GROUPS = ["po", "sign", "rs", "m2", "int", "frac", "pc", "pct"]
_INTEGER = rf"[+-]?(0|[1-9]\d{{0,{v.MAX_INTEGER_DIGITS - 1}}})"

_DAY, _MONTH = r"(\d{1,2})", r"(\d{1,2})"
_HOUR, _MINUTE = r"(2[0-3]|[01]?\d)", r"([0-5]?\d)"
_DATETIMES = {  # format -> (regex, year, month, day, hour, minute, second groups)
    "%d/%m/%Y %H:%M:%S": (
        rf"{_DAY}/{_MONTH}/(\d{{4}})\s+{_HOUR}:{_MINUTE}:{_MINUTE}",
        (3, 2, 1, 4, 5, 6),
    ),
    "%d/%m/%Y %H:%M": (rf"{_DAY}/{_MONTH}/(\d{{4}})\s+{_HOUR}:{_MINUTE}", (3, 2, 1, 4, 5, 0)),
    "%Y-%m-%d %H:%M:%S": (
        rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:\s+|T){_HOUR}:{_MINUTE}:{_MINUTE}",
        (1, 2, 3, 4, 5, 6),
    ),
    "%Y-%m-%d %H:%M": (
        rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:\s+|T){_HOUR}:{_MINUTE}",
        (1, 2, 3, 4, 5, 0),
    ),
}


_BLANK_CODES = ", ".join(str(ord(c)) for c in WHITESPACE if ord(c) > 127)
_MAX_MISSING_BYTES = max(len(m.encode()) for m in v.MISSING_VALUES)


def trimmed(raw: str) -> str:
    """``raw`` without the whitespace Python's ``str.strip()`` removes.

    Trimming a character set is slow in DuckDB, so cells whose first and last
    characters are not blanks (nearly all) are passed through as they are.
    """
    first, last = f"unicode({raw})", f"unicode({raw}[-1])"
    return (
        f"CASE WHEN {first} > 32 AND {last} > 32 AND {first} NOT IN ({_BLANK_CODES}) "
        f"AND {last} NOT IN ({_BLANK_CODES}) THEN {raw} "
        f"ELSE trim({raw}, {literal(WHITESPACE)}) END"
    )


def is_missing(cell: str) -> str:
    """``cell`` is trimmed text (never NULL); missing markers are short."""
    return (
        f"CASE WHEN strlen({cell}) > {_MAX_MISSING_BYTES} THEN false "
        f"ELSE lower({cell}) IN ({_MISSING}) END"
    )


def _extract(regex: str, cell: str, names: list[str]) -> str:
    listed = ", ".join(literal(n) for n in names)
    return f"regexp_extract({cell}, {literal('^' + regex + '$')}, [{listed}])"


def prepare_sql(spec: dict[str, Any], cell: str) -> str | None:
    """One regex evaluation per cell, as a struct the value expression reads (or None)."""
    if spec["type"] != "datetime":
        return None
    regex, groups = _DATETIMES[spec.get("format") or "%Y-%m-%d %H:%M:%S"]
    names = ["y", "m", "d", "hh", "mm", "ss"]
    ordered = [""] * max(groups)
    for name, group in zip(names, groups, strict=True):
        if group:
            ordered[group - 1] = name
    return _extract(regex, cell, ordered)


def _date_text(p: str) -> str:
    return f"{p}.y || '-' || lpad({p}.m, 2, '0') || '-' || lpad({p}.d, 2, '0')"


_NO_YEAR_ZERO = {
    "%d/%m/%Y": "NOT suffix({c}, '/0000')",
    "%d-%m-%Y": "NOT suffix({c}, '-0000')",
    "%Y-%m-%d": "NOT prefix({c}, '0000')",
    "%d/%m/%y": "true",
}


def date_sql(cell: str, fmt: str) -> str:
    """DuckDB's strptime, behind the same shape as the Python parser (it is laxer)."""
    regex = v.DATE_SHAPES[fmt].pattern  # the Python parser's shape (RE2 reads it alike)
    guard = _NO_YEAR_ZERO[fmt].format(c=cell)
    return (
        f"CASE WHEN regexp_full_match({cell}, {literal(regex)}) AND {guard} "
        f"THEN CAST(try_strptime({cell}, {literal(fmt)}) AS DATE) END"
    )


def datetime_sql(p: str, fmt: str) -> str:
    seconds = f"lpad({p}.ss, 2, '0')" if fmt.endswith("%S") else "'00'"
    text = (
        f"{_date_text(p)} || ' ' || lpad({p}.hh, 2, '0') || ':' || lpad({p}.mm, 2, '0') "
        f"|| ':' || {seconds}"
    )
    return f"CASE WHEN {p}.y NOT IN ('', '0000') THEN TRY_CAST({text} AS TIMESTAMP) END"


_PLAIN_NUMBER = {  # the common shapes, converted without the full rules
    ",": r"-?([1-9]\d{0,2}(\.\d{3})+|[1-9]\d*|0)(,\d+)?",
    ".": r"-?([1-9]\d{0,2}(,\d{3})+|[1-9]\d*|0)(\.\d+)?",
}


def number_sql(cell: str, decimal_char: str) -> str:
    group_char = "." if decimal_char == "," else ","
    plain = f"replace({cell}, {literal(group_char)}, '')"
    if decimal_char == ",":
        plain = f"replace({plain}, ',', '.')"
    n = _extract(_NUMBER[decimal_char][1:-1], cell, _NUMBER_GROUPS)
    negative = f"(({n}.po = '(') <> ({n}.sign = '-'))"
    code = (
        f"({n}.frac = '' AND length({n}.int) > 1 AND {n}.int[1] = '0' "
        f"AND NOT contains({n}.int, {literal(group_char)}))"
    )
    magnitude = (
        f"CAST(replace({n}.int, {literal(group_char)}, '') || "
        f"CASE WHEN {n}.frac = '' THEN '' ELSE '.' || {n}.frac END AS DOUBLE)"
    )
    # R$, %, parentheses and leading zeros are rare: the full extraction only runs for them.
    return (
        f"CASE WHEN regexp_full_match({cell}, {literal(_PLAIN_NUMBER[decimal_char])}) "
        f"THEN CAST({plain} AS DOUBLE) "
        f"WHEN {n}.int = '' OR ({n}.po = '') <> ({n}.pc = '') "
        f"OR ({n}.m2 = '-' AND {negative}) OR {code} THEN NULL "
        f"WHEN {negative} <> ({n}.m2 = '-') THEN -{magnitude} ELSE {magnitude} END"
    )


def value_sql(spec: dict[str, Any], cell: str, prepared: str | None = None) -> str:
    """Typed value of the trimmed non-missing ``cell``, or NULL.

    ``prepared`` names the column holding ``prepare_sql`` of the same cell.
    """
    kind = spec["type"]
    if kind == "integer":
        return (
            f"CASE WHEN regexp_full_match({cell}, {literal(_INTEGER)}) "
            f"THEN CAST({cell} AS BIGINT) END"
        )
    if kind == "boolean":
        folded = f"lower({cell})"
        return (
            f"CASE WHEN {folded} IN ({_TRUE}) THEN true WHEN {folded} IN ({_FALSE}) THEN false END"
        )
    if kind == "number":
        return number_sql(cell, spec.get("decimalChar", ","))
    if kind == "date":
        return date_sql(cell, spec.get("format") or "%d/%m/%Y")
    if kind == "datetime":
        return datetime_sql(prepared or "", spec.get("format") or "%Y-%m-%d %H:%M:%S")
    return cell
