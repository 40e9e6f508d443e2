"""A small history with known dates and ratings: every panel figure is checked against it.

Unit A (Secretaria A), unit B (Secretaria B); services "Coleta de galhos" (A) and "Poda
de árvores" (B), both without a clock in the Carta. Dates are local (America/Sao_Paulo);
each case is submitted at 10h on a weekday, so it counts as received that day.

 #  kind       unit svc    received    concluded         due         rating  notes
 1  esic       A    -      2025-03-03  2025-03-13 (10)   2025-03-24  5 sim   respondido
 2  esic       A    -      2025-03-04  2025-04-10 (37)   2025-03-24  2 nao   indeferido, appeal
 3  ouv recl   B    -      2025-05-05  2025-05-05 23:30 (0) clock    4 parc.
 4  servico    B    poda   2025-06-02  2026-01-12 (224)  none        -
 5  servico    A    galhos 2026-02-02  open
 6  ouv anon   B    -      2026-02-03  open (comunicação)
 7  ouv recl   A    -      2026-02-04  2026-02-09 (5)    clock       4 sim
 8  ouv elogio B    -      2026-02-05  2026-02-05 (0)    clock       -
 9  ouv recl   A    -      2025-05-06  open
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from paco.atendimento.actions import Requester, open_case
from paco.atendimento.models import Appeal, Case, IdentityMode, Rating, Status
from paco.catalog.models import Service
from paco.tenancy.models import Municipality, Unit

SP = ZoneInfo("America/Sao_Paulo")
NAME = "Maria Sigilosa da Silva"
EMAIL = "maria.sigilo@example.org"
DOCUMENT = "RG 9.876.543"


def at(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    d = datetime.date.fromisoformat(day)
    return datetime.datetime(d.year, d.month, d.day, hour, minute, tzinfo=SP)


@dataclass
class History:
    town: Municipality
    a: Unit
    b: Unit
    galhos: Service
    poda: Service
    cases: dict[int, Case]


def make_case(
    town: Municipality,
    *,
    kind: str,
    unit: Unit,
    received: str,
    service: Service | None = None,
    ombudsman_type: str = "",
    anonymous: bool = False,
    concluded: datetime.datetime | None = None,
    outcome: str = "",
    rating: tuple[int, str] | None = None,
) -> Case:
    requester = Requester() if anonymous else Requester(name=NAME, email=EMAIL, document=DOCUMENT)
    case = open_case(
        town,
        kind=kind,
        subject=f"Pedido de {NAME}",
        description=f"Escrevo como {NAME} ({EMAIL}).",
        requester=requester,
        identity_mode=IdentityMode.ANONYMOUS if anonymous else IdentityMode.IDENTIFIED,
        ombudsman_type=ombudsman_type,
        service=service,
        unit=unit,
        submitted_at=at(received),
    ).case
    if concluded is not None:
        case.status = Status.CONCLUDED
        case.concluded_at = concluded
        case.outcome = outcome
        case.save()
    if rating is not None:
        Rating.objects.create(
            municipality=town,
            case=case,
            score=rating[0],
            resolved=rating[1],
            comment=f"Obrigada, {NAME}",
        )
    return case


@pytest.fixture
def history(town_x: Municipality, unit_x_a: Unit, unit_x_b: Unit) -> History:
    def service(name: str, slug: str, unit: Unit) -> Service:
        return Service.objects.create(municipality=town_x, name=name, slug=slug, unit=unit)

    galhos = service("Coleta de galhos", "coleta-de-galhos", unit_x_a)
    poda = service("Poda de árvores", "poda-de-arvores", unit_x_b)
    t = town_x
    a, b = unit_x_a, unit_x_b
    cases: dict[int, Any] = {}
    cases[1] = make_case(
        t,
        kind="esic",
        unit=a,
        received="2025-03-03",
        concluded=at("2025-03-13", 15),
        outcome="respondido",
        rating=(5, "sim"),
    )
    cases[2] = make_case(
        t,
        kind="esic",
        unit=a,
        received="2025-03-04",
        concluded=at("2025-04-10", 9),
        outcome="indeferido",
        rating=(2, "nao"),
    )
    cases[3] = make_case(
        t,
        kind="ouvidoria",
        ombudsman_type="reclamacao",
        unit=b,
        received="2025-05-05",
        concluded=at("2025-05-05", 23, 30),
        outcome="respondido",
        rating=(4, "parcialmente"),
    )
    cases[4] = make_case(
        t,
        kind="servico",
        service=poda,
        unit=b,
        received="2025-06-02",
        concluded=at("2026-01-12", 11),
        outcome="deferido",
    )
    cases[5] = make_case(t, kind="servico", service=galhos, unit=a, received="2026-02-02")
    cases[6] = make_case(t, kind="ouvidoria", anonymous=True, unit=b, received="2026-02-03")
    cases[7] = make_case(
        t,
        kind="ouvidoria",
        ombudsman_type="reclamacao",
        unit=a,
        received="2026-02-04",
        concluded=at("2026-02-09", 16),
        outcome="respondido",
        rating=(4, "sim"),
    )
    cases[8] = make_case(
        t,
        kind="ouvidoria",
        ombudsman_type="elogio",
        unit=b,
        received="2026-02-05",
        concluded=at("2026-02-05", 17),
        outcome="respondido",
    )
    cases[9] = make_case(
        t, kind="ouvidoria", ombudsman_type="reclamacao", unit=a, received="2025-05-06"
    )
    # due days as the clock gave them (calendar days; weekends roll forward)
    assert cases[1].due_on == datetime.date(2025, 3, 24)  # 23/03 is a Sunday
    assert cases[2].due_on == datetime.date(2025, 3, 24)
    assert cases[4].due_on is None
    Appeal.objects.create(
        municipality=t,
        case=cases[2],
        level=1,
        filed_at=at("2025-04-15"),
        reasons=f"Recurso de {NAME}",
        due_on=datetime.date(2025, 4, 20),
        decided_at=at("2025-04-18"),
        upheld=False,
    )
    return History(t, a, b, galhos, poda, cases)
