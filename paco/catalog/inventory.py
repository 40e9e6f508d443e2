"""Digitization inventory (staff only): services by digital status, with notes and plans."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from paco.catalog.models import DigitalStatus, Service
from paco.core import csvsafe
from paco.core.admin import request_municipality


def _services(request: HttpRequest) -> Any:
    town = request_municipality(request)
    return (
        Service.objects.for_municipality(town)
        .exclude(status="archived")
        .select_related("unit")
        .order_by("digital_status", "name")
    )


def counts(services: list[Service]) -> list[dict[str, Any]]:
    total = len(services) or 1
    out = []
    for value, label in DigitalStatus.choices:
        n = sum(1 for s in services if s.digital_status == value)
        out.append({"value": value, "label": label, "count": n, "percent": round(100 * n / total)})
    return out


def page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    services = list(_services(request))
    context = {
        **context,
        "title": "Inventário de digitalização",
        "services": services,
        "counts": counts(services),
        "total": len(services),
    }
    return TemplateResponse(request, "catalog/admin/inventory.html", context)


def csv_response(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    excel = csvsafe.wants_excel(request)
    name = "inventario-digitalizacao-excel.csv" if excel else "inventario-digitalizacao.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csvsafe.writer(response, excel=excel)
    writer.writerow(
        [
            "serviço",
            "unidade",
            "situação",
            "situação digital",
            "link digital",
            "pode ser digital? (observação)",
            "previsão de digitalização",
        ]
    )
    for s in _services(request):
        writer.writerow(
            [
                s.name,
                s.unit.name,
                s.get_status_display(),
                s.get_digital_status_display(),
                s.digital_url,
                s.digitization_note,
                s.digitization_planned_for.isoformat() if s.digitization_planned_for else "",
            ]
        )
    return response
