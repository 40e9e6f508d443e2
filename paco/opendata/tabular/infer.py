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
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from . import values as v
from .source import Table

SAMPLE_ROWS = 1000
TOLERANCE = 0.9
DISTINCT_CAP = 1000
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


@dataclass
class _Guess:
    name: str
    present: int = 0
    codes: int = 0
    percents: int = 0
    fits: dict[Candidate, int] = field(default_factory=lambda: dict.fromkeys(CANDIDATES, 0))

    def add(self, text: str) -> None:
        self.present += 1
        if v.looks_like_code(text):
            self.codes += 1
        if text.rstrip().endswith("%"):
            self.percents += 1
        for candidate in CANDIDATES:
            if _fits(candidate, text):
                self.fits[candidate] += 1

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


def infer_schema(table: Table, sample_rows: int = SAMPLE_ROWS) -> dict[str, Any]:
    """Return a Frictionless Table Schema guessed from the first records."""
    guesses = [_Guess(name) for name in table.header.names]
    for seen, (_line, cells) in enumerate(table.records()):
        if seen >= sample_rows:
            break
        for guess, text in zip(guesses, cells, strict=False):
            if not v.is_missing(text):
                guess.add(text.strip())
    return {"fields": [g.field() for g in guesses], "missingValues": list(v.MISSING_VALUES)}


# Validation -----------------------------------------------------------------


class _Mismatch(Exception):
    pass


def _parser(spec: dict[str, Any]) -> tuple[Callable[[str], Any], str]:
    kind: str = spec["type"]
    fmt: str = spec.get("format") or ""
    if kind == "integer":
        return v.parse_integer, "não é um número inteiro."
    if kind == "number":
        dec = spec.get("decimalChar", ",")

        def number(text: str) -> Decimal | None:
            parsed = v.parse_number(text, dec)
            return parsed[0] if parsed else None

        return number, "não é um número."
    if kind == "boolean":
        return v.parse_boolean, "não é um valor Sim/Não."
    if kind == "date":
        return (
            lambda t: v.parse_date(t, fmt)
        ), f"não é uma data no formato {_HUMAN_FORMAT.get(fmt, fmt)}."
    if kind == "datetime":
        return (lambda t: v.parse_datetime(t, fmt)), "não é uma data e hora."
    return (lambda t: t), ""


@dataclass
class Issue:
    line: int | None
    column: str | None
    message: str

    @property
    def text(self) -> str:
        where = [f"Linha {self.line}"] if self.line is not None else []
        if self.column is not None:
            where.append(f"coluna “{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ColumnStats:
    count: int = 0
    missing: int = 0
    distinct_values: set[Any] = field(default_factory=set)
    distinct_capped: bool = False
    min: Any = None
    max: Any = None

    def add(self, value: Any) -> None:
        if value is None:
            self.missing += 1
            return
        self.count += 1
        if not self.distinct_capped:
            self.distinct_values.add(value)
            if len(self.distinct_values) > DISTINCT_CAP:
                self.distinct_capped, self.distinct_values = True, set()
        if isinstance(value, int | Decimal | date | datetime) and not isinstance(value, bool):
            self.min = value if self.min is None or value < self.min else self.min
            self.max = value if self.max is None or value > self.max else self.max

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"count": self.count, "missing": self.missing}
        out["distinct"] = None if self.distinct_capped else len(self.distinct_values)
        if self.min is not None:
            out["min"], out["max"] = _plain(self.min), _plain(self.max)
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class Report:
    rows: int = 0
    error_count: int = 0
    errors: list[Issue] = field(default_factory=list)
    stats: dict[str, ColumnStats] = field(default_factory=dict)

    def error(self, line: int | None, column: str | None, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(Issue(line, column, message))

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "error_count": self.error_count,
            "errors": [e.text for e in self.errors],
            "stats": {name: s.as_dict() for name, s in self.stats.items()},
        }


def validate(table: Table, schema: dict[str, Any], report: Report) -> Iterator[list[Any]]:
    """Yield normalized rows (Python values, None for missing), filling ``report``."""
    fields = schema["fields"]
    names = [f["name"] for f in fields]
    parsers = [_parser(f) for f in fields]
    missing = {m.casefold() for m in schema.get("missingValues", v.MISSING_VALUES)}
    report.stats = {name: ColumnStats() for name in names}
    for issue in table.header.issues:
        report.error(table.header_line, None, issue)
    width = len(fields)
    for line, cells in table.records():
        if not any(c.strip() for c in cells):
            continue
        _check_width(report, line, cells, width, strict=table.kind == "csv")
        row: list[Any] = []
        for index, (name, (parse, complaint)) in enumerate(zip(names, parsers, strict=True)):
            text = cells[index].strip() if index < len(cells) else ""
            value = None if text.casefold() in missing else parse(text)
            if value is None and text.casefold() not in missing:
                shown = text if len(text) <= 60 else text[:57] + "…"
                report.error(line, name, f"“{shown}” {complaint}")
            report.stats[name].add(value)
            row.append(value)
        report.rows += 1
        yield row


def _check_width(report: Report, line: int, cells: list[str], width: int, *, strict: bool) -> None:
    if len(cells) < width and strict:
        report.error(line, None, f"faltam células (esperadas {width}, encontradas {len(cells)}).")
    elif len(cells) > width and any(c.strip() for c in cells[width:]):
        report.error(
            line, None, f"há células a mais (esperadas {width}, encontradas {len(cells)})."
        )
