"""Reaching open-data objects from a request.

Public readers see published datasets of the request's municipality. Staff with
the data-editor role (or the administrator) reach the datasets of the units they
cover, drafts included. Nothing else in ``opendata`` looks objects up by id.

Another town's object, or one that does not exist, is a 404. A servant of the
town whose role does not cover the object's unit gets a 403 that says which role
is missing (:func:`paco.accounts.permissions.refuse`).
"""

from __future__ import annotations

import uuid
from typing import NoReturn, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from paco.accounts.models import Role, User
from paco.accounts.permissions import covered_unit_ids, has_role, refuse
from paco.opendata.models import (
    Dataset,
    DatasetQuerySet,
    Resource,
    ResourceQuerySet,
    ResourceVersion,
    ResourceVersionQuerySet,
)
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality

T = TypeVar("T")


def _uuid(value: str | uuid.UUID) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404("Identificador inválido.") from None


def _found(obj: T | None, message: str) -> T:
    if obj is None:
        raise Http404(message)
    return obj


def _datasets_in(town: Municipality, covered: set[int] | None) -> DatasetQuerySet:
    qs: DatasetQuerySet = Dataset.objects.for_municipality(town)
    if covered is not None and not covered:
        return qs.none()
    return qs.in_units(covered)


def editable_datasets(user: User | AnonymousUser | None, town: Municipality) -> DatasetQuerySet:
    """Datasets ``user`` may edit in ``town`` (empty for everyone else)."""
    return _datasets_in(town, covered_unit_ids(user, town, Role.DATA_EDITOR))


def editor_units(request: HttpRequest) -> set[int] | None:
    """``covered_unit_ids`` of the signed-in user for the data-editor role, once per request.

    ``None``: every unit of the municipality; an empty set: none (not an editor).
    """
    from paco.workspace.reach import reach_for

    current_municipality(request)  # 404 without a municipality
    return reach_for(request).units(Role.DATA_EDITOR)


def staff_datasets(request: HttpRequest) -> DatasetQuerySet:
    """:func:`editable_datasets` for the request's user and municipality."""
    return _datasets_in(current_municipality(request), editor_units(request))


def can_edit(user: User | AnonymousUser | None, dataset: Dataset) -> bool:
    return has_role(user, dataset.municipality, Role.DATA_EDITOR, dataset.unit)


def public_dataset(request: HttpRequest, name: str) -> Dataset:
    town = current_municipality(request)
    dataset = Dataset.objects.for_municipality(town).published().filter(name=name).first()
    return _found(dataset, "Conjunto de dados não encontrado.")


def _resource(resources: ResourceQuerySet, resource_id: str | uuid.UUID) -> Resource:
    found = resources.select_related("dataset", "current_version").filter(pk=_uuid(resource_id))
    return _found(found.first(), "Recurso não encontrado.")


def _version(versions: ResourceVersionQuerySet, number: int) -> ResourceVersion:
    return _found(versions.filter(number=number).first(), "Versão não encontrada.")


def public_resource(request: HttpRequest, resource_id: str | uuid.UUID) -> Resource:
    town = current_municipality(request)
    return _resource(Resource.objects.for_municipality(town).public(), resource_id)


def public_version(
    request: HttpRequest, resource_id: str | uuid.UUID, number: int
) -> ResourceVersion:
    """A version that was published at some time (history stays downloadable, see
    :meth:`~paco.opendata.models.ResourceVersionQuerySet.public_history`)."""
    resource = public_resource(request, resource_id)
    return _version(resource.versions.public_history(), number)


def staff_dataset(request: HttpRequest, name: str) -> Dataset:
    """A dataset the signed-in staff member may edit, drafts included; 404 otherwise."""
    dataset = staff_datasets(request).select_related("unit").filter(name=name).first()
    if dataset is not None:
        return dataset
    town = current_municipality(request)
    ours = Dataset.objects.for_municipality(town).select_related("unit").filter(name=name).first()
    return _refused(request, ours, "Conjunto de dados não encontrado.")


def _refused(request: HttpRequest, ours: Dataset | None, message: str) -> NoReturn:
    """404 for what is not of this town; 403 with the reason for a dataset of another unit."""
    if ours is None:
        raise Http404(message)
    refuse(request.user, ours.municipality, Role.DATA_EDITOR, ours.unit, not_found=message)


def staff_resource(request: HttpRequest, resource_id: str | uuid.UUID) -> Resource:
    town = current_municipality(request)
    resources = Resource.objects.for_municipality(town).filter(dataset__in=staff_datasets(request))
    try:
        return _resource(resources, resource_id)
    except Http404:
        ours = (
            Resource.objects.for_municipality(town)
            .select_related("dataset__unit")
            .filter(pk=_uuid(resource_id))
            .first()
        )
        _refused(request, ours.dataset if ours else None, "Recurso não encontrado.")


def staff_version(
    request: HttpRequest, resource_id: str | uuid.UUID, number: int
) -> ResourceVersion:
    resource = staff_resource(request, resource_id)
    return _version(resource.versions.all(), number)


def original_for(
    request: HttpRequest, resource_id: str | uuid.UUID, number: int
) -> tuple[ResourceVersion, bool]:
    """A version's original file and whether it is public (``original_is_public``).

    Anyone reaches the original of a published version with no personal data
    flagged; staff who may edit the dataset reach every original of it (to review
    or re-treat the upload). Everyone else gets a 404: a withheld original does not
    even say it exists.
    """
    public = (
        Resource.objects.for_municipality(current_municipality(request))
        .public()
        .filter(pk=_uuid(resource_id))
    )
    version = ResourceVersion.objects.filter(resource__in=public, number=number).first()
    if version is not None and version.original_is_public:
        return version, True
    if request.user.is_authenticated:
        try:
            staff = staff_version(request, resource_id, number)  # 404 when not an editor
        except PermissionDenied:  # a withheld original does not say it exists
            raise Http404("Arquivo original indisponível.") from None
        if staff.original:
            return staff, False
    raise Http404("Arquivo original indisponível.")
