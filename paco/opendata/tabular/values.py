"""Parsing of values as Brazilian municipalities write them.

Every parser takes the raw cell text and returns the typed value or ``None``
when the text is not of that type. Missing markers are handled by
:func:`is_missing` before any parser is called.

ISO datetimes may use "T" or a space between date and time.

Two-digit years (dd/mm/aa) follow the POSIX/Python ``%y`` pivot: 00–68 are
2000–2068 and 69–99 are 1969–1999.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

MISSING_VALUES = ["", "-", "—", "N/D", "n/d", "NULL", "null"]
_MISSING = {v.casefold() for v in MISSING_VALUES}

TRUE_VALUES = ["Sim", "S", "true", "Verdadeiro", "V"]
FALSE_VALUES = ["Não", "N", "false", "Falso", "F", "Nao"]
_TRUE = {v.casefold() for v in TRUE_VALUES}
_FALSE = {v.casefold() for v in FALSE_VALUES}

# Integers wider than this are codes (protocols, barcodes), not quantities.
MAX_INTEGER_DIGITS = 18

_NUMBER_PATTERNS = {
    ",": re.compile(r"^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$", re.ASCII),
    ".": re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$", re.ASCII),
}
_LEADING_ZERO = re.compile(r"^0\d", re.ASCII)
_CODE_MASKS = [
    re.compile(r"^\d{3}\.\d{3}\.\d{3}-\d{2}$", re.ASCII),  # CPF
    re.compile(r"^\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}$", re.ASCII),  # CNPJ
    re.compile(r"^\d{5}-\d{3}$", re.ASCII),  # CEP
    re.compile(r"^\(?\d{2}\)?\s?\d{4,5}-\d{4}$", re.ASCII),  # telefone
]

DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d"]
DATETIME_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
]
DATE_SHAPES = {  # named groups d, m, y; strptime is too slow (sqltypes.py uses them too)
    "%d/%m/%Y": re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})$", re.ASCII),
    "%d/%m/%y": re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{2})$", re.ASCII),
    "%d-%m-%Y": re.compile(r"^(?P<d>\d{1,2})-(?P<m>\d{1,2})-(?P<y>\d{4})$", re.ASCII),
    "%Y-%m-%d": re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})$", re.ASCII),
}


# Not-a-number and infinities as programs write them (Python, R, pandas, JavaScript, the
# Portuguese “Infinito”): recognised in numeric columns only. NaN is read as a missing
# value (with a warning); ±Infinity is an error: Paço never stores a non-finite number,
# which JSON (the data API, CKAN, the statistics) cannot represent.
NAN_WORDS = frozenset({"nan"})
INFINITY_WORDS = frozenset(
    sign + word for sign in ("", "-", "+") for word in ("inf", "infinity", "infinito", "∞")
)
#: the largest finite double: a number beyond it would be stored as infinite
MAX_DOUBLE = Decimal("1.7976931348623157e308")


def nonfinite(text: str) -> str | None:
    """``"nan"`` or ``"inf"`` when the cell spells a non-finite number, else None."""
    folded = text.strip().lower()
    if folded in NAN_WORDS:
        return "nan"
    if folded in INFINITY_WORDS:
        return "inf"
    return None


def is_missing(text: str) -> bool:
    return text.strip().casefold() in _MISSING


def looks_like_code(text: str) -> bool:
    """Digit strings with leading zeros and CPF/CNPJ/CEP/phone masks stay strings."""
    value = text.strip()
    if _LEADING_ZERO.match(value) and value.isdigit():
        return True
    return any(mask.match(value) for mask in _CODE_MASKS)


def parse_number(text: str, decimal_char: str = ",") -> tuple[Decimal, bool] | None:
    """Return ``(value, is_percent)``; accepts R$, signs, parentheses and %."""
    value = text.strip()
    percent = value.endswith("%")
    if percent:
        value = value[:-1].rstrip()
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1].strip()
    if value.startswith("-"):
        negative, value = not negative, value[1:].lstrip()
    elif value.startswith("+"):
        value = value[1:].lstrip()
    if value.startswith("R$"):
        value = value[2:].lstrip()
    if value.startswith("-") and not negative:  # "R$ -10,00"
        negative, value = True, value[1:].lstrip()
    match = _NUMBER_PATTERNS[decimal_char].match(value)
    if match is None or looks_like_code(value):
        return None
    group_char = "." if decimal_char == "," else ","
    whole = match.group(1).replace(group_char, "")
    digits = whole + ("." + match.group(2) if match.group(2) else "")
    try:
        number = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        return None
    if number > MAX_DOUBLE:
        return None  # would be stored as infinite
    return (-number if negative else number), percent


def too_large(text: str, decimal_char: str = ",") -> bool:
    """Shaped like a number but beyond the largest double (it would become infinite)."""
    value = text.strip().lstrip("(+-").removeprefix("R$").strip().rstrip(")%").strip()
    match = _NUMBER_PATTERNS[decimal_char].match(value.lstrip("-"))
    if match is None:
        return False
    group_char = "." if decimal_char == "," else ","
    digits = match.group(1).replace(group_char, "").lstrip("0")
    return len(digits) > 308 and Decimal(digits) > MAX_DOUBLE


def parse_integer(text: str) -> int | None:
    value = text.strip()
    sign = ""
    if value[:1] in "+-":
        sign, value = value[:1], value[1:]
    if not value.isascii() or not value.isdigit() or len(value) > MAX_INTEGER_DIGITS:
        return None
    if _LEADING_ZERO.match(value):
        return None
    return int(sign + value)


def parse_boolean(text: str) -> bool | None:
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    return None


def parse_date(text: str, fmt: str) -> date | None:
    shape = DATE_SHAPES.get(fmt)
    match = shape.match(text.strip()) if shape else None
    if match is None:
        return None
    year = int(match["y"])
    if len(match["y"]) == 2:
        year += 2000 if year < 69 else 1900
    try:
        return date(year, int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def parse_datetime(text: str, fmt: str) -> datetime | None:
    value = text.strip()
    if not value[:1].isdigit() or not value.isascii():
        return None
    if len(value) > 10 and value[4:5] == "-" and value[10] == "T":  # ISO 8601 "T" separator
        value = value[:10] + " " + value[11:]
    try:
        return datetime.strptime(value, fmt)
    except ValueError:
        return None


# Type names as people read them (Table Schema names, and the data API's CKAN ones).
TYPE_LABELS = {
    "string": "texto",
    "text": "texto",
    "integer": "número inteiro",
    "int": "número inteiro",
    "number": "número",
    "numeric": "número",
    "boolean": "sim/não",
    "bool": "sim/não",
    "date": "data",
    "datetime": "data e hora",
    "timestamp": "data e hora",
    "time": "hora",
    "year": "ano",
    "geopoint": "coordenadas",
    "object": "objeto JSON",
    "array": "lista JSON",
}


def type_label(kind: str) -> str:
    """``"integer"`` → ``"número inteiro"``; unknown names are shown as they are."""
    return TYPE_LABELS.get(kind, kind or "texto")
