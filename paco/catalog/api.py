"""Base Nacional de Serviços Públicos: the charter as JSON, public and read-only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from paco.catalog import bnsp
from paco.catalog.models import Service
from paco.core.cache import public_page
from paco.core.http import public_json
from paco.tenancy.access import current_municipality


@public_page
@require_GET
def service_list(request: HttpRequest) -> JsonResponse:
    town = current_municipality(request)
    services = (
        Service.objects.for_municipality(town).published().select_related("unit").order_by("name")
    )
    data = [bnsp.summary(s, request) for s in services]
    return public_json(data)


@public_page
@require_GET
def service_detail(request: HttpRequest, pk: int) -> JsonResponse:
    town = current_municipality(request)
    service = Service.objects.for_municipality(town).published().for_detail().filter(pk=pk).first()
    if service is None:
        raise Http404("Serviço não encontrado.")
    data = bnsp.detail(service)
    data.pop("inventarioDigital")  # internal planning notes stay in the back office
    return public_json(data)
