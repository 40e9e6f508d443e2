"""The stage's task page covers what the admin did: unit and completion date too."""

from __future__ import annotations

import datetime

import pytest

from paco.plans.dates import today_local
from paco.plans.models import Plan, Stage, StageChange


@pytest.fixture
def stage(town_x, unit_x_a):
    plan = Plan.objects.create(municipality=town_x, title="Plano", slug="plano", is_public=True)
    return Stage.objects.create(
        municipality=town_x, plan=plan, number=1, description="Etapa 1", unit=unit_x_a,
        status="em_andamento", deadline=datetime.date(2025, 6, 30),
    )  # fmt: skip


def _post(client, stage, **changes):
    data = {
        "status": stage.status,
        "start": "",
        "deadline": "2025-06-30",
        "completed_on": "",
        "unit": str(stage.unit_id or ""),
        "observation": "",
    }
    data.update(changes)
    return client.post(f"/cronograma/etapas/{stage.pk}/editar/", data)


def test_the_page_offers_unit_and_completion(client_for, plan_editor_x, town_x, stage):
    html = client_for(plan_editor_x, town_x).get(f"/cronograma/etapas/{stage.pk}/editar/")
    html = html.content.decode()
    assert "Unidade responsável" in html and "Concluída em" in html
    assert "Secretaria A" in html and "Secretaria B" not in html  # only the units one covers
    assert "Nenhuma (a etapa vale" not in html


def test_a_completion_date_in_the_past_is_kept(client_for, plan_editor_x, town_x, stage):
    response = _post(client_for(plan_editor_x, town_x), stage, status="concluida",
                     completed_on="2025-07-10")  # fmt: skip
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.completed_on == datetime.date(2025, 7, 10)
    assert stage.days_late_at_completion == 10
    assert StageChange.objects.filter(stage=stage, field="completed_on").exists()


def test_marking_done_without_a_date_uses_today(client_for, plan_editor_x, town_x, stage):
    assert _post(client_for(plan_editor_x, town_x), stage, status="concluida").status_code == 302
    stage.refresh_from_db()
    assert stage.completed_on == today_local()


def test_a_future_completion_date_is_refused(client_for, plan_editor_x, town_x, stage):
    tomorrow = (today_local() + datetime.timedelta(days=1)).isoformat()
    response = _post(client_for(plan_editor_x, town_x), stage, status="concluida",
                     completed_on=tomorrow)  # fmt: skip
    assert response.status_code == 200
    assert "A data de conclusão não pode estar no futuro." in response.content.decode()


def test_a_town_wide_editor_moves_the_stage_to_another_unit(client_for, admin_x, town_x, stage,
                                                            unit_x_b):  # fmt: skip
    assert _post(client_for(admin_x, town_x), stage, unit=str(unit_x_b.pk)).status_code == 302
    stage.refresh_from_db()
    assert stage.unit == unit_x_b
    assert StageChange.objects.filter(stage=stage, field="unit").exists()


def test_a_unit_editor_cannot_move_it_out_of_their_units(client_for, plan_editor_x, town_x,
                                                         stage, unit_x_b):  # fmt: skip
    response = _post(client_for(plan_editor_x, town_x), stage, unit=str(unit_x_b.pk))
    assert response.status_code == 200
    assert "Faça uma escolha válida" in response.content.decode()
    stage.refresh_from_db()
    assert stage.unit.slug == "sa"
