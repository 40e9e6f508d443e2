import csv
import io

import pytest

from .conftest import add, detail

URL = "/gestao/catalog/service/inventario/"
CSV_URL = "/gestao/catalog/service/inventario.csv"


@pytest.fixture
def services(town_x, unit_x_a):
    return add(
        town_x,
        detail(
            "Digital A", unit_x_a, statusDigital="digital", linkServicoDigital="https://x.test/a"
        ),
        detail(
            "Balcão B",
            unit_x_a,
            statusDigital="presencial",
            inventarioDigital={
                "observacao": "Falta assinatura eletrônica.",
                "previsao": "2027-06-30",
            },
        ),
        detail("Balcão C", unit_x_a, statusDigital="presencial"),
        detail("Arquivado", unit_x_a, situacao="archived"),
    )


@pytest.mark.parametrize("who", ["catalog_editor_x", "plan_editor_x", "admin_x"])
def test_staff_of_town_sees_inventory(request, who, services, town_x, client_for):
    client = client_for(request.getfixturevalue(who), town_x)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inventário de digitalização" in html
    assert "Falta assinatura eletrônica." in html and "30/06/2027" in html
    assert "Arquivado" not in html
    counts = {row["label"]: row["count"] for row in response.context["counts"]}
    assert counts == {"Digital": 1, "Parcialmente digital": 0, "Presencial": 2}


@pytest.mark.parametrize("who", ["anonymous", "citizen_a", "admin_y"])
def test_outsiders_cannot_see_inventory(request, who, services, town_x, client_for):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    client = client_for(user, town_x)
    for url in (URL, CSV_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_other_town_staff_sees_only_own_inventory(services, admin_y, town_y, client_for):
    response = client_for(admin_y, town_y).get(URL)
    assert response.status_code == 200
    assert "Balcão B" not in response.content.decode()


def test_csv_export(services, town_x, plan_editor_x, client_for):
    response = client_for(plan_editor_x, town_x).get(CSV_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "serviço"
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"Digital A", "Balcão B", "Balcão C"}
    assert by_name["Balcão B"][5:] == ["Falta assinatura eletrônica.", "2027-06-30"]
    assert by_name["Digital A"][3:5] == ["Digital", "https://x.test/a"]
