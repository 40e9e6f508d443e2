"""Reaching municipality-owned objects from a request.

Views never call ``Model.objects.get`` on tenant data: they call these helpers,
which scope every lookup to the request's municipality and answer 404 otherwise.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model
from django.http import Http404, HttpRequest

from paco.tenancy.models import Municipality

M = TypeVar("M", bound=Model)


def current_municipality(request: HttpRequest) -> Municipality:
    town: Municipality | None = getattr(request, "municipality", None)
    if town is None:
        raise Http404("Município não encontrado para este endereço.")
    return town


def get_for_request(request: HttpRequest, model: type[M], **lookup: Any) -> M:
    """Fetch one ``model`` instance of the request's municipality, or raise 404."""
    town = current_municipality(request)
    obj = model._default_manager.filter(municipality=town, **lookup).first()
    if obj is None:
        raise Http404(f"{model._meta.verbose_name} não encontrado(a).")
    return obj
