"""The back office (/gestao/) for plans and stages stays inside the municipality."""

from __future__ import annotations


def test_stage_list_and_plan_filter_are_scoped(client_for, town_x, town_y, admin_x, make_plan):
    make_plan(town_x, 2, title="Plano de X")
    make_plan(town_y, 2, title="Plano secreto de Y")
    html = client_for(admin_x, town_x).get("/gestao/plans/stage/").content.decode()
    assert "Plano de X" in html
    assert "Plano secreto de Y" not in html


def test_plan_fields_need_the_administrator(client_for, town_x, admin_x, plan_editor_x, make_plan):
    plan = make_plan(town_x, 1, title="Plano de X")
    url = f"/gestao/plans/plan/{plan.pk}/change/"
    data = {
        "title": "Outro título",
        "slug": plan.slug,
        "kind": "digital_government",
        "description": "",
        "updated_on": "",
        "is_public": "on",
    }
    assert client_for(plan_editor_x, town_x).post(url, data).status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Plano de X"
    assert client_for(admin_x, town_x).post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.title == "Outro título"


def test_other_municipality_objects_are_not_reachable(
    client_for, town_x, town_y, admin_x, make_plan
):
    plan_y = make_plan(town_y, 1)
    client = client_for(admin_x, town_x)
    response = client.get(f"/gestao/plans/plan/{plan_y.pk}/change/")
    assert response.status_code in (302, 404)
    assert "Implementação" not in client.get("/gestao/plans/plan/").content.decode()
