"""Schema inference from a sample, then a streaming validation pass over every row.

Inference reads the first ``sample_rows`` records and picks, per column, the
most specific Frictionless type that fits every value, or failing that the
one that fits all but one or 10% of them (with 3+ values) (the misfits then become validation
errors instead of silently turning the column into text). Validation streams
the whole table with bounded memory and yields normalized rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import constraints
from . import values as v
from .errors import TabularError, located
from .source import Table

SAMPLE_ROWS = 1000
TOLERANCE = 0.9
MAX_ERRORS = 1000

Candidate = tuple[str, str | None]  # (type, format or decimal char)
CANDIDATES: list[Candidate] = [
    ("boolean", None),
    ("integer", None),
    ("number", ","),
    ("number", "."),
    *[("date", f) for f in v.DATE_FORMATS],
    *[("datetime", f) for f in v.DATETIME_FORMATS],
]
_CODE_NAME = re.compile(
    r"\b(cpf|cnpj|cep|telefone|fone|celular|c[oó]d(igo)?|matr[ií]cula|inscri[cç][aã]o|rg|pis|nis|cns|protocolo)\b"
)
_HUMAN_FORMAT = {
    "%d/%m/%Y": "dd/mm/aaaa",
    "%d/%m/%y": "dd/mm/aa",
    "%d-%m-%Y": "dd-mm-aaaa",
    "%Y-%m-%d": "aaaa-mm-dd",
}


def _fits(candidate: Candidate, text: str) -> bool:
    kind, fmt = candidate
    if kind == "boolean":
        return v.parse_boolean(text) is not None
    if kind == "integer":
        return v.parse_integer(text) is not None
    if kind == "number":
        return v.parse_number(text, fmt or ",") is not None
    if kind == "date":
        return v.parse_date(text, fmt or "") is not None
    return v.parse_datetime(text, fmt or "") is not None


_NUMERIC = frozenset(c for c in CANDIDATES if c[0] in {"integer", "number"})


@dataclass
class _Guess:
    name: str
    present: int = 0
    codes: int = 0
    percents: int = 0
    fits: dict[Candidate, int] = field(default_factory=lambda: dict.fromkeys(CANDIDATES, 0))
    #: per candidate, the first value that did not fit it and its line (to say why)
    misfit: dict[Candidate, tuple[int, str]] = field(default_factory=dict)

    def add(self, text: str, line: int = 0) -> None:
        self.present += 1
        if v.looks_like_code(text):
            self.codes += 1
        if text.rstrip().endswith("%"):
            self.percents += 1
        # NaN/±Infinity and numbers beyond a double are numbers' business: they do not
        # turn a numeric column into text (validation then treats or reports each one).
        special = v.nonfinite(text) is not None or v.too_large(text) or v.too_large(text, ".")
        for candidate in CANDIDATES:
            if (
                _fits(candidate, text)
                or (special and candidate in _NUMERIC)
                # 31/02/2026 is a date column's error, not a sign that the column is text
                or (candidate[0] == "date" and _impossible_date(text, candidate[1] or ""))
            ):
                self.fits[candidate] += 1
            elif candidate not in self.misfit:
                self.misfit[candidate] = (line, text)

    def why_text(self) -> tuple[int, str] | None:
        """When the column looked like numbers or dates but stayed text: (line, reason)."""
        if self.present < 3 or self.codes or _CODE_NAME.search(self.name.casefold()):
            return None
        best = max(CANDIDATES, key=lambda c: self.fits[c])
        if best[0] == "boolean" or self.fits[best] * 2 < self.present or best not in self.misfit:
            return None
        line, text = self.misfit[best]
        kind, fmt = best
        if kind == "date":
            other = _other_date_format(text, fmt or "")
            if other is not None:
                first = _HUMAN_FORMAT.get(fmt or "", fmt)
                return line, (
                    f"a coluna ficou como texto porque mistura datas em dois formatos: "
                    f"{first} e {_HUMAN_FORMAT.get(other, other)} (“{shown(text)}”, "
                    f"na linha {_thousands(line)})."
                )
        spec: dict[str, Any] = {"type": kind}
        spec["decimalChar" if kind == "number" else "format"] = fmt
        quoted = f"“{shown(text)}”"
        what = value_message(spec, text).removeprefix(quoted).strip().rstrip(".")
        misfits = self.present - self.fits[best]
        return line, (
            f"a coluna ficou como texto porque a linha {_thousands(line)} tem {quoted}, que "
            f"{what} ({misfits} de {self.present} valores das primeiras linhas não servem "
            f"como {v.type_label(kind)})."
        )

    def field(self) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": self.name, "type": "string"}
        folded = self.name.casefold().replace("_", " ")
        if not self.present or self.codes or _CODE_NAME.search(folded):
            return spec
        chosen = next((c for c in CANDIDATES if self.fits[c] == self.present), None)
        if chosen is None:
            best = max(CANDIDATES, key=lambda c: self.fits[c])
            misfits = self.present - self.fits[best]
            tolerable = self.present >= 3 and misfits <= max(1, (1 - TOLERANCE) * self.present)
            chosen = best if tolerable else None
        if chosen is None:
            return spec
        return self.typed(chosen)

    def forced(self, kind: str) -> dict[str, Any]:
        """The field as type ``kind`` (staff override), with the best-fitting format."""
        if kind == "string":
            return {"name": self.name, "type": "string"}
        options = [c for c in CANDIDATES if c[0] == kind]
        return self.typed(max(options, key=lambda c: self.fits[c]))

    def typed(self, chosen: Candidate) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": self.name}
        kind, fmt = chosen
        spec["type"] = kind
        if kind == "number":
            spec["decimalChar"] = fmt
            spec["groupChar"] = "." if fmt == "," else ","
            if self.percents * 2 > self.present:
                spec["percent"] = True
        elif kind == "boolean":
            spec["trueValues"], spec["falseValues"] = v.TRUE_VALUES, v.FALSE_VALUES
        elif fmt:
            spec["format"] = fmt
        return spec


TYPES = {"string", "integer", "number", "boolean", "date", "datetime"}
_FORMAT_KEYS = {"format", "decimalChar", "groupChar", "trueValues", "falseValues", "percent"}
_TYPE_NAMES = (
    "texto (string), inteiro (integer), número (number), Sim/Não (boolean), data, data e hora"
)


def infer_schema(
    table: Table,
    sample_rows: int = SAMPLE_ROWS,
    *,
    overrides: dict[str, dict[str, Any]] | None = None,
    notes: list[Issue] | None = None,
) -> dict[str, Any]:
    """Return a Frictionless Table Schema guessed from the first records.

    ``notes`` receives one entry per column that looked like numbers or dates
    but stayed text, saying which value (and line) kept it from its type.

    ``overrides`` (the data dictionary edited by staff) maps field names to
    Table Schema properties that replace the guessed ones. A new ``type``
    without a format gets the best-fitting format of that type in the sample.
    """
    guesses = [_Guess(name) for name in table.header.names]
    for seen, (line, cells) in enumerate(table.records()):
        if seen >= sample_rows:
            break
        for guess, text in zip(guesses, cells, strict=False):
            if not v.is_missing(text):
                guess.add(text.strip(), line)
    fields = [_override(g, (overrides or {}).get(g.name)) for g in guesses]
    if notes is not None:
        for guess, spec in zip(guesses, fields, strict=True):
            why = guess.why_text() if spec["type"] == "string" else None
            if why is not None:
                notes.append(Issue(why[0], guess.name, why[1]))
    return {"fields": fields, "missingValues": list(v.MISSING_VALUES)}


def _override(guess: _Guess, override: dict[str, Any] | None) -> dict[str, Any]:
    spec = guess.field()
    if not override:
        return spec
    kind = override.get("type", spec["type"])
    if kind not in TYPES:
        raise TabularError(
            f"O tipo “{kind}” da coluna “{guess.name}” não é aceito; use {_TYPE_NAMES}."
        )
    if kind != spec["type"] or _FORMAT_KEYS & set(override):
        spec = guess.forced(kind)
    spec.update({k: val for k, val in override.items() if k != "name"})
    formats = {"date": v.DATE_FORMATS, "datetime": v.DATETIME_FORMATS}.get(kind)
    if formats is not None and spec.get("format") not in formats:
        shown = ", ".join(_HUMAN_FORMAT.get(f, f) for f in formats)
        raise TabularError(
            f"O formato “{spec.get('format')}” da coluna “{guess.name}” não é aceito; "
            f"use um destes: {shown}."
        )
    if kind == "number" and spec.get("decimalChar", ",") not in {",", "."}:
        raise TabularError(f"O separador decimal da coluna “{guess.name}” deve ser “,” ou “.”.")
    constraints.active(spec)  # rejects invalid constraint values now, in pt-BR
    return spec


# Validation -----------------------------------------------------------------


class _Mismatch(Exception):
    pass


def complaint(spec: dict[str, Any]) -> str:
    """The end of the error message for a value that is not of the field's type."""
    kind: str = spec["type"]
    fmt: str = spec.get("format") or ""
    return {
        "integer": "não é um número inteiro.",
        "number": "não é um número.",
        "boolean": "não é um valor Sim/Não.",
        "date": f"não é uma data no formato {_HUMAN_FORMAT.get(fmt, fmt)}.",
        "datetime": "não é uma data e hora.",
    }.get(kind, "")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _other_date_format(text: str, fmt: str) -> str | None:
    """The other date format ``text`` is written in, if any (a mixed column)."""
    for other in v.DATE_FORMATS:
        if other != fmt and v.parse_date(text, other) is not None:
            return other
    return None


_MONTHS = [
    "janeiro", "fevereiro", "março", "abril", "maio", "junho",
    "julho", "agosto", "setembro", "outubro", "novembro", "dezembro",
]  # fmt: skip


def _impossible_date(text: str, fmt: str) -> str | None:
    """Why a value shaped like ``fmt`` is not a date (31/02/2026), or None."""
    shape = v.DATE_SHAPES.get(fmt)
    match = shape.match(text.strip()) if shape else None
    if match is None:
        return None
    day, month, year = int(match["d"]), int(match["m"]), int(match["y"])
    if len(match["y"]) == 2:
        year += 2000 if year < 69 else 1900
    if not 1 <= month <= 12:
        return f"não é uma data que existe (não há mês {month})."
    if year == 0:
        return "não é uma data que existe (não há ano 0)."
    if day < 1:
        return f"não é uma data que existe (não há dia {day})."
    return f"não é uma data que existe ({_MONTHS[month - 1]} de {year} não tem dia {day})."


def value_message(spec: dict[str, Any], text: str) -> str:
    """Why the cell ``text`` is an error in a column of ``spec`` (pt-BR, quoting the value).

    One place for both paths (the SQL one calls it with the raw text of each bad cell).
    """
    quoted = f"“{shown(text)}”"
    kind: str = spec["type"]
    if kind in {"integer", "number"}:
        if v.nonfinite(text) == "inf":
            return f"{quoted} é um valor infinito, que não é um número; a célula ficou vazia."
        if v.too_large(text, spec.get("decimalChar") or ","):
            return f"{quoted} é grande demais para ser guardado como número; a célula ficou vazia."
    if kind == "date":
        fmt = spec.get("format") or ""
        other = _other_date_format(text, fmt)
        if other is not None:
            return (
                f"{quoted} está no formato {_HUMAN_FORMAT.get(other, other)}, mas a coluna usa "
                f"{_HUMAN_FORMAT.get(fmt, fmt)}: a coluna mistura dois formatos de data."
            )
        impossible = _impossible_date(text, fmt)
        if impossible is not None:
            return f"{quoted} {impossible}"
    return f"{quoted} {complaint(spec)}"


def nan_message(text: str) -> str:
    return f"“{shown(text)}” (não é um número) foi importado como valor ausente."


BLANK_ROW = "linha em branco; foi ignorada."
# A row that sums the others (“TOTAL”, “Total geral:”, “Subtotal”, “Total da Secretaria
# de Saúde”, “Soma”): the label is the row's first filled cell. RE2 and Python read it alike.
TOTALS_LABEL = (
    r"(sub[- ]?)?(total|totais)(\s+(geral|gerais|parcial|final|(da|do|das|dos|de|em|no|na)\s.*))?"
    r"\s*:?|(soma|somat[oó]rio)(\s+(total|geral))?\s*:?"
)
_TOTALS = re.compile(TOTALS_LABEL)


def totals_label(cells: list[str]) -> str | None:
    """The label when the row's first filled cell names it a totals row, else None."""
    first = next((c.strip() for c in cells if c.strip()), "")
    return first if first[:1].lower() in {"s", "t"} and _TOTALS.fullmatch(first.lower()) else None


def totals_message(label: str) -> str:
    return (
        f"a linha “{shown(label)}” parece ser de totais, no meio dos dados: quem somar as "
        "colunas contará esses valores duas vezes. Retire a linha do arquivo e envie de novo."
    )


def shown(text: str) -> str:
    """A cell as quoted in error messages: at most 60 characters."""
    return text if len(text) <= 60 else text[:57] + "…"


def width_message(width: int, found: int) -> str:
    """The error of a row with ``found`` cells where the header has ``width``."""
    if found < width:
        return f"faltam células (esperadas {width}, encontradas {found})."
    return f"há células a mais (esperadas {width}, encontradas {found})."


def parser(spec: dict[str, Any]) -> Callable[[str], Any]:
    kind: str = spec["type"]
    fmt: str = spec.get("format") or ""
    if kind == "integer":
        return v.parse_integer
    if kind == "number":
        dec = spec.get("decimalChar", ",")

        def number(text: str) -> Decimal | None:
            parsed = v.parse_number(text, dec)
            return parsed[0] if parsed else None

        return number
    if kind == "boolean":
        return v.parse_boolean
    if kind == "date":
        return lambda t: v.parse_date(t, fmt)
    if kind == "datetime":
        return lambda t: v.parse_datetime(t, fmt)
    return lambda t: t


@dataclass
class Issue:
    line: int | None
    column: str | None
    message: str

    @property
    def text(self) -> str:
        return located(self.message, self.line, self.column)


@dataclass
class Report:
    """Errors (the data is wrong: the clerk should fix the file) and warnings (how the file
    was read: blank rows dropped, NaN read as missing, why a column stayed text)."""

    rows: int = 0
    error_count: int = 0
    errors: list[Issue] = field(default_factory=list)
    stats: dict[str, dict[str, Any]] = field(default_factory=dict)  # filled from the Parquet
    warning_count: int = 0
    warnings: list[Issue] = field(default_factory=list)
    last_line: int | None = None  # of the last data row (the Python path knows it)
    empty_lines: int = 0  # lines with nothing at all (DuckDB skips them: found apart)
    totals_rows: int = 0  # rows labelled as totals (“TOTAL”, “Total geral”…)

    def error(self, line: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(Issue(line, column, message))

    def warn(self, line: int | None, column: str | None, message: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(Issue(line, column, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "error_count": self.error_count,
            "errors": [e.text for e in self.errors],
            "warning_count": self.warning_count,
            "warnings": [w.text for w in self.warnings],
            "stats": self.stats,
        }


def validate(table: Table, schema: dict[str, Any], report: Report) -> Iterator[list[Any]]:
    """Yield normalized rows (Python values, None for missing), filling ``report``."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    parsers = [parser(f) for f in fields]
    checks = [constraints.active(f) for f in fields]
    missing = {m.casefold() for m in schema.get("missingValues", v.MISSING_VALUES)}
    for issue in table.header.issues:
        report.error(table.header_line, None, issue)
    width = len(fields)
    numeric = [f["type"] in {"integer", "number"} for f in fields]
    for line, cells in table.records():
        if not any(c.strip() for c in cells):
            report.empty_lines += not cells
            report.warn(line, None, BLANK_ROW)
            continue
        label = totals_label(cells)
        if label is not None:
            report.totals_rows += 1
            report.error(line, None, totals_message(label))
        _check_width(report, line, cells, width, strict=table.kind == "csv")
        row: list[Any] = []
        for index, (name, parse) in enumerate(zip(names, parsers, strict=True)):
            text = cells[index].strip() if index < len(cells) else ""
            absent = text.casefold() in missing
            if not absent and numeric[index] and v.nonfinite(text) == "nan":
                report.warn(line, name, nan_message(text))
                absent = True
            value = None if absent else parse(text)
            if value is None and not absent:
                report.error(line, name, value_message(fields[index], text))
            elif checks[index]:
                broken = constraints.violation(checks[index], value)
                if broken:
                    message = constraints.message(broken, checks[index], shown(text))
                    report.error(line, name, message)
            row.append(value)
        report.rows += 1
        report.last_line = line
        yield row


def _check_width(report: Report, line: int, cells: list[str], width: int, *, strict: bool) -> None:
    if (len(cells) < width and strict) or (
        len(cells) > width and any(c.strip() for c in cells[width:])
    ):
        report.error(line, None, width_message(width, len(cells)))
