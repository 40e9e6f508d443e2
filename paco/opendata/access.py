"""Reaching open-data objects from a request: 404 whenever access is denied.

Public readers see published datasets of the request's municipality. Staff with
the data-editor role (or the administrator) reach the datasets of the units they
cover, drafts included. Nothing else in ``opendata`` looks objects up by id.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest

from paco.accounts.models import Role, User
from paco.accounts.permissions import covered_unit_ids, has_role
from paco.opendata.models import Dataset, DatasetQuerySet, Resource, ResourceVersion
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality


def _uuid(value: str | uuid.UUID) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("Identificador inválido.") from None


def editable_datasets(user: User | AnonymousUser | None, town: Municipality) -> DatasetQuerySet:
    """Datasets ``user`` may edit in ``town`` (empty for everyone else)."""
    covered = covered_unit_ids(user, town, Role.DATA_EDITOR)
    qs: DatasetQuerySet = Dataset.objects.for_municipality(town)
    if covered is not None and not covered:
        return qs.none()
    return qs.in_units(covered)


def can_edit(user: User | AnonymousUser | None, dataset: Dataset) -> bool:
    return has_role(user, dataset.municipality, Role.DATA_EDITOR, dataset.unit)


def public_dataset(request: HttpRequest, name: str) -> Dataset:
    town = current_municipality(request)
    dataset = Dataset.objects.for_municipality(town).published().filter(name=name).first()
    if dataset is None:
        raise Http404("Conjunto de dados não encontrado.")
    return dataset


def public_resource(request: HttpRequest, resource_id: str | uuid.UUID) -> Resource:
    town = current_municipality(request)
    resource = (
        Resource.objects.for_municipality(town)
        .public()
        .select_related("dataset", "current_version")
        .filter(pk=_uuid(resource_id))
        .first()
    )
    if resource is None:
        raise Http404("Recurso não encontrado.")
    return resource


def public_version(
    request: HttpRequest, resource_id: str | uuid.UUID, number: int
) -> ResourceVersion:
    """A version that was published at some time (history stays downloadable)."""
    resource = public_resource(request, resource_id)
    version = resource.versions.published().filter(number=number).first()
    if version is None:
        raise Http404("Versão não encontrada.")
    return version


def staff_dataset(request: HttpRequest, name: str) -> Dataset:
    """A dataset the signed-in staff member may edit, drafts included; 404 otherwise."""
    town = current_municipality(request)
    dataset = editable_datasets(request.user, town).filter(name=name).first()
    if dataset is None:
        raise Http404("Conjunto de dados não encontrado.")
    return dataset


def staff_resource(request: HttpRequest, resource_id: str | uuid.UUID) -> Resource:
    town = current_municipality(request)
    resource = (
        Resource.objects.for_municipality(town)
        .filter(pk=_uuid(resource_id), dataset__in=editable_datasets(request.user, town))
        .select_related("dataset", "current_version")
        .first()
    )
    if resource is None:
        raise Http404("Recurso não encontrado.")
    return resource


def staff_version(
    request: HttpRequest, resource_id: str | uuid.UUID, number: int
) -> ResourceVersion:
    resource = staff_resource(request, resource_id)
    version = resource.versions.filter(number=number).first()
    if version is None:
        raise Http404("Versão não encontrada.")
    return version
