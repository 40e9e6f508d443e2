"""Absolute links to datasets, resources and files, shared by pages, CKAN and DCAT.

Every public surface that advertises a file (the dataset page and its version
history, CKAN's resource ``url``, DCAT's ``downloadURL``, schema.org's
``contentUrl``, ``datapackage.json``, feeds, embeds, webhooks) builds it here,
so one rule decides what is advertised: an original upload only when
``ResourceVersion.original_is_public``; otherwise the treated exports of the
published table (CSV, JSON, Parquet).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from paco.opendata.models import Dataset, Resource, ResourceKind, ResourceVersion


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def dataset_page_url(request: HttpRequest, dataset: Dataset) -> str:
    """The dataset's public page: CKAN's ``url``, DCAT's landing page, the canonical link."""
    return absolute(request, reverse("portal:dataset", args=[dataset.name]))


def staff_original_url(request: HttpRequest, version: ResourceVersion) -> str:
    """The original's address for staff pages (it answers 404 to others when withheld)."""
    path = reverse("datastore:original", args=[version.resource_id, version.number])
    return absolute(request, path)


def original_url(request: HttpRequest, version: ResourceVersion) -> str:
    """The original's public address, or "" when the original is withheld (personal data)."""
    if not version.original_is_public:
        return ""
    return staff_original_url(request, version)


def export_url(request: HttpRequest, resource: Resource, fmt: str) -> str:
    return absolute(request, reverse("datastore:export", args=[resource.pk, fmt]))


def download_url(request: HttpRequest, resource: Resource) -> str:
    """The resource's own file: the external link, or the current version's public original.

    "" when there is none to advertise (no published version, or an original
    withheld for personal data: the exports stand for it).
    """
    if resource.kind == ResourceKind.LINK:
        return resource.url
    if resource.current_version is None:
        return ""
    return original_url(request, resource.current_version)


@dataclass(frozen=True)
class Download:
    """What a single-link surface (CKAN's resource ``url``) advertises, and its figures."""

    url: str
    format: str
    media_type: str
    size: int | None
    sha256: str


def main_download(request: HttpRequest, resource: Resource) -> Download | None:
    """The one file a resource is known by: its public original, else its CSV export."""
    version = resource.current_version
    url = download_url(request, resource)
    if url:
        size = version.size if version is not None and resource.kind == ResourceKind.FILE else None
        sha = version.sha256 if version is not None and resource.kind == ResourceKind.FILE else ""
        media = resource.media_type or (version.media_type if version else "")
        return Download(url, resource.format, media, size, sha)
    if version is not None and version.parquet:
        return Download(
            export_url(request, resource, "csv"),
            "csv",
            "text/csv",
            version.csv_bytes,
            version.csv_sha256,
        )
    return None
