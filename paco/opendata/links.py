"""Absolute links to datasets, resources and files, shared by pages, CKAN and DCAT."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from paco.opendata.models import Dataset, Resource, ResourceKind, ResourceVersion


def absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def dataset_page_url(request: HttpRequest, dataset: Dataset) -> str:
    """The dataset's public page: CKAN's ``url``, DCAT's landing page, the canonical link."""
    return absolute(request, reverse("portal:dataset", args=[dataset.name]))


def original_url(request: HttpRequest, version: ResourceVersion) -> str:
    path = reverse("datastore:original", args=[version.resource_id, version.number])
    return absolute(request, path)


def export_url(request: HttpRequest, resource: Resource, fmt: str) -> str:
    return absolute(request, reverse("datastore:export", args=[resource.pk, fmt]))


def download_url(request: HttpRequest, resource: Resource) -> str:
    """What a harvester downloads: the external link, or the current version's file."""
    if resource.kind == ResourceKind.LINK:
        return resource.url
    if resource.current_version is None:
        return ""
    return original_url(request, resource.current_version)
