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
import json
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from paco.catalog import search as text
from paco.opendata import vocab
from paco.opendata.ckan import query as solr
from paco.opendata.ckan.errors import SearchError, ValidationError
from paco.opendata.ckan.packages import org_id, package_dict, package_queryset
from paco.opendata.models import Dataset
from paco.opendata.portal.search import IndexedDataset, index_for
from paco.tenancy.models import Municipality, Unit

ROWS_DEFAULT = 10
ROWS_MAX = 1000
FACET_LIMIT_DEFAULT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
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


def integer(params: dict[str, Any], key: str, default: int) -> int:
    """A natural number parameter, with CKAN's validation errors in pt-BR."""
    raw = params.get(key, default)
    if raw in ("", None):
        return default
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({key: ["Número inteiro inválido"]}) from None
    if value < 0:
        raise ValidationError({key: ["Deve ser um número natural"]})
    return value


def signed_integer(params: dict[str, Any], key: str, default: int) -> int:
    """An integer where -1 means "no limit" (``facet.limit``)."""
    raw = params.get(key, default)
    try:
        return default if raw in ("", None) else int(str(raw).strip())
    except ValueError:
        raise ValidationError({key: ["Número inteiro inválido"]}) from None


def boolean(params: dict[str, Any], key: str, default: bool) -> bool:
    raw = params.get(key, default)
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in ("true", "1", "yes", "sim", "on"):
        return True
    if value in ("false", "0", "no", "nao", "não", "off", ""):
        return False
    raise ValidationError({key: ["Valor booleano inválido"]})


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
            loaded = json.loads(value)
        except ValueError:
            raise ValidationError({key: ["Lista JSON inválida"]}) from None
        if not isinstance(loaded, list):
            raise ValidationError({key: ["Deve ser uma lista"]})
        return [str(v) for v in loaded]
    return [v.strip() for v in value.split(",") if v.strip()]


class _Doc:
    """One indexed dataset as the query language sees it."""

    def __init__(self, entry: IndexedDataset, context: _Context) -> None:
        self.entry = entry
        self.context = context

    def values(self, field: str) -> tuple[str, ...] | None:
        e = self.entry
        if field in _CONSTANT_FIELDS:
            return _CONSTANT_FIELDS[field]
        if field == "id":
            return (str(e.id),)
        if field == "name":
            return (e.name,)
        if field == "organization":
            return (solr.norm(e.unit_slug),)
        if field == "owner_org":
            return (self.context.org_ids().get(e.unit_slug, ""),)
        if field == "groups":
            return tuple(solr.norm(key) for key, _label in e.themes)
        if field == "tags":
            return tuple(solr.norm(k) for k in e.keywords)
        if field == "res_format":
            return tuple(solr.norm(f) for f in e.formats)
        if field == "license_id":
            return (solr.norm(e.license),)
        if field == "num_tags":
            return (str(len(e.keywords)),)
        if field == "title_string":
            return (solr.norm(e.title),)
        return None  # unknown fields match nothing, as in CKAN's Solr schema

    def date(self, field: str) -> datetime.datetime | None:
        if field == "metadata_modified":
            return self.entry.modified_at
        return self.context.created().get(self.entry.id)

    def has_text(self, field: str, terms: list[tuple[str, ...]]) -> bool:
        document = self.entry.title_document if field == "title" else self.entry.document
        return all(any(f" {form}" in document for form in forms) for forms in terms)


class _Context:
    """Data some queries need, loaded once per request and only when used."""

    def __init__(self, town: Municipality) -> None:
        self.town = town
        self._created: dict[uuid.UUID, datetime.datetime] | None = None
        self._org_ids: dict[str, str] | None = None

    def created(self) -> dict[uuid.UUID, datetime.datetime]:
        if self._created is None:
            rows = Dataset.objects.for_municipality(self.town).published()
            self._created = dict(rows.values_list("id", "created_at"))
        return self._created

    def org_ids(self) -> dict[str, str]:
        if self._org_ids is None:
            units = Unit.objects.for_municipality(self.town).only("id", "slug", "municipality_id")
            self._org_ids = {u.slug: org_id(u) for u in units}
        return self._org_ids


def _score(entry: IndexedDataset, terms: list[tuple[str, ...]]) -> int:
    score = 0
    for forms in terms:
        if any(f" {form}" in entry.title_document for form in forms):
            score += 3
        elif any(f" {form}" in entry.document for form in forms):
            score += 1
    return score


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
    "metadata_created": lambda d, score: d.date("metadata_created"),
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


def _facet_display(field: str, index: list[IndexedDataset]) -> dict[str, str]:
    names: dict[str, str] = {}
    if field == "organization":
        names = {e.unit_slug: e.unit_name for e in index}
    elif field == "groups":
        names = {key: label for e in index for key, label in e.themes}
    elif field == "license_id":
        names = {t.key: t.label for t in vocab.licenses()}
    return names


def _facet_values(entry: IndexedDataset, field: str) -> tuple[str, ...]:
    if field == "organization":
        return (entry.unit_slug,)
    if field == "groups":
        return tuple(key for key, _label in entry.themes)
    if field == "tags":
        return entry.keywords
    if field == "res_format":
        return tuple(f.upper() for f in entry.formats)
    if field == "license_id":
        return (entry.license,)
    return ()


def _facets(
    docs: list[_Doc], fields: list[str], limit: int, mincount: int, index: list[IndexedDataset]
) -> tuple[dict[str, dict[str, int]], dict[str, Any]]:
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, Any] = {}
    for field in fields:
        counts = Counter(v for d in docs for v in _facet_values(d.entry, field))
        ranked = sorted(
            ((v, n) for v, n in counts.items() if n >= mincount), key=lambda kv: (-kv[1], kv[0])
        )
        if limit >= 0:
            ranked = ranked[:limit]
        names = _facet_display(field, index)
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
    facet_limit = signed_integer(params, "facet.limit", FACET_LIMIT_DEFAULT)
    facet_mincount = integer(params, "facet.mincount", 1)
    fl = string_list(params, "fl")

    q_node = _parse_q(q) if q not in ("", '""', "''") else solr.All()
    filters = [solr.parse(fq[:MAX_QUERY_LENGTH]) for fq in fq_values if fq.strip()]
    terms = q_node.positive_terms()

    index = index_for(town)
    context = _Context(town)
    matched: list[tuple[_Doc, int]] = []
    for entry in index:
        doc = _Doc(entry, context)
        if q_node.matches(doc) and all(f.matches(doc) for f in filters):
            matched.append((doc, _score(entry, terms) if terms else 0))
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
