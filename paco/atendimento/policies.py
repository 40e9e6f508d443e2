"""Which deadline policy (:class:`paco.deadlines.clock.Policy`) a case runs under.

- ouvidoria: 30 days, +30 once with a justification (Lei 13.460 art. 16);
- e-SIC: 20 days, +10 once (LAI art. 11); appeals 10 days to file, 5 to decide (art. 15);
- requests to open a database (Lei 14.129 art. 30): the LAI periods;
- a service request: the Carta's maximum time for the service (Lei 13.460 art. 7);
  "não estimado" or an immediate service means no clock.
"""

from __future__ import annotations

from paco.catalog.models import Service, TimeKind, TimeUnit
from paco.deadlines.clock import Policy

OMBUDSMAN = Policy("ouvidoria", "Ouvidoria (Lei 13.460, art. 16)", days=30, extension_days=30)
INFORMATION = Policy("esic", "Acesso à informação (LAI, art. 11)", days=20, extension_days=10)
OPEN_DATA = Policy("dados", "Abertura de base (Lei 14.129, art. 30)", days=20, extension_days=10)
APPEAL_FILING = Policy("recurso-prazo", "Prazo para recorrer (LAI, art. 15)", days=10)
APPEAL_DECISION = Policy("recurso-decisao", "Decisão do recurso (LAI, art. 15)", days=5)

BY_KIND = {"ouvidoria": OMBUDSMAN, "esic": INFORMATION, "dados": OPEN_DATA}


def service_policy(service: Service) -> Policy | None:
    """The Carta's commitment for ``service``, in days, or ``None`` when it sets no clock."""
    if service.time_kind in ("", TimeKind.NOT_ESTIMATED, TimeKind.IMMEDIATE):
        return None
    amount = service.time_max
    if amount is None:
        return None
    unit = service.time_unit
    if unit in (TimeUnit.MINUTES, TimeUnit.HOURS):
        amount, business = 1, False  # within the day: due the next day at the latest
    elif unit == TimeUnit.MONTHS:
        amount, business = amount * 30, False
    else:
        business = unit == TimeUnit.BUSINESS_DAYS
    label = f"Carta de Serviços: {service.name}"
    return Policy(f"servico-{service.pk}", label[:120], days=amount, business_days=business)


def policy_for(kind: str, service: Service | None = None) -> Policy | None:
    if kind == "servico":
        return service_policy(service) if service is not None else None
    return BY_KIND[kind]
