"""Faceted search over a municipality's published datasets, shared by the portal and APIs.

A town publishes hundreds of datasets, not millions, so the search runs over a
small in-memory *index*: one :class:`IndexedDataset` per published dataset with
its facet values and a token document built by :mod:`paco.catalog.search`
(lowercase, unaccented, Portuguese stems — "saúde" finds "Saude" and
"licitações" finds "licitacao"). Building it costs three queries whatever the
number of datasets; it is kept in Django's cache under the municipality's
*content version* (see :mod:`paco.core.cache`), so any committed change to the
catalogue makes a new one and a search itself costs no query.

- :func:`build_index` / :func:`index_for` — the index (cached);
- :func:`parse_query` — a :class:`SearchQuery` from the page's GET parameters;
- :func:`run_search` — ordered matches plus facet counts;
- :func:`search_ids` — just the matching ids, for an API that pages a queryset.

Facets: ``tema`` (theme key), ``organizacao`` (unit slug), ``formato`` (resource
format), ``licenca`` (licence key), ``palavra`` (keyword). Selected values of
every facet must all hold (as CKAN's ``fq`` does); counts are over the results.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache

from paco.catalog import search as text
from paco.core.cache import content_version
from paco.opendata import vocab
from paco.opendata.models import Dataset, Resource
from paco.tenancy.models import Municipality

FACETS: tuple[tuple[str, str], ...] = (
    ("tema", "Tema"),
    ("organizacao", "Organização"),
    ("formato", "Formato"),
    ("licenca", "Licença"),
    ("palavra", "Palavra-chave"),
)
FACET_KEYS = tuple(key for key, _label in FACETS)
SORTS: tuple[tuple[str, str], ...] = (
    ("relevancia", "Relevância"),
    ("recentes", "Atualizados recentemente"),
    ("nome", "Nome (A–Z)"),
    ("visitados", "Mais visitados"),
)
MAX_VALUES_PER_FACET = 8
#: part of the cache key: bump it when :class:`IndexedDataset` changes shape
INDEX_FORMAT = 2
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class IndexedDataset:
    """What lists and facets need about one published dataset (no query to render a card)."""

    id: uuid.UUID
    name: str
    title: str
    description: str
    unit_id: int
    unit_slug: str
    unit_name: str
    license: str
    keywords: tuple[str, ...]
    themes: tuple[tuple[str, str], ...]  # (key, label)
    formats: tuple[str, ...]  # lower-case, e.g. "csv"
    created_at: datetime.datetime
    modified_at: datetime.datetime
    published_at: datetime.datetime | None
    next_update_due: datetime.date | None
    view_count: int
    document: str  # " tok tok … " over every text
    title_document: str

    def values(self, facet: str) -> tuple[str, ...]:
        if facet == "tema":
            return tuple(key for key, _label in self.themes)
        if facet == "organizacao":
            return (self.unit_slug,)
        if facet == "formato":
            return self.formats
        if facet == "licenca":
            return (self.license,)
        if facet == "palavra":
            return self.keywords
        raise KeyError(facet)

    def update_is_late(self, today: datetime.date) -> bool:
        return bool(self.next_update_due and self.next_update_due < today)

    def has_text(self, terms: list[tuple[str, ...]], *, title_only: bool = False) -> bool:
        """Whether every term (alternative prefixes from ``query_terms``) starts some token."""
        document = self.title_document if title_only else self.document
        return all(_found(document, forms) for forms in terms)

    def text_score(self, terms: list[tuple[str, ...]]) -> int:
        """Relevance: 3 per term found in the title or keywords, 1 per term found elsewhere."""
        score = 0
        for forms in terms:
            if _found(self.title_document, forms):
                score += 3
            elif _found(self.document, forms):
                score += 1
        return score


def _found(document: str, forms: tuple[str, ...]) -> bool:
    return any(f" {form}" in document for form in forms)


def build_index(town: Municipality) -> list[IndexedDataset]:
    """Every published dataset of ``town`` as an :class:`IndexedDataset` (three queries)."""
    rows = list(
        Dataset.objects.for_municipality(town)
        .published()
        .values(
            "id",
            "name",
            "title",
            "description",
            "license",
            "keywords",
            "created_at",
            "modified_at",
            "published_at",
            "next_update_due",
            "view_count",
            "unit_id",
            "unit__slug",
            "unit__name",
        )
    )
    ids = [row["id"] for row in rows]
    themes: dict[uuid.UUID, list[tuple[str, str]]] = defaultdict(list)
    for dataset_id, key, label in Dataset.themes.through.objects.filter(
        dataset_id__in=ids
    ).values_list("dataset_id", "theme__key", "theme__label"):
        themes[dataset_id].append((key, label))
    formats: dict[uuid.UUID, list[str]] = defaultdict(list)
    resource_titles: dict[uuid.UUID, list[str]] = defaultdict(list)
    for dataset_id, fmt, title in (
        Resource.objects.for_municipality(town)
        .public()
        .filter(dataset_id__in=ids)
        .values_list("dataset_id", "format", "title")
    ):
        fmt = (fmt or "").strip().lower()
        if fmt and fmt not in formats[dataset_id]:
            formats[dataset_id].append(fmt)
        resource_titles[dataset_id].append(title)
    index = []
    for row in rows:
        pk = row["id"]
        keywords = tuple(str(k) for k in row["keywords"] or [])
        dataset_themes = tuple(sorted(themes[pk], key=lambda t: t[1]))
        index.append(
            IndexedDataset(
                id=pk,
                name=row["name"],
                title=row["title"],
                description=row["description"],
                unit_id=row["unit_id"],
                unit_slug=row["unit__slug"],
                unit_name=row["unit__name"],
                license=row["license"],
                keywords=keywords,
                themes=dataset_themes,
                formats=tuple(sorted(formats[pk])),
                created_at=row["created_at"],
                modified_at=row["modified_at"],
                published_at=row["published_at"],
                next_update_due=row["next_update_due"],
                view_count=row["view_count"],
                document=text.build_document(
                    row["title"],
                    row["description"],
                    " ".join(keywords),
                    " ".join(label for _key, label in dataset_themes),
                    row["unit__name"],
                    " ".join(resource_titles[pk]),
                ),
                title_document=text.build_document(row["title"], " ".join(keywords)),
            )
        )
    return index


def index_for(town: Municipality) -> list[IndexedDataset]:
    """The index of ``town``, from the cache while its content version is unchanged."""
    seconds = settings.PACO_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return build_index(town)
    key = f"paco:opendata:index:{INDEX_FORMAT}:{town.pk}:{content_version(town.pk)}"
    index: list[IndexedDataset] | None = cache.get(key)
    if index is None:
        index = build_index(town)
        cache.set(key, index, seconds)
    return index


@dataclass
class SearchQuery:
    q: str = ""
    selected: dict[str, list[str]] = field(default_factory=dict)
    sort: str = ""

    def effective_sort(self) -> str:
        if self.sort in dict(SORTS) and (self.sort != "relevancia" or self.q):
            return self.sort
        return "relevancia" if self.q else "recentes"

    def params(self) -> list[tuple[str, str]]:
        """The query as GET parameters (for links that keep it)."""
        out: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for key in FACET_KEYS:
            out += [(key, value) for value in self.selected.get(key, [])]
        if self.sort:
            out.append(("ordem", self.sort))
        return out

    def is_selected(self, facet: str, value: str) -> bool:
        return value in self.selected.get(facet, [])

    def toggled(self, facet: str, value: str) -> SearchQuery:
        """The same query with ``value`` of ``facet`` added or removed."""
        selected = {k: list(v) for k, v in self.selected.items()}
        values = selected.setdefault(facet, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return SearchQuery(q=self.q, selected=selected, sort=self.sort)

    def without_text(self) -> SearchQuery:
        return SearchQuery(selected=self.selected, sort=self.sort)


def parse_query(
    params: Mapping[str, object], *, fixed: dict[str, str] | None = None
) -> SearchQuery:
    """A :class:`SearchQuery` from a QueryDict (or a plain mapping of lists/strings).

    ``fixed`` facets (the organization of an organization page…) are not part of
    the query: the page applies them itself.
    """

    def getlist(key: str) -> list[str]:
        if hasattr(params, "getlist"):
            values = params.getlist(key)
        else:
            raw = params.get(key, [])
            values = raw if isinstance(raw, list) else [raw]
        return [str(v).strip()[:100] for v in values if str(v).strip()]

    q = " ".join(str(params.get("q", "") or "").split())[:MAX_QUERY_LENGTH]
    selected = {}
    for key in FACET_KEYS:
        if fixed and key in fixed:
            continue
        values = list(dict.fromkeys(getlist(key)))[:10]
        if values:
            selected[key] = values
    sort = str(params.get("ordem", "") or "")
    return SearchQuery(q=q, selected=selected, sort=sort if sort in dict(SORTS) else "")


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    toggle: str  # query string that adds or removes this value


@dataclass
class Facet:
    key: str
    label: str
    values: list[FacetValue]
    more: int = 0  # values left out of the list


@dataclass
class SearchResult:
    query: SearchQuery
    results: list[IndexedDataset]
    facets: list[Facet]
    sort: str

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def active_filters(self) -> list[FacetValue]:
        return [v for facet in self.facets for v in facet.values if v.selected]


def facet_labels(index: Iterable[IndexedDataset]) -> dict[str, dict[str, str]]:
    """Display labels of facet values, by facet key (formats have none: they show as is)."""
    labels: dict[str, dict[str, str]] = {key: {} for key in FACET_KEYS}
    for entry in index:
        labels["tema"].update(dict(entry.themes))
        labels["organizacao"][entry.unit_slug] = entry.unit_name
    labels["licenca"] = {t.key: t.label for t in vocab.licenses()}
    return labels


def _label(labels: dict[str, dict[str, str]], facet: str, value: str) -> str:
    if facet == "formato":
        return value.upper()
    return labels[facet].get(value, value)


def filter_index(
    index: Iterable[IndexedDataset], query: SearchQuery, fixed: dict[str, str] | None = None
) -> list[tuple[int, IndexedDataset]]:
    """(score, entry) for each entry matching the text, the selected and the fixed facets."""
    terms = text.query_terms(query.q)
    wanted = {k: set(v) for k, v in query.selected.items()}
    for key, value in (fixed or {}).items():
        wanted.setdefault(key, set()).add(value)
    out = []
    for entry in index:
        if any(not values <= set(entry.values(key)) for key, values in wanted.items()):
            continue
        if entry.has_text(terms):
            out.append((entry.text_score(terms) if terms else 1, entry))
    return out


def _ordered(scored: list[tuple[int, IndexedDataset]], sort: str) -> list[IndexedDataset]:
    def by_title(item: tuple[int, IndexedDataset]) -> str:
        return text.unaccent(item[1].title).casefold()

    scored = sorted(scored, key=by_title)
    if sort == "relevancia":
        scored.sort(key=lambda item: item[0], reverse=True)
    elif sort == "recentes":
        scored.sort(key=lambda item: item[1].modified_at, reverse=True)
    elif sort == "visitados":
        scored.sort(key=lambda item: item[1].view_count, reverse=True)
    return [entry for _score, entry in scored]


def run_search(
    town: Municipality, query: SearchQuery, *, fixed: dict[str, str] | None = None
) -> SearchResult:
    """Matches of ``query`` (plus ``fixed`` facets) in order, and the facet counts."""
    index = index_for(town)
    sort = query.effective_sort()
    results = _ordered(filter_index(index, query, fixed), sort)
    labels = facet_labels(index)
    facets = []
    for key, label in FACETS:
        if fixed and key in fixed:
            continue
        counts = Counter(value for entry in results for value in entry.values(key))
        for value in query.selected.get(key, []):
            counts.setdefault(value, 0)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], _label(labels, key, kv[0])))
        shown = [kv for kv in ranked[:MAX_VALUES_PER_FACET]]
        shown += [kv for kv in ranked[MAX_VALUES_PER_FACET:] if query.is_selected(key, kv[0])]
        values = [
            FacetValue(
                value=value,
                label=_label(labels, key, value),
                count=count,
                selected=query.is_selected(key, value),
                toggle=urlencode(query.toggled(key, value).params()),
            )
            for value, count in shown
        ]
        if values:
            facets.append(Facet(key, label, values, more=len(ranked) - len(shown)))
    return SearchResult(query=query, results=results, facets=facets, sort=sort)


def search_ids(
    town: Municipality, q: str = "", filters: dict[str, list[str]] | None = None
) -> list[uuid.UUID]:
    """Ids of the published datasets matching ``q`` and ``filters``, best match first.

    For APIs that page a ``Dataset`` queryset themselves: ``filter(pk__in=ids)``.
    """
    query = SearchQuery(q=q, selected={k: list(v) for k, v in (filters or {}).items()})
    return [entry.id for entry in _ordered(filter_index(index_for(town), query), "relevancia")]
