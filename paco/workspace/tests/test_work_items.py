"""The work items every workspace surface reads: who sees what, late first, bounded queries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from paco.accounts.models import User
from paco.datarequests import actions as request_actions
from paco.plans.actions import import_plan, update_stage
from paco.plans.importer import ParsedPlan, ParsedStage
from paco.tenancy.models import Municipality, Unit
from paco.workspace.reach import Reach
from paco.workspace.work import open_items

TODAY = datetime.date(2026, 12, 7)


def _request(town: Municipality, unit: Unit | None, title: str) -> Any:
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
    return data_request


def _plan(town: Municipality, unit: Unit, deadlines: list[datetime.date]) -> Any:
    stages = [
        ParsedStage(
            line=n,
            number=n,
            description=f"Etapa {n}",
            duration="",
            deadline=d,
            start=None,
            status="nao_iniciada",
            observation="",
        )
        for n, d in enumerate(deadlines, start=1)
    ]
    return import_plan(None, town, ParsedPlan(title="Plano", stages=stages), unit=unit)


@pytest.fixture
def work_x(
    town_x: Municipality, unit_x_a: Unit, unit_x_b: Unit, town_y: Municipality, unit_y: Unit
) -> dict[str, Any]:
    late = TODAY - datetime.timedelta(days=3)
    soon = TODAY + datetime.timedelta(days=5)
    far = TODAY + datetime.timedelta(days=200)
    plan = _plan(town_x, unit_x_a, [late, soon, far])
    return {
        "request_a": _request(town_x, unit_x_a, "Frota da unidade A"),
        "request_b": _request(town_x, unit_x_b, "Obras da unidade B"),
        "request_y": _request(town_y, unit_y, "Pedido de outra cidade"),
        "plan": plan,
    }


def _keys(user: User, town: Municipality) -> list[str]:
    return [item.key for item in open_items(Reach(user, town), TODAY)]


def test_data_editor_sees_only_own_units_requests(
    work_x: dict[str, Any], data_editor_x: User, town_x: Municipality
) -> None:
    keys = _keys(data_editor_x, town_x)
    assert f"data_request:{work_x['request_a'].pk}" in keys
    assert f"data_request:{work_x['request_b'].pk}" not in keys
    assert f"data_request:{work_x['request_y'].pk}" not in keys
    assert not [k for k in keys if k.startswith("plan_stage:")]


def test_plan_editor_sees_late_and_soon_stages_late_first(
    work_x: dict[str, Any], plan_editor_x: User, town_x: Municipality
) -> None:
    items = open_items(Reach(plan_editor_x, town_x), TODAY)
    assert [item.title.split(" — ")[0] for item in items] == ["Etapa 1", "Etapa 2"]
    assert items[0].is_late(TODAY) and not items[1].is_late(TODAY)
    assert items[1].days_left(TODAY) == 5


def test_concluded_stage_leaves_the_list(
    work_x: dict[str, Any], plan_editor_x: User, town_x: Municipality
) -> None:
    first = work_x["plan"].stages.get(number=1)
    update_stage(None, first, status="concluida")
    assert [i.title.split(" — ")[0] for i in open_items(Reach(plan_editor_x, town_x), TODAY)] == [
        "Etapa 2"
    ]


def test_admin_sees_everything_of_own_town_only(
    work_x: dict[str, Any], admin_x: User, town_x: Municipality
) -> None:
    keys = _keys(admin_x, town_x)
    assert f"data_request:{work_x['request_a'].pk}" in keys
    assert f"data_request:{work_x['request_b'].pk}" in keys
    assert f"data_request:{work_x['request_y'].pk}" not in keys
    assert len([k for k in keys if k.startswith("plan_stage:")]) == 2


def test_staff_without_roles_has_no_work(
    work_x: dict[str, Any], plain_staff_x: User, town_x: Municipality
) -> None:
    assert _keys(plain_staff_x, town_x) == []


def test_queries_do_not_grow_with_items(
    work_x: dict[str, Any],
    admin_x: User,
    town_x: Municipality,
    unit_x_a: Unit,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(15):
        _request(town_x, unit_x_a, f"Mais um pedido {n}")
    with django_assert_max_num_queries(8):
        items = open_items(Reach(admin_x, town_x), TODAY)
    assert len(items) >= 17
