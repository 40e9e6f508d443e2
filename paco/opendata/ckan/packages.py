"""Datasets, resources, units and themes as CKAN dicts (CKAN 2.10 field names).

- a published :class:`~paco.opendata.models.Dataset` is a CKAN *package*;
- a public :class:`~paco.opendata.models.Resource` is a CKAN *resource*;
- a :class:`~paco.tenancy.models.Unit` that publishes is an *organization* (name: its slug);
- a DCAT-BR :class:`~paco.opendata.models.Theme` is a *group* (name: its key).

Ids of organizations, groups and tags are stable UUIDs derived from what they
name (CKAN clients expect string ids). Timestamps are ISO 8601 in UTC without
a zone suffix, as CKAN writes them. DCAT-BR fields without a CKAN core field go
into ``extras`` under ckanext-dcat's keys (``frequency``, ``spatial_uri``,
``temporal_start``, ``access_rights``, ``theme``…), always as strings.

Serializers never query: :func:`package_queryset` fetches everything a page of
packages needs in a constant number of queries.
"""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone

from paco.core.sanitize import plain_output
from paco.opendata import links, vocab
from paco.opendata.models import Dataset, DatasetQuerySet, Resource, ResourceKind, Theme
from paco.tenancy.models import Municipality, Unit

#: namespace of the UUIDs given to units, tags and themes
ID_NAMESPACE = uuid.UUID("5f1c2a9e-7a51-4c0e-9d1b-3c1f3b8f6a10")
IBGE_MUNICIPALITY_URI = "https://servicodados.ibge.gov.br/api/v1/localidades/municipios/{code}"
SPDX_SHA256 = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"

#: heavy version columns a package list never needs
_DEFERRED_VERSION_FIELDS = (
    "current_version__schema",
    "current_version__stats",
    "current_version__report",
    "current_version__error",
)


def timestamp(value: datetime.datetime | None) -> str | None:
    """CKAN's timestamp: UTC, ISO 8601, no zone suffix."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat()


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def unit_org_id(municipality_id: int, unit_id: int) -> str:
    """The organization id of a unit, from its key alone (the search index has no Unit)."""
    return str(uuid.uuid5(ID_NAMESPACE, f"unit:{municipality_id}:{unit_id}"))


def org_id(unit: Unit) -> str:
    return unit_org_id(unit.municipality_id, unit.pk)


def group_id(theme: Theme) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"theme:{theme.key}"))


def tag_id(name: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"tag:{name}"))


def public_resources_queryset(town: Municipality) -> Any:
    """Public resources with their current version, light columns only."""
    return (
        Resource.objects.for_municipality(town)
        .public()
        .select_related("current_version")
        .defer("dictionary", *_DEFERRED_VERSION_FIELDS)
        .order_by("position", "created_at")
    )


def package_queryset(town: Municipality) -> DatasetQuerySet:
    """Published datasets of ``town`` with what :func:`package_dict` reads (3 queries)."""
    qs: DatasetQuerySet = (
        Dataset.objects.for_municipality(town)
        .published()
        .select_related("unit")
        .prefetch_related(
            "themes",
            Prefetch("resources", queryset=public_resources_queryset(town), to_attr="ckan_res"),
        )
    )
    return qs


def _group_like(
    kind: str, id: str, name: str, title: str, package_count: int | None, **more: Any
) -> dict[str, Any]:
    """What CKAN's organization and group dicts share (an organization is a kind of group)."""
    data: dict[str, Any] = {
        "id": id,
        "name": name,
        "title": title,
        "display_name": title,
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "type": kind,
        "is_organization": kind == "organization",
        "state": "active",
        "approval_status": "approved",
        **more,
    }
    if package_count is not None:
        data["package_count"] = package_count
    return data


@plain_output
def organization_dict(unit: Unit, *, package_count: int | None = None) -> dict[str, Any]:
    return _group_like(
        "organization",
        org_id(unit),
        unit.slug,
        unit.name,
        package_count,
        description=f"{unit.name} ({unit.acronym})" if unit.acronym else "",
        created=None,
    )


@plain_output
def group_dict(theme: Theme, *, package_count: int | None = None) -> dict[str, Any]:
    return _group_like(
        "group", group_id(theme), theme.key, theme.label, package_count, uri=theme.uri
    )


@plain_output
def tag_dict(name: str) -> dict[str, Any]:
    return {
        "id": tag_id(name),
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


@plain_output
def resource_dict(request: HttpRequest, resource: Resource, position: int) -> dict[str, Any]:
    version = resource.current_version
    is_file = resource.kind == ResourceKind.FILE
    last_modified = version.published_at or version.processed_at if version else None
    main = links.main_download(request, resource)
    fmt = main.format if main else resource.format
    if not fmt and version and "." in version.original_name:
        fmt = version.original_name.rsplit(".", 1)[-1]
    return {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "name": resource.title,
        "description": resource.description,
        "url": main.url if main else "",
        "url_type": "upload" if is_file else None,
        "format": fmt.upper(),
        "mimetype": (main.media_type if main else "") or None,
        "mimetype_inner": None,
        "size": main.size if main else None,
        "hash": (main.sha256 if main else "") or "",
        "hash_algorithm": SPDX_SHA256 if main and main.sha256 else "",
        "created": timestamp(resource.created_at),
        "last_modified": timestamp(last_modified or resource.modified_at),
        "metadata_modified": timestamp(resource.modified_at),
        "position": position,
        "state": "active",
        "resource_type": None,
        "cache_url": None,
        "datastore_active": bool(version and version.parquet),
        "version": version.number if version else None,
        "rows": version.rows if version and version.parquet else None,
        "resource_name": resource.name,
    }


def _extras(
    dataset: Dataset, town: Municipality, page_url: str, themes: list[Theme]
) -> list[dict[str, str]]:
    spatial = dataset.spatial or town.ibge_code
    frequency = vocab.term(vocab.frequencies(), dataset.periodicity)
    access = vocab.term(vocab.access_rights(), dataset.access_rights)
    values = {
        "identifier": str(dataset.pk),
        "issued": timestamp(dataset.published_at) or "",
        "modified": timestamp(dataset.modified_at) or "",
        "publisher_name": dataset.unit.name,
        "publisher_email": dataset.unit.email,
        "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
        "frequency": frequency.uri if frequency else "",
        "periodicidade": frequency.label if frequency else "",
        "next_update_due": _day(dataset.next_update_due),
        "update_overdue": "true" if dataset.update_is_late(timezone.localdate()) else "false",
        "temporal_start": _day(dataset.temporal_start),
        "temporal_end": _day(dataset.temporal_end),
        "spatial_uri": IBGE_MUNICIPALITY_URI.format(code=spatial) if spatial else "",
        "spatial_code": spatial,
        "access_rights": access.uri if access else "",
        "access_rights_label": access.label if access else "",
        "theme": json.dumps([t.uri for t in themes]) if themes else "",
        "language": json.dumps(["pt-BR"]),
        "landing_page": page_url,
    }
    return [{"key": key, "value": value} for key, value in sorted(values.items()) if value]


@plain_output
def package_dict(request: HttpRequest, dataset: Dataset, town: Municipality) -> dict[str, Any]:
    """CKAN's ``package_show`` dict for a dataset from :func:`package_queryset`."""
    license_term = vocab.term(vocab.licenses(), dataset.license)
    resources = getattr(dataset, "ckan_res", None)
    if resources is None:  # not prefetched: only for single objects
        resources = list(public_resources_queryset(town).filter(dataset=dataset))
    tags = [tag_dict(k) for k in dataset.keywords or []]
    themes = list(dataset.themes.all())
    organization = organization_dict(dataset.unit)
    page_url = links.dataset_page_url(request, dataset)
    return {
        "id": str(dataset.pk),
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.description,
        "url": page_url,
        "version": dataset.version or None,
        "author": dataset.unit.name,
        "author_email": dataset.unit.email or None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "license_id": dataset.license,
        "license_title": license_term.label if license_term else dataset.license,
        "license_url": license_term.uri if license_term else "",
        "isopen": True,
        "metadata_created": timestamp(dataset.created_at),
        "metadata_modified": timestamp(dataset.modified_at),
        "state": "active",
        "type": "dataset",
        "private": False,
        "creator_user_id": None,
        "owner_org": organization["id"],
        "organization": organization,
        "num_resources": len(resources),
        "num_tags": len(tags),
        "tags": tags,
        "groups": [group_dict(t) for t in themes],
        "resources": [resource_dict(request, r, i) for i, r in enumerate(resources)],
        "extras": _extras(dataset, town, page_url, themes),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
