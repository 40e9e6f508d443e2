"""Placeholder views: paco.opendata.datastore replaces them (work in progress)."""

from django.http import Http404, HttpRequest, HttpResponse


def original(request: HttpRequest, resource_id: object, number: int) -> HttpResponse:
    raise Http404


def export(request: HttpRequest, resource_id: object, fmt: str) -> HttpResponse:
    raise Http404


def dump(request: HttpRequest, resource_id: object) -> HttpResponse:
    raise Http404
