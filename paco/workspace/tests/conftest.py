"""Open work for the workspace tests: requests and plan stages, late and due soon."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from paco.datarequests import actions as request_actions
from paco.datarequests.models import DataRequest
from paco.plans.actions import import_plan
from paco.plans.dates import today_local
from paco.plans.importer import ParsedPlan, ParsedStage
from paco.tenancy.models import Municipality, Unit


def add_request(town: Municipality, unit: Unit | None, title: str, due_in: int) -> DataRequest:
    data_request, _token = request_actions.submit_request(
        town,
        title=title,
        description="Dados por mês.",
        name="Maria Requerente",
        email="maria@exemplo.org",
        phone="",
        hide_identity=False,
    )
    if unit is not None:
        request_actions.assign_unit(None, data_request, unit)
    due = today_local() + datetime.timedelta(days=due_in)
    DataRequest.objects.filter(pk=data_request.pk).update(due_date=due)
    return DataRequest.objects.get(pk=data_request.pk)


def add_plan(town: Municipality, unit: Unit, due_in: list[int], title: str = "Plano") -> Any:
    today = today_local()
    stages = [
        ParsedStage(
            line=n,
            number=n,
            description=f"Etapa {n} do {title}",
            duration="",
            deadline=today + datetime.timedelta(days=d),
            start=None,
            status="nao_iniciada",
            observation="",
        )
        for n, d in enumerate(due_in, start=1)
    ]
    return import_plan(None, town, ParsedPlan(title=title, stages=stages), title=title, unit=unit)


@pytest.fixture
def some_work(
    town_x: Municipality, unit_x_a: Unit, unit_x_b: Unit, town_y: Municipality, unit_y: Unit
) -> dict[str, Any]:
    """In unit A: a request 5 days late, one due in 3 days, a late stage; in B: a request."""
    return {
        "late": add_request(town_x, unit_x_a, "Frota atrasada", -5),
        "soon": add_request(town_x, unit_x_a, "Obras em breve", 3),
        "other_unit": add_request(town_x, unit_x_b, "Pedido da unidade B", 10),
        "other_town": add_request(town_y, unit_y, "Pedido de outra cidade", -1),
        "plan": add_plan(town_x, unit_x_a, [-2, 20]),
    }


@pytest.fixture
def more_work(town_x: Municipality, unit_x_a: Unit, unit_x_b: Unit) -> Callable[[int], None]:
    """``more_work(n)``: n more requests (both units) and n more stages in unit A."""

    def add(n: int) -> None:
        for i in range(n):
            add_request(town_x, unit_x_a if i % 2 else unit_x_b, f"Pedido extra {i}", i - n // 2)
        add_plan(town_x, unit_x_a, [i - n // 2 for i in range(n)], title=f"Plano extra {n}")

    return add
