"""A parser for the Solr query syntax CKAN clients send in ``q`` and ``fq``.

Supported, as CKAN's Solr schema (default operator AND) understands it:

- ``field:value``, ``field:"quoted value"``, ``field:val*`` (prefix), ``field:*`` (any);
- ranges ``field:[A TO B]`` (inclusive) and ``field:{A TO B}`` (exclusive), ``*`` for
  an open end; dates in ISO 8601 (``2024-01-01T00:00:00Z``, fractions allowed) and
  Solr date math (``NOW``, ``NOW-7DAYS``, ``NOW/DAY``);
- ``field:(a OR b)`` groups, ``( … )`` grouping;
- ``+clause`` (required), ``-clause`` / ``NOT clause`` (excluded), ``AND`` / ``&&``,
  ``OR`` / ``||``; clauses side by side are ANDed;
- bare words and ``"phrases"``: full-text terms;
- ``*:*``: everything.

The result is a tree of :class:`Node` evaluated over the in-memory search index
by :mod:`paco.opendata.ckan.search`, which supplies field values through a
:class:`Fields` object. Dates are parsed once, when the query is.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from typing import Any, Protocol

from paco.catalog import search as text
from paco.opendata.ckan.errors import SearchError

MAX_DEPTH = 20


class Fields(Protocol):
    """What a query needs to know about one indexed dataset."""

    def values(self, field: str) -> tuple[str, ...] | None:
        """Normalized values of ``field`` (None: the field is unknown, matches nothing)."""

    def date(self, field: str) -> datetime.datetime | None: ...

    def has_text(self, field: str, terms: list[tuple[str, ...]]) -> bool: ...


DATE_FIELDS = frozenset({"metadata_modified", "metadata_created"})
TEXT_FIELDS = frozenset(
    {"text", "title", "notes", "res_name", "res_description", "title_ngram", "keywords"}
)


def norm(value: str) -> str:
    return text.unaccent(value).casefold().strip()


class Node:
    def matches(self, doc: Fields) -> bool:
        raise NotImplementedError

    def positive_terms(self) -> list[tuple[str, ...]]:
        """Full-text terms that count for the relevance score (not under NOT)."""
        return []


@dataclass
class All(Node):
    def matches(self, doc: Fields) -> bool:
        return True


@dataclass
class Text(Node):
    field: str
    terms: list[tuple[str, ...]]

    def matches(self, doc: Fields) -> bool:
        return not self.terms or doc.has_text(self.field, self.terms)

    def positive_terms(self) -> list[tuple[str, ...]]:
        return list(self.terms)


@dataclass
class Term(Node):
    field: str
    value: str  # normalized
    prefix: bool = False  # ``val*``
    anything: bool = False  # ``*``

    def matches(self, doc: Fields) -> bool:
        values = doc.values(self.field)
        if not values:
            return False
        if self.anything:
            return True
        if self.prefix:
            return any(v.startswith(self.value) for v in values)
        return self.value in values


def _within(value: Any, low: Any, high: Any, low_inclusive: bool, high_inclusive: bool) -> bool:
    if low is not None and (value < low or (value == low and not low_inclusive)):
        return False
    return high is None or not (value > high or (value == high and not high_inclusive))


@dataclass
class Range(Node):
    field: str
    low: str | None  # normalized; None: open end (``*``)
    high: str | None
    low_inclusive: bool
    high_inclusive: bool

    def matches(self, doc: Fields) -> bool:
        bounds = (self.low, self.high, self.low_inclusive, self.high_inclusive)
        return any(_within(v, *bounds) for v in doc.values(self.field) or ())


@dataclass
class DateRange(Node):
    """A date field within bounds parsed once per query (so ``NOW`` is one instant).

    ``field:value`` is ``[value TO value]`` and ``field:*`` is ``[* TO *]``.
    """

    field: str
    low: datetime.datetime | None  # None: open end
    high: datetime.datetime | None
    low_inclusive: bool = True
    high_inclusive: bool = True

    def matches(self, doc: Fields) -> bool:
        when = doc.date(self.field)
        bounds = (self.low, self.high, self.low_inclusive, self.high_inclusive)
        return when is not None and _within(when, *bounds)


@dataclass
class Not(Node):
    node: Node

    def matches(self, doc: Fields) -> bool:
        return not self.node.matches(doc)


@dataclass
class Group(Node):
    """AND or OR of several nodes: the terms of every part count for relevance."""

    nodes: list[Node]

    def positive_terms(self) -> list[tuple[str, ...]]:
        return [t for n in self.nodes for t in n.positive_terms()]


class And(Group):
    def matches(self, doc: Fields) -> bool:
        return all(n.matches(doc) for n in self.nodes)


class Or(Group):
    def matches(self, doc: Fields) -> bool:
        return any(n.matches(doc) for n in self.nodes)


# --- dates ------------------------------------------------------------------------
_DATE = re.compile(
    r"^(?P<base>NOW|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)(?P<math>(?:[+-]\d+[A-Z]+|/[A-Z]+)*)$"
)
_MATH = re.compile(r"([+-])(\d+)([A-Z]+)|/([A-Z]+)")
_UNITS = {
    "YEAR": "year", "YEARS": "year", "MONTH": "month", "MONTHS": "month",
    "DAY": "day", "DAYS": "day", "DATE": "day", "HOUR": "hour", "HOURS": "hour",
    "MINUTE": "minute", "MINUTES": "minute", "SECOND": "second", "SECONDS": "second",
}  # fmt: skip


def _add_months(when: datetime.datetime, months: int) -> datetime.datetime:
    month0 = when.month - 1 + months
    year, month = when.year + month0 // 12, month0 % 12 + 1
    day = min(when.day, calendar.monthrange(year, month)[1])
    return when.replace(year=year, month=month, day=day)


def _round(when: datetime.datetime, unit: str) -> datetime.datetime:
    when = when.replace(microsecond=0)
    if unit in ("year", "month", "day", "hour", "minute"):
        when = when.replace(second=0)
    if unit in ("year", "month", "day", "hour"):
        when = when.replace(minute=0)
    if unit in ("year", "month", "day"):
        when = when.replace(hour=0)
    if unit in ("year", "month"):
        when = when.replace(day=1)
    if unit == "year":
        when = when.replace(month=1)
    return when


def parse_date(value: str, field: str = "") -> datetime.datetime:
    """A Solr date (ISO 8601 or date math) as an aware UTC datetime."""
    raw = value.strip().strip('"').upper()
    match = _DATE.match(raw)
    if not match:
        raise SearchError(f"data inválida em {field or 'busca'}: {value!r}")
    base = match.group("base")
    if base == "NOW":
        when = datetime.datetime.now(datetime.UTC)
    else:
        iso = base.replace(" ", "T")
        iso = iso[:-1] + "+00:00" if iso.endswith("Z") else iso
        try:
            when = datetime.datetime.fromisoformat(iso)
        except ValueError:
            raise SearchError(f"data inválida em {field or 'busca'}: {value!r}") from None
        when = when.replace(tzinfo=datetime.UTC) if when.tzinfo is None else when
        when = when.astimezone(datetime.UTC)
    for sign, amount, unit, round_unit in _MATH.findall(match.group("math")):
        name = _UNITS.get(unit or round_unit)
        if name is None:
            raise SearchError(f"unidade de data desconhecida: {unit or round_unit}")
        if round_unit:
            when = _round(when, name)
            continue
        n = int(amount) * (1 if sign == "+" else -1)
        if name in ("year", "month"):
            when = _add_months(when, n * 12 if name == "year" else n)
        else:
            when += datetime.timedelta(**{f"{name}s": n})
    return when


# --- parser -----------------------------------------------------------------------
_FIELD = re.compile(r"([A-Za-z_][\w.]*):(?!//)")
_SPACE = re.compile(r"\s+")


class Parser:
    def __init__(self, source: str) -> None:
        self.s = source
        self.i = 0
        self.depth = 0
        self.default_field: str | None = None

    def fail(self, why: str) -> SearchError:
        return SearchError(f"{why} (posição {self.i + 1} de {self.s!r})")

    # low-level helpers
    def skip(self) -> None:
        m = _SPACE.match(self.s, self.i)
        if m:
            self.i = m.end()

    def at_end(self) -> bool:
        self.skip()
        return self.i >= len(self.s)

    def peek(self, token: str) -> bool:
        self.skip()
        return self.s.startswith(token, self.i)

    def keyword(self, word: str) -> bool:
        """Consume ``word`` when it stands alone (followed by space or a parenthesis)."""
        self.skip()
        end = self.i + len(word)
        if self.s.startswith(word, self.i) and (end == len(self.s) or self.s[end] in " \t\n("):
            self.i = end
            return True
        return False

    def symbol(self, token: str) -> bool:
        if self.peek(token):
            self.i += len(token)
            return True
        return False

    def word(self, *, allow_colon: bool) -> str:
        self.skip()
        out: list[str] = []
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch == "\\" and self.i + 1 < len(self.s):
                out.append(self.s[self.i + 1])
                self.i += 2
                continue
            if ch.isspace() or ch in "()" or (ch == ":" and not allow_colon):
                break
            out.append(ch)
            self.i += 1
        return "".join(out)

    def quoted(self) -> str:
        assert self.s[self.i] == '"'
        end = self.i + 1
        out: list[str] = []
        while end < len(self.s) and self.s[end] != '"':
            if self.s[end] == "\\" and end + 1 < len(self.s):
                end += 1
            out.append(self.s[end])
            end += 1
        if end >= len(self.s):
            raise self.fail("aspas sem fechamento")
        self.i = end + 1
        return "".join(out)

    # grammar
    def parse(self) -> Node:
        if self.at_end():
            return All()
        node = self.or_expr()
        if not self.at_end():
            raise self.fail("parêntese ou operador inesperado")
        return node

    def or_expr(self) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail("expressão aninhada demais")
        parts = [self.and_expr()]
        while self.keyword("OR") or self.symbol("||"):
            parts.append(self.and_expr())
        self.depth -= 1
        return parts[0] if len(parts) == 1 else Or(parts)

    def and_expr(self) -> Node:
        parts: list[Node] = []
        while not self.at_end() and not self.peek(")"):
            if self.peek("||") or self.keyword_ahead("OR"):
                break
            if self.keyword("AND") or self.symbol("&&"):
                continue
            parts.append(self.unary())
        if not parts:
            raise self.fail("expressão vazia")
        return parts[0] if len(parts) == 1 else And(parts)

    def keyword_ahead(self, word: str) -> bool:
        start = self.i
        found = self.keyword(word)
        self.i = start
        return found

    def unary(self) -> Node:
        if self.symbol("+"):
            return self.primary()
        if self.symbol("-") or self.symbol("!") or self.keyword("NOT"):
            return Not(self.primary())
        return self.primary()

    def primary(self) -> Node:
        self.skip()
        if self.symbol("("):
            node = self.or_expr()
            if not self.symbol(")"):
                raise self.fail("parêntese sem fechamento")
            return node
        if self.s.startswith("*:*", self.i):
            self.i += 3
            return All()
        if self.peek('"'):
            return self.leaf(self.quoted(), quoted=True)
        match = _FIELD.match(self.s, self.i)
        if match:
            self.i = match.end()
            return self.field_value(match.group(1))
        value = self.word(allow_colon=self.default_field is not None)
        if not value:
            raise self.fail("termo vazio")
        return self.leaf(value, quoted=False)

    def leaf(self, value: str, *, quoted: bool) -> Node:
        field = self.default_field
        if field is None:
            if value == "*":
                return All()
            return Text("text", text.query_terms(value))
        if field in TEXT_FIELDS:
            return Text(field, text.query_terms(value))
        if field in DATE_FIELDS:
            when = None if value == "*" and not quoted else parse_date(value, field)
            return DateRange(field, when, when)
        if quoted:
            return Term(field, norm(value))
        if value == "*":
            return Term(field, "", anything=True)
        if value.endswith("*"):
            return Term(field, norm(value[:-1]), prefix=True)
        return Term(field, norm(value))

    def field_value(self, field: str) -> Node:
        if self.default_field is not None:
            raise self.fail("campo dentro de outro campo")
        self.default_field = field
        try:
            if self.symbol("("):
                node = self.or_expr()
                if not self.symbol(")"):
                    raise self.fail("parêntese sem fechamento")
                return node
            if self.peek("[") or self.peek("{"):
                return self.range(field)
            if self.peek('"'):
                return self.leaf(self.quoted(), quoted=True)
            value = self.word(allow_colon=True)
            if not value:
                raise self.fail(f"valor ausente para o campo {field}")
            return self.leaf(value, quoted=False)
        finally:
            self.default_field = None

    def range(self, field: str) -> Node:
        low_inclusive = self.s[self.i] == "["
        end = min(
            (p for p in (self.s.find("]", self.i), self.s.find("}", self.i)) if p != -1),
            default=-1,
        )
        if end == -1:
            raise self.fail("intervalo sem fechamento")
        high_inclusive = self.s[end] == "]"
        body = self.s[self.i + 1 : end]
        bounds = re.split(r"\s+TO\s+", body.strip())
        if len(bounds) != 2 or not all(bounds):
            raise self.fail("intervalo deve ser [início TO fim]")
        self.i = end + 1
        low, high = (b.strip().strip('"') for b in bounds)
        inclusive = (low_inclusive, high_inclusive)
        if field in DATE_FIELDS:
            low_date, high_date = (None if b == "*" else parse_date(b, field) for b in (low, high))
            return DateRange(field, low_date, high_date, *inclusive)
        low_s, high_s = (None if b == "*" else norm(b) for b in (low, high))
        return Range(field, low_s, high_s, *inclusive)


def parse(source: str) -> Node:
    return Parser(source).parse()
