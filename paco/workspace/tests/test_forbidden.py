"""Inside one's own town a forbidden page says why (403, in the staff shell); another
town's objects, and every staff page for people who are not the town's staff, stay 404."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_stage_of_another_unit_says_which_role_and_unit(
    client_for, town_x, plan_editor_x_other, some_work
) -> None:
    stage = some_work["plan"].stages.first()  # in Secretaria A
    response = client_for(plan_editor_x_other, town_x).get(f"/cronograma/etapas/{stage.pk}/editar/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Você não tem o papel Editor do cronograma na unidade Secretaria A." in html
    assert 'class="ws"' in html and 'action="/conta/sair/"' in html  # in the staff shell
    assert "Página não encontrada" not in html


def test_area_without_the_role_says_so(client_for, town_x, plain_staff_x) -> None:
    response = client_for(plain_staff_x, town_x).get("/dados/gestao/")
    assert response.status_code == 403
    assert "Você não tem o papel Editor de dados abertos" in response.content.decode()


def test_request_of_another_unit_is_403_without_its_content(
    client_for, town_x, data_editor_x_other, some_work
) -> None:
    data_request = some_work["late"]
    response = client_for(data_editor_x_other, town_x).get(
        f"/dados/gestao/pedidos/{data_request.protocol}/"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert data_request.title not in html and "maria@exemplo.org" not in html


def test_another_towns_objects_stay_404(client_for, town_y, admin_y, town_x, some_work) -> None:
    stage = some_work["plan"].stages.first()
    client = client_for(admin_y, town_y)
    assert client.get(f"/cronograma/etapas/{stage.pk}/editar/").status_code == 404
    # town Y has its own request with the first protocol number; the second is only X's
    assert client.get(f"/dados/gestao/pedidos/{some_work['soon'].protocol}/").status_code == 404


def test_other_towns_staff_and_citizens_get_404_not_a_reason(
    client_for, town_x, admin_y, citizen_a, some_work
) -> None:
    stage = some_work["plan"].stages.first()
    for user in (admin_y, citizen_a):
        client = client_for(user, town_x)
        for url in (
            "/dados/gestao/",
            f"/cronograma/etapas/{stage.pk}/editar/",
            f"/dados/gestao/pedidos/{some_work['late'].protocol}/",
        ):
            response = client.get(url)
            assert response.status_code == 404, (user, url)
            assert "papel" not in response.content.decode()


def test_missing_object_is_404_for_staff(client_for, town_x, data_editor_x) -> None:
    client = client_for(data_editor_x, town_x)
    assert client.get("/dados/gestao/pedidos/0000-000000/").status_code == 404
    assert client.get("/dados/gestao/conjuntos/nao-existe/").status_code == 404


def test_admin_page_without_permission_is_403_with_shell(client_for, town_x, plan_editor_x) -> None:
    response = client_for(plan_editor_x, town_x).get("/gestao/audit/auditentry/")
    assert response.status_code == 403
    assert "Acesso não permitido" in response.content.decode()


def test_plan_page_offers_edit_only_where_the_role_covers(
    client_for, town_x, plan_editor_x, plan_editor_x_other, some_work
) -> None:
    stage = some_work["plan"].stages.first()  # in Secretaria A
    edit = f'href="/cronograma/etapas/{stage.pk}/editar/"'
    assert edit in client_for(plan_editor_x, town_x).get("/cronograma/").content.decode()
    assert edit not in client_for(plan_editor_x_other, town_x).get("/cronograma/").content.decode()
