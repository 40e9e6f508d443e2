"""Stages without a unit are town-wide: a plan editor of one unit neither edits nor
deletes them, and nobody moves a stage to "no unit" without a town-wide role.

Reproduction (issue 8, "Why → Tenancy"): stages without a unit (a plan imported
without ``--unit``, or whose unit was deleted) could be edited and deleted by a
plan editor of any unit. The rule lives in :mod:`paco.accounts.permissions`
(``unit=None`` needs a town-wide role), so the admin, the staff page and the
actions refuse alike.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from paco.accounts.models import Role
from paco.conftest import make_staff
from paco.plans.actions import create_stage, delete_stage, update_stage
from paco.plans.models import Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(town_x, make_plan):
    return make_plan(town_x, 0)


def _stage(plan, number, unit):
    return create_stage(
        None,
        Stage(
            municipality=plan.municipality,
            plan=plan,
            number=number,
            description=f"Etapa {number}",
            deadline=datetime.date(2025, 6, 30),
            unit=unit,
        ),
    )


@pytest.fixture
def unitless(plan):
    return _stage(plan, 1, None)


@pytest.fixture
def stage_a(plan, unit_x_a):
    return _stage(plan, 2, unit_x_a)


@pytest.fixture
def town_wide_plan_editor(town_x):
    return make_staff("cronograma_municipio", town_x, Role.PLAN_EDITOR)


POST = {"status": "concluida", "start": "", "deadline": "2025-06-30", "observation": "Feito."}


def test_reproduction_unit_editor_cannot_edit_a_stage_without_unit_anywhere(
    client_for, plan_editor_x, town_x, unitless
):
    client = client_for(plan_editor_x, town_x)
    assert client.post(f"/cronograma/etapas/{unitless.pk}/editar/", POST).status_code == 403
    assert client.post(f"/gestao/plans/stage/{unitless.pk}/change/", {}).status_code == 403
    delete = client.post(f"/gestao/plans/stage/{unitless.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    client.post(
        "/gestao/plans/stage/",
        {"action": "delete_selected", "_selected_action": [unitless.pk], "post": "yes"},
    )
    unitless.refresh_from_db()
    assert unitless.status != "concluida"
    with pytest.raises(PermissionDenied, match="sem unidade"):
        update_stage(plan_editor_x, unitless, status="concluida")
    with pytest.raises(PermissionDenied, match="sem unidade"):
        delete_stage(plan_editor_x, unitless)


def test_unit_editor_cannot_create_a_stage_without_unit(plan_editor_x, plan, town_x):
    with pytest.raises(PermissionDenied):
        create_stage(
            plan_editor_x, Stage(municipality=town_x, plan=plan, number=9, description="x")
        )


def test_nobody_moves_a_stage_to_no_unit_without_a_town_wide_role(
    plan_editor_x, town_wide_plan_editor, stage_a
):
    with pytest.raises(PermissionDenied):
        update_stage(plan_editor_x, stage_a, unit=None)
    stage_a.refresh_from_db()
    assert stage_a.unit is not None
    update_stage(town_wide_plan_editor, stage_a, unit=None)
    stage_a.refresh_from_db()
    assert stage_a.unit is None


def test_the_admin_form_does_not_offer_no_unit_to_a_unit_editor(
    client_for, plan_editor_x, town_x, stage_a
):
    page = client_for(plan_editor_x, town_x).get(f"/gestao/plans/stage/{stage_a.pk}/change/")
    html = page.content.decode()
    assert 'name="unit" required' in html or 'required id="id_unit"' in html
    assert "Secretaria B" not in html  # a unit the role does not cover


def test_a_town_wide_plan_editor_edits_and_deletes_stages_without_unit(
    client_for, town_wide_plan_editor, town_x, unitless
):
    client = client_for(town_wide_plan_editor, town_x)
    assert client.post(f"/cronograma/etapas/{unitless.pk}/editar/", POST).status_code == 302
    unitless.refresh_from_db()
    assert unitless.status == "concluida"
    delete_stage(town_wide_plan_editor, unitless)
    assert not Stage.objects.filter(pk=unitless.pk).exists()


def test_unit_editor_keeps_editing_their_units_stages(client_for, plan_editor_x, town_x, stage_a):
    response = client_for(plan_editor_x, town_x).post(
        f"/cronograma/etapas/{stage_a.pk}/editar/", POST
    )
    assert response.status_code == 302
