"""The CKAN Action API v3, read side: the read handlers, by CKAN action name.

Every handler is ``fn(request, params) -> result``: ``params`` is the data dict
(query parameters of a GET, or the JSON object of a POST) and the result goes
into CKAN's envelope. Failures raise :mod:`paco.opendata.ckan.errors`. Handlers
only read published datasets of the request's municipality, through querysets;
they never look at the user (the API takes no session authentication).

The DataStore handlers (``datastore_search``, ``datastore_search_sql``…) come
from :mod:`paco.opendata.datastore.ckan_handlers` and are merged into
:data:`HANDLERS`.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest

from paco.core.sanitize import plain_output
from paco.opendata import access, vocab
from paco.opendata.ckan import packages
from paco.opendata.ckan.errors import NotFound, ValidationError, missing
from paco.opendata.ckan.query import norm
from paco.opendata.ckan.search import ROWS_MAX, boolean, integer, package_search, string_list
from paco.opendata.datastore.ckan_handlers import HANDLERS as DATASTORE_HANDLERS
from paco.opendata.models import Dataset, Theme
from paco.opendata.portal.search import index_for
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality, Unit

Handler = Callable[[HttpRequest, dict[str, Any]], Any]

CKAN_VERSION = "2.10.4"
EXTENSIONS = ["datastore", "dcat"]
INCLUDE_DATASETS_MAX = 1000


def _town(request: HttpRequest) -> Municipality:
    return current_municipality(request)


def _required(params: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = params.get(key)
        if value not in (None, ""):
            return str(value).strip()
    raise missing(keys[0])


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _page(items: list[Any], params: dict[str, Any], *, default_limit: int | None) -> list[Any]:
    offset = integer(params, "offset", 0)
    limit_raw = params.get("limit")
    if limit_raw in (None, "") and default_limit is None:
        return items[offset:]
    limit = integer(params, "limit", default_limit or 0)
    return items[offset : offset + limit]


# --- packages ---------------------------------------------------------------------
def package_list(request: HttpRequest, params: dict[str, Any]) -> list[str]:
    """Names of the published datasets, alphabetical (``limit``, ``offset``)."""
    names = Dataset.objects.for_municipality(_town(request)).published().order_by("name")
    return _page(list(names.values_list("name", flat=True)), params, default_limit=None)


def _dataset(request: HttpRequest, id_or_name: str) -> Dataset:
    town = _town(request)
    qs = packages.package_queryset(town)
    pk = _as_uuid(id_or_name)
    dataset = (qs.filter(pk=pk) if pk else qs.filter(name=id_or_name)).first()
    if dataset is None and pk:
        dataset = qs.filter(name=id_or_name).first()
    if dataset is None:
        raise NotFound("conjunto de dados não encontrado")
    return dataset


def package_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """One published dataset by ``id`` or name, with its resources."""
    dataset = _dataset(request, _required(params, "id", "name_or_id"))
    return packages.package_dict(request, dataset, _town(request))


def package_search_handler(request: HttpRequest, params: dict[str, Any]) -> Any:
    """Search: ``q``, ``fq``, ``sort``, ``rows`` (≤ 1000), ``start``, ``facet.field``…"""
    return package_search(request, _town(request), params)


def current_package_list_with_resources(request: HttpRequest, params: dict[str, Any]) -> Any:
    """Published datasets with their resources, most recently modified first."""
    limit = min(integer(params, "limit", 10), ROWS_MAX)
    offset = integer(params, "offset", 0)
    if "offset" not in params and "page" in params:
        page = integer(params, "page", 1)
        if page < 1:
            raise ValidationError({"page": ["Deve ser maior que 0"]})
        offset = (page - 1) * limit
    town = _town(request)
    qs = packages.package_queryset(town).order_by("-modified_at", "id")[offset : offset + limit]
    return [packages.package_dict(request, d, town) for d in qs]


# --- organizations (units that publish) and groups (themes) ----------------------------
# Counts come from the portal's cached search index of published datasets.
def _unit_counts(town: Municipality) -> Counter[int]:
    return Counter(entry.unit_id for entry in index_for(town))


def _theme_counts(town: Municipality) -> Counter[str]:
    """Published datasets per theme key."""
    return Counter(key for entry in index_for(town) for key, _label in entry.themes)


_LIST_SORTS = ("name", "title", "package_count")


def _sorted_groups(
    items: list[dict[str, Any]], params: dict[str, Any], *, wanted_key: str
) -> list[dict[str, Any]]:
    wanted = string_list(params, wanted_key)
    if wanted:
        items = [i for i in items if i["name"] in wanted]
    sort = str(params.get("sort") or "title asc").split()
    field = sort[0] if sort else "title"
    descending = len(sort) > 1 and sort[1].lower() == "desc"
    if field not in _LIST_SORTS:
        raise ValidationError({"sort": [f"Não é possível ordenar por {field!r}"]})
    items.sort(key=lambda i: (i["title"].casefold(), i["name"]))
    items.sort(
        key=lambda i: i[field].casefold() if isinstance(i[field], str) else i[field],
        reverse=descending,
    )
    return _page(items, params, default_limit=None)


def _list_result(items: list[dict[str, Any]], params: dict[str, Any]) -> list[Any]:
    if not boolean(params, "all_fields", False):
        return [i["name"] for i in items]
    if not boolean(params, "include_dataset_count", True):
        for i in items:
            i.pop("package_count", None)
    return items


def organization_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """Units with published datasets (names: unit slugs); ``all_fields``, ``sort``…"""
    town = _town(request)
    counts = _unit_counts(town)
    units = Unit.objects.for_municipality(town).filter(pk__in=list(counts))
    items = [packages.organization_dict(u, package_count=counts[u.pk]) for u in units]
    return _list_result(_sorted_groups(items, params, wanted_key="organizations"), params)


def group_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """The DCAT-BR themes (names: theme keys); ``all_fields`` gives ``package_count``."""
    counts = _theme_counts(_town(request))
    items = [packages.group_dict(t, package_count=counts[t.key]) for t in Theme.objects.all()]
    return _list_result(_sorted_groups(items, params, wanted_key="groups"), params)


def _with_datasets(
    request: HttpRequest, data: dict[str, Any], datasets: Any, params: dict[str, Any]
) -> dict[str, Any]:
    town = _town(request)
    data.update({"users": [], "extras": [], "groups": [], "tags": [], "num_followers": 0})
    if boolean(params, "include_datasets", False):
        rows = datasets.order_by("name")[:INCLUDE_DATASETS_MAX]
        data["packages"] = [packages.package_dict(request, d, town) for d in rows]
    return data


def organization_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """One unit that publishes, by ``id`` or name; ``include_datasets`` adds ``packages``."""
    key = _required(params, "id")
    town = _town(request)
    counts = _unit_counts(town)
    units = Unit.objects.for_municipality(town).filter(pk__in=list(counts))
    unit = next((u for u in units if key in (u.slug, packages.org_id(u))), None)
    if unit is None:
        raise NotFound("organização não encontrada")
    data = packages.organization_dict(unit, package_count=counts[unit.pk])
    datasets = packages.package_queryset(town).filter(unit=unit)
    return _with_datasets(request, data, datasets, params)


def group_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """One DCAT-BR theme, by ``id`` or key; ``include_datasets`` adds ``packages``."""
    key = _required(params, "id")
    theme = next((t for t in Theme.objects.all() if key in (t.key, packages.group_id(t))), None)
    if theme is None:
        raise NotFound("grupo (tema) não encontrado")
    town = _town(request)
    data = packages.group_dict(theme, package_count=_theme_counts(town)[theme.key])
    datasets = packages.package_queryset(town).filter(themes=theme)
    return _with_datasets(request, data, datasets, params)


def tag_list(request: HttpRequest, params: dict[str, Any]) -> list[Any]:
    """Keywords of the published datasets; ``query`` filters, ``all_fields`` gives dicts."""
    names = sorted({k for entry in index_for(_town(request)) for k in entry.keywords})
    query = norm(str(params.get("query") or params.get("q") or ""))
    if query:  # CKAN: a substring, case-insensitive (here accent-insensitive too)
        names = [n for n in names if query in norm(n)]
    if boolean(params, "all_fields", False):
        return [packages.tag_dict(n) for n in names]
    return names


# --- resources ----------------------------------------------------------------------
def resource_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """One public resource by ``id``."""
    try:
        resource = access.public_resource(request, _required(params, "id"))
    except Http404:
        raise NotFound("recurso não encontrado") from None
    town = _town(request)
    siblings = packages.public_resources_queryset(town).filter(dataset_id=resource.dataset_id)
    ids = list(siblings.values_list("id", flat=True))
    return packages.resource_dict(request, resource, ids.index(resource.pk))


# --- site -------------------------------------------------------------------------------
@plain_output
def status(request: HttpRequest) -> dict[str, Any]:
    town = _town(request)
    return {
        "ckan_version": CKAN_VERSION,
        "site_title": f"Dados abertos — {town.display_name}",
        "site_description": (
            f"Portal de dados abertos de {town} (Lei nº 14.129/2021), publicado com o Paço."
        ),
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "error_emails_to": None,
        "locale_default": "pt_BR",
        "extensions": list(EXTENSIONS),
    }


def status_show(request: HttpRequest, params: dict[str, Any]) -> dict[str, Any]:
    """The site and the API: CKAN-compatible version, title, extensions."""
    return status(request)


def site_read(request: HttpRequest, params: dict[str, Any]) -> bool:
    """Whether the site may be read: always."""
    return True


def license_list(request: HttpRequest, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The licences datasets may use (DCAT-BR vocabulary)."""
    return [
        {
            "id": t.key,
            "title": t.label,
            "url": t.uri,
            "status": "active",
            "od_conformance": "approved",
            "osd_conformance": "not reviewed",
            "domain_content": False,
            "domain_data": True,
            "domain_software": False,
            "maintainer": "",
            "family": "",
            "is_generic": False,
        }
        for t in vocab.licenses()
    ]


def help_show(request: HttpRequest, params: dict[str, Any]) -> str:
    """The documentation of an action (``name``)."""
    name = _required(params, "name")
    handler = HANDLERS.get(name)
    if handler is None:
        raise NotFound("ação não encontrada")
    return (handler.__doc__ or "").strip()


HANDLERS: dict[str, Handler] = {
    "package_list": package_list,
    "package_show": package_show,
    "package_search": package_search_handler,
    "current_package_list_with_resources": current_package_list_with_resources,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "resource_show": resource_show,
    "status_show": status_show,
    "site_read": site_read,
    "license_list": license_list,
    "help_show": help_show,
}
HANDLERS.update(DATASTORE_HANDLERS)
