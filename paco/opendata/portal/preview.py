"""The preview table of a tabular resource: filters, sorting and paging from a GET form.

The rows come from the data API's query function
(:func:`paco.opendata.datastore.query.query_table`), so the page shows exactly
what ``datastore_search`` would answer. Parameters (pt-BR, in the page's URL):

- ``busca``: full text over the table;
- ``coluna`` + ``valor``: one column equal to a value;
- ``ordenar``: a column name, ``-name`` for descending;
- ``pagina``: 1-based page number.

On a dataset page with several tables, ``recurso=<id>`` says which table the
parameters are for; the others show their first page.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import urlencode

from paco.opendata.datastore.query import QueryError, TableQuery, query_table
from paco.opendata.models import ResourceVersion

PAGE_SIZE = 20
MAX_PAGE = 10_000  # deep paging belongs to the API and the downloads

NUMERIC = {"integer", "int", "number", "numeric"}


def decimals_of(value: Any) -> int:
    """Decimal places needed to show a float as stored (at most 6)."""
    if not isinstance(value, float) or isinstance(value, bool) or not math.isfinite(value):
        return 0
    text = repr(value)
    if "e" in text:
        return 6
    return min(len(text.partition(".")[2].rstrip("0")), 6)


def _number(value: float | int, kind: str, decimals: int | None) -> str:
    if isinstance(value, int) or kind in {"integer", "int"}:
        text = f"{int(value):,}"
    elif math.isfinite(value):
        places = decimals_of(value) if decimals is None else decimals
        text = f"{value:,.{places}f}"
    else:
        return str(value)
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_cell(value: Any, kind: str, decimals: int | None = None) -> str:
    """A value of the data API as a person reads it in Brazil (``decimals``: per column)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sim" if value else "Não"
    if isinstance(value, int | float):
        return _number(value, kind, decimals)
    if kind == "date" and isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if kind in {"datetime", "timestamp"} and isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    if isinstance(value, dict | list):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


class Cell(NamedTuple):
    text: str
    numeric: bool
    label: str = ""  # its column's title: the cell's data-label on phones


@dataclass
class Column:
    name: str
    title: str
    type: str
    numeric: bool
    sort_link: str  # query string sorting by this column (toggling direction)
    aria_sort: str  # "ascending" | "descending" | ""


@dataclass
class Preview:
    version: ResourceVersion
    columns: list[Column] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    total: int | None = None
    page: int = 1
    page_size: int = PAGE_SIZE
    busca: str = ""
    coluna: str = ""
    valor: str = ""
    ordenar: str = ""
    error: str = ""
    base_params: list[tuple[str, str]] = field(default_factory=list)

    @property
    def first_row(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.rows else 0

    @property
    def last_row(self) -> int:
        return (self.page - 1) * self.page_size + len(self.rows)

    @property
    def pages(self) -> int:
        if self.total is None:
            return self.page
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def filtered(self) -> bool:
        return bool(self.busca or (self.coluna and self.valor))

    def _link(self, **changes: Any) -> str:
        state: dict[str, Any] = {
            "busca": self.busca,
            "coluna": self.coluna if self.valor else "",
            "valor": self.valor if self.coluna else "",
            "ordenar": self.ordenar,
            "pagina": self.page,
        }
        state.update(changes)
        if int(state["pagina"]) <= 1:
            state["pagina"] = ""
        pairs = list(self.base_params) + [(k, str(v)) for k, v in state.items() if v != ""]
        return "?" + urlencode(pairs)

    @property
    def previous_link(self) -> str:
        return self._link(pagina=self.page - 1) if self.page > 1 else ""

    @property
    def next_link(self) -> str:
        more = self.total is None or self.last_row < self.total
        return self._link(pagina=self.page + 1) if more and self.page < MAX_PAGE else ""

    @property
    def clear_link(self) -> str:
        return "?" + urlencode(self.base_params) if self.base_params else "?"


def _page(params: Mapping[str, Any]) -> int:
    try:
        return min(max(int(str(params.get("pagina", "1"))), 1), MAX_PAGE)
    except ValueError:
        return 1


def build_preview(
    version: ResourceVersion,
    params: Mapping[str, Any],
    *,
    active: bool = True,
    page_size: int = PAGE_SIZE,
    base_params: list[tuple[str, str]] | None = None,
) -> Preview:
    """Query one page of ``version`` for the parameters (ignored when not ``active``)."""
    schema_fields = version.effective_schema().get("fields", [])
    names = [f["name"] for f in schema_fields]
    get = (lambda key: " ".join(str(params.get(key, "") or "").split())[:200]) if active else None
    preview = Preview(version=version, page_size=page_size, base_params=list(base_params or []))
    if get is not None:
        preview.busca = get("busca")
        preview.coluna = get("coluna") if get("coluna") in names else ""
        preview.valor = get("valor") if preview.coluna else ""
        ordenar = get("ordenar")
        preview.ordenar = ordenar if ordenar.lstrip("-") in names else ""
        preview.page = _page(params)
    for f in schema_fields:
        name = f["name"]
        sort = preview.ordenar
        aria = ""
        if sort == name:
            aria, toggle = "ascending", f"-{name}"
        elif sort == f"-{name}":
            aria, toggle = "descending", name
        else:
            toggle = name
        preview.columns.append(
            Column(
                name=name,
                title=f.get("title") or name,
                type=f.get("type", "string"),
                numeric=f.get("type") in NUMERIC,
                sort_link=preview._link(ordenar=toggle, pagina=1),
                aria_sort=aria,
            )
        )
    order = (
        [(preview.ordenar.lstrip("-"), preview.ordenar.startswith("-"))] if preview.ordenar else []
    )
    query = TableQuery(
        filters={preview.coluna: preview.valor} if preview.coluna and preview.valor else {},
        q=preview.busca,
        fields=names or None,
        sort=order,
        limit=page_size,
        offset=(preview.page - 1) * page_size,
        include_total=True,
    )
    try:
        result = query_table(version, query)
    except QueryError as exc:
        preview.error = getattr(exc, "message", str(exc))
        return preview
    preview.total = result.total
    places = {
        c.name: max((decimals_of(r.get(c.name)) for r in result.records), default=0)
        for c in preview.columns
        if c.numeric
    }
    preview.rows = [
        [
            Cell(format_cell(record.get(c.name), c.type, places.get(c.name)), c.numeric, c.title)
            for c in preview.columns
        ]
        for record in result.records
    ]
    return preview
