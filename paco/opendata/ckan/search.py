"""CKAN's ``package_search`` over the portal's in-memory index of published datasets.

The index (:func:`paco.opendata.portal.search.index_for`) holds every published
dataset of the municipality with its facet values and token documents built by
the catalogue's Portuguese normalizer, so ``q=saude`` finds "Saúde" on SQLite
and PostgreSQL alike. ``q`` and ``fq`` are parsed by :mod:`.query`, filtered,
sorted and paged here in Python; only the requested page is then loaded from
the database, in a constant number of queries (see ``packages.package_queryset``).

Parameters, as CKAN 2.10: ``q``, ``fq`` (also ``fq_list``), ``sort``, ``rows``
(default 10, capped at 1000 like ``ckan.search.rows_max``), ``start``,
``facet`` / ``facet.field`` (JSON list) / ``facet.limit`` / ``facet.mincount``,
``fl``. ``include_private`` / ``include_drafts`` are accepted and ignored: only
published datasets are ever searched.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from paco.catalog import search as text
from paco.core import jsoninput
from paco.opendata.ckan import query as solr
from paco.opendata.ckan.errors import SearchError, ValidationError
from paco.opendata.ckan.packages import package_dict, package_queryset, unit_org_id
from paco.opendata.datastore.engine import parse_bool
from paco.opendata.portal.search import IndexedDataset, facet_labels, index_for
from paco.tenancy.models import Municipality

ROWS_DEFAULT = 10
ROWS_MAX = 1000
FACET_LIMIT_DEFAULT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"
#: CKAN's facet fields and the portal's facets they are
PORTAL_FACETS = {
    "organization": "organizacao",
    "groups": "tema",
    "tags": "palavra",
    "res_format": "formato",
    "license_id": "licenca",
}
FACET_FIELDS = tuple(PORTAL_FACETS)
MAX_QUERY_LENGTH = 2000

# values that every (published, public) dataset has in CKAN's index
_CONSTANT_FIELDS = {
    "state": ("active",),
    "dataset_type": ("dataset",),
    "type": ("dataset",),
    "entity_type": ("package",),
    "capacity": ("public",),
    "private": ("false",),
}


def integer(params: dict[str, Any], key: str, default: int, *, natural: bool = True) -> int:
    """An integer parameter, natural unless told (``facet.limit``: -1 is "no limit").

    With CKAN's validation errors in pt-BR.
    """
    raw = params.get(key, default)
    if raw in ("", None):
        return default
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({key: ["Número inteiro inválido"]}) from None
    if natural and value < 0:
        raise ValidationError({key: ["Deve ser um número natural"]})
    return value


def boolean(params: dict[str, Any], key: str, default: bool) -> bool:
    raw = params.get(key, default)
    if raw == "":
        return False
    value = parse_bool(raw)
    if value is None:
        raise ValidationError({key: ["Valor booleano inválido"]})
    return value


def string_list(params: dict[str, Any], key: str) -> list[str]:
    """A list given as a JSON list, a list, or a comma-separated string."""
    raw = params.get(key)
    if raw in (None, ""):
        return []
    if isinstance(raw, list):
        return [str(v) for v in raw]
    value = str(raw).strip()
    if value.startswith("["):
        try:
            loaded = jsoninput.loads(value, where=f"em “{key}”")
        except jsoninput.JSONInputError as exc:
            raise ValidationError({key: [str(exc)]}) from None
        if not isinstance(loaded, list):
            raise ValidationError({key: ["Deve ser uma lista"]})
        return [str(v) for v in loaded]
    return [v.strip() for v in value.split(",") if v.strip()]


class _Doc:
    """One indexed dataset as the query language sees it (:class:`.query.Fields`)."""

    def __init__(self, entry: IndexedDataset, town_id: int) -> None:
        self.entry = entry
        self.town_id = town_id

    def values(self, field: str) -> tuple[str, ...] | None:
        e = self.entry
        if field in _CONSTANT_FIELDS:
            return _CONSTANT_FIELDS[field]
        if field in PORTAL_FACETS:
            return tuple(solr.norm(v) for v in e.values(PORTAL_FACETS[field]))
        if field == "id":
            return (str(e.id),)
        if field == "name":
            return (e.name,)
        if field == "owner_org":
            return (unit_org_id(self.town_id, e.unit_id),)
        if field == "num_tags":
            return (str(len(e.keywords)),)
        if field == "title_string":
            return (solr.norm(e.title),)
        return None  # unknown fields match nothing, as in CKAN's Solr schema

    def date(self, field: str) -> datetime.datetime | None:
        if field == "metadata_modified":
            return self.entry.modified_at
        return self.entry.created_at

    def has_text(self, field: str, terms: list[tuple[str, ...]]) -> bool:
        return self.entry.has_text(terms, title_only=field == "title")


def _parse_q(q: str) -> solr.Node:
    """``q`` is forgiving: when it is not valid query syntax, it is plain words."""
    try:
        return solr.parse(q)
    except SearchError:
        return solr.Text("text", text.query_terms(q))


SortKey = Callable[[_Doc, int], Any]
_SORT_KEYS: dict[str, SortKey] = {
    "score": lambda d, score: score,
    "id": lambda d, score: str(d.entry.id),
    "name": lambda d, score: d.entry.name,
    "title_string": lambda d, score: solr.norm(d.entry.title),
    "title": lambda d, score: solr.norm(d.entry.title),
    "metadata_modified": lambda d, score: d.entry.modified_at,
    "metadata_created": lambda d, score: d.entry.created_at,
    "views_recent": lambda d, score: d.entry.view_count,
    "views_total": lambda d, score: d.entry.view_count,
    "num_tags": lambda d, score: len(d.entry.keywords),
}


def parse_sort(sort: str) -> list[tuple[str, bool]]:
    """``"score desc, name asc"`` → [("score", True), ("name", False)]."""
    out = []
    for clause in sort.split(","):
        parts = clause.split()
        if not parts:
            continue
        field = parts[0]
        direction = parts[1].lower() if len(parts) > 1 else "asc"
        if field not in _SORT_KEYS or direction not in ("asc", "desc") or len(parts) > 2:
            raise SearchError(f"não é possível ordenar por {clause.strip()!r}")
        out.append((field, direction == "desc"))
    return out


def _ordered(scored: list[tuple[_Doc, int]], sort: list[tuple[str, bool]]) -> list[_Doc]:
    items = sorted(scored, key=lambda item: str(item[0].entry.id))  # stable tie-break
    for field, descending in reversed(sort):
        key = _SORT_KEYS[field]
        present = [i for i in items if key(*i) is not None]
        missing = [i for i in items if key(*i) is None]
        present.sort(key=lambda item: key(*item), reverse=descending)
        items = present + missing
    return [doc for doc, _score in items]


def _facet_values(entry: IndexedDataset, field: str) -> tuple[str, ...]:
    values = entry.values(PORTAL_FACETS[field])
    return tuple(v.upper() for v in values) if field == "res_format" else values


def _facets(
    docs: list[_Doc], fields: list[str], limit: int, mincount: int, index: list[IndexedDataset]
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    labels = facet_labels(index) if fields else {}
    for field in fields:
        counts = Counter(v for d in docs for v in _facet_values(d.entry, field))
        ranked = sorted(
            ((v, n) for v, n in counts.items() if n >= mincount), key=lambda kv: (-kv[1], kv[0])
        )
        if limit >= 0:
            ranked = ranked[:limit]
        names = labels[PORTAL_FACETS[field]]
        facets[field] = dict(ranked)
        search_facets[field] = {
            "title": field,
            "items": [{"name": v, "display_name": names.get(v, v), "count": n} for v, n in ranked],
        }
    return facets, search_facets


def package_search(request: HttpRequest, town: Municipality, params: dict[str, Any]) -> Any:
    rows = min(integer(params, "rows", ROWS_DEFAULT), ROWS_MAX)
    start = integer(params, "start", 0)
    q = str(params.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    fq_raw = params.get("fq") or ""
    fq_given = fq_raw if isinstance(fq_raw, list) else [fq_raw]  # repeated ``fq``: all apply
    fq_values = [*(str(v) for v in fq_given), *string_list(params, "fq_list")]
    sort_text = str(params.get("sort") or DEFAULT_SORT)
    sort = parse_sort(sort_text)
    facet_fields = string_list(params, "facet.field") if boolean(params, "facet", True) else []
    for field in facet_fields:
        if field not in FACET_FIELDS:
            raise SearchError(f"faceta não disponível: {field!r}")
    facet_limit = integer(params, "facet.limit", FACET_LIMIT_DEFAULT, natural=False)
    facet_mincount = integer(params, "facet.mincount", 1)
    fl = string_list(params, "fl")

    q_node = _parse_q(q) if q not in ("", '""', "''") else solr.All()
    filters = [solr.parse(fq[:MAX_QUERY_LENGTH]) for fq in fq_values if fq.strip()]
    terms = q_node.positive_terms()

    index = index_for(town)
    matched: list[tuple[_Doc, int]] = []
    for entry in index:
        doc = _Doc(entry, town.pk)
        if q_node.matches(doc) and all(f.matches(doc) for f in filters):
            matched.append((doc, entry.text_score(terms)))
    ordered = _ordered(matched, sort)
    page = ordered[start : start + rows]

    results: list[Any]
    if fl == ["id"] or fl == ["name"]:
        results = [str(d.entry.id) if fl[0] == "id" else d.entry.name for d in page]
    else:
        ids = [d.entry.id for d in page]
        by_id = {ds.pk: ds for ds in package_queryset(town).filter(pk__in=ids)} if ids else {}
        results = [package_dict(request, by_id[pk], town) for pk in ids if pk in by_id]
        if fl:
            results = [{k: r[k] for k in fl if k in r} for r in results]
    facets, search_facets = _facets(
        [d for d, _s in matched], facet_fields, facet_limit, facet_mincount, index
    )
    return {
        "count": len(matched),
        "facets": facets,
        "results": results,
        "sort": sort_text,
        "search_facets": search_facets,
    }
