"""Staff editing of stages: access matrix, CSRF, history, audit trail, plan date."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from paco.audit.models import AuditEntry
from paco.plans.actions import create_stage, update_stage
from paco.plans.models import Plan, Stage, StageChange

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def plan(town_x, make_plan):
    return make_plan(town_x, 0)


def _stage(plan, number, unit):
    stage = Stage(
        municipality=plan.municipality,
        plan=plan,
        number=number,
        description=f"Etapa {number}",
        duration="30 dias",
        deadline=datetime.date(2025, 6, 30),
        status="em_andamento",
        unit=unit,
    )
    return create_stage(None, stage)


@pytest.fixture
def stage_a(plan, unit_x_a):
    return _stage(plan, 1, unit_x_a)


@pytest.fixture
def stage_b(plan, unit_x_b):
    return _stage(plan, 2, unit_x_b)


@pytest.fixture
def stage_y(town_y, unit_y, make_plan):
    return _stage(make_plan(town_y, 0), 1, unit_y)


POST = {"status": "concluida", "start": "", "deadline": "2025-06-30", "observation": "Feito."}


def _edit(client, stage):
    return client.post(f"/cronograma/etapas/{stage.pk}/editar/", POST)


@pytest.mark.parametrize(
    ("who", "expected_a", "expected_b"),
    [
        ("plan_editor_x", 302, 403),
        ("plan_editor_x_other", 403, 302),
        ("admin_x", 302, 302),
        ("catalog_editor_x", 403, 403),
        ("plain_staff_x", 403, 403),
        ("admin_y", 404, 404),  # another town's staff: nothing here exists for them
        ("citizen_a", 404, 404),
    ],
)
def test_edit_matrix(request, client_for, town_x, stage_a, stage_b, who, expected_a, expected_b):
    user = request.getfixturevalue(who)
    client = client_for(user, town_x)
    assert client.get(f"/cronograma/etapas/{stage_a.pk}/editar/").status_code == (
        200 if expected_a == 302 else expected_a
    )
    assert _edit(client, stage_a).status_code == expected_a
    assert _edit(client, stage_b).status_code == expected_b
    changed = set(
        Stage.objects.for_municipality(town_x)
        .filter(status="concluida")
        .values_list("number", flat=True)
    )
    assert changed == {n for n, code in ((1, expected_a), (2, expected_b)) if code == 302}


def test_anonymous_is_sent_to_login(anon_x, stage_a):
    response = _edit(anon_x, stage_a)
    assert response.status_code == 302 and "/conta/" in response["Location"]
    assert Stage.objects.get(pk=stage_a.pk).status == "em_andamento"


def test_other_municipality_stage_is_404(client_for, town_x, town_y, admin_x, admin_y, stage_y):
    assert _edit(client_for(admin_x, town_x), stage_y).status_code == 404
    assert _edit(client_for(admin_y, town_x), stage_y).status_code == 404
    assert (
        Client(HTTP_HOST="x.paco.test")
        .get(f"/cronograma/etapas/{stage_y.pk}/historico/")
        .status_code
        == 404
    )
    assert Stage.objects.get(pk=stage_y.pk).status == "em_andamento"


def test_csrf_is_enforced(town_x, admin_x, stage_a):
    client = Client(HTTP_HOST="x.paco.test", enforce_csrf_checks=True)
    client.force_login(admin_x)
    assert _edit(client, stage_a).status_code == 403
    assert Stage.objects.get(pk=stage_a.pk).status == "em_andamento"


def test_edit_records_history_audit_and_plan_date(
    client_for, town_x, plan_editor_x, stage_a, fixed_today
):
    fixed_today(TODAY)
    Plan.objects.filter(pk=stage_a.plan_id).update(updated_on=datetime.date(2026, 1, 1))
    response = _edit(client_for(plan_editor_x, town_x), stage_a)
    assert response.status_code == 302
    assert response["Location"] == f"/cronograma/etapas/{stage_a.pk}/historico/"
    stage = Stage.objects.get(pk=stage_a.pk)
    assert stage.status == "concluida" and stage.observation == "Feito."
    rows = {
        c.field: (c.old_value, c.new_value, c.actor_id)
        for c in StageChange.objects.for_municipality(town_x).filter(stage=stage)
    }
    assert rows == {
        "status": ("em_andamento", "concluida", plan_editor_x.pk),
        "observation": ("", "Feito.", plan_editor_x.pk),
        "completed_on": ("", TODAY.isoformat(), plan_editor_x.pk),
    }
    entry = AuditEntry.objects.filter(action="stage.update", object_id=str(stage.pk)).get()
    assert entry.actor_id == plan_editor_x.pk
    assert entry.changes["status"] == ["em_andamento", "concluida"]
    assert entry.changes["plan.updated_on"] == ["2026-01-01", "2026-11-30"]
    assert Plan.objects.get(pk=stage.plan_id).updated_on == TODAY


def test_unchanged_form_records_nothing(client_for, town_x, admin_x, stage_a):
    client = client_for(admin_x, town_x)
    client.post(
        f"/cronograma/etapas/{stage_a.pk}/editar/",
        {"status": "em_andamento", "start": "", "deadline": "2025-06-30", "observation": ""},
    )
    assert not StageChange.objects.exists()
    assert not AuditEntry.objects.filter(action="stage.update").exists()


def test_invalid_form_keeps_data(client_for, town_x, admin_x, stage_a):
    response = client_for(admin_x, town_x).post(
        f"/cronograma/etapas/{stage_a.pk}/editar/",
        {
            "status": "concluida",
            "start": "2025-07-01",
            "deadline": "2025-06-30",
            "observation": "x",
        },
    )
    assert response.status_code == 200
    assert "O início não pode ser depois do prazo final." in response.content.decode()
    assert Stage.objects.get(pk=stage_a.pk).status == "em_andamento"


def test_history_page_public_without_who_staff_with_who(
    client_for, anon_x, town_x, admin_x, stage_a
):
    update_stage(admin_x, stage_a, status="suspensa", observation="Sem verba.")
    public = anon_x.get(f"/cronograma/etapas/{stage_a.pk}/historico/").content.decode()
    assert "Suspensa" in public and "Em andamento" in public
    assert "admin_x" not in public
    staff = client_for(admin_x, town_x).get(f"/cronograma/etapas/{stage_a.pk}/historico/")
    assert "admin_x" in staff.content.decode()


def test_action_refuses_other_unit_and_moving_to_foreign_unit(
    plan_editor_x, stage_a, stage_b, unit_x_b, unit_y
):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        update_stage(plan_editor_x, stage_b, status="concluida")
    with pytest.raises(PermissionDenied):
        update_stage(plan_editor_x, stage_a, unit=unit_x_b)
    with pytest.raises(ValidationError):
        update_stage(None, stage_a, unit=unit_y)
    assert not StageChange.objects.exists()


def test_admin_change_goes_through_action(client_for, town_x, plan_editor_x, stage_a, stage_b):
    client = client_for(plan_editor_x, town_x)
    url = f"/gestao/plans/stage/{stage_a.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "plan": stage_a.plan_id,
        "number": "1",
        "description": "Etapa 1",
        "duration": "30 dias",
        "start": "",
        "deadline": "30/06/2025",
        "status": "suspensa",
        "observation": "Parada",
        "unit": stage_a.unit_id,
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Stage.objects.get(pk=stage_a.pk).status == "suspensa"
    assert StageChange.objects.filter(stage=stage_a, field="status", actor=plan_editor_x).exists()
    # another unit's stage is read-only in the back office
    other = f"/gestao/plans/stage/{stage_b.pk}/change/"
    assert 'name="_save"' not in client.get(other).content.decode()
    data.update(number="2", description="Etapa 2", unit=stage_b.unit_id)
    assert client.post(other, data).status_code == 403
    assert Stage.objects.get(pk=stage_b.pk).status == "em_andamento"
    listing = client.get("/gestao/plans/stage/").content.decode()
    assert "Etapa 1" in listing
