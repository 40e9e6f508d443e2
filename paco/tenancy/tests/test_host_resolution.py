from django.test import Client

from paco.tenancy.middleware import resolve_municipality
from paco.tenancy.models import Municipality


def test_each_host_resolves_to_its_municipality(town_x, town_y):
    assert resolve_municipality("x.paco.test") == town_x
    assert resolve_municipality("Y.PACO.TEST:8000") == town_y


def test_unknown_host_with_several_towns_is_404_in_portuguese(town_x, town_y):
    response = Client(HTTP_HOST="localhost").get("/acessibilidade/")
    assert response.status_code == 404
    assert "Município não encontrado" in response.content.decode()


def test_single_town_install_needs_no_host_configuration(db):
    town = Municipality.objects.create(
        name="Única", slug="unica", uf="SC", ibge_code="4219507", cnpj="46395000000139"
    )
    assert resolve_municipality("localhost") == town
    response = Client(HTTP_HOST="localhost").get("/acessibilidade/")
    assert response.status_code == 200
    assert "Prefeitura Municipal de Única" in response.content.decode()


def test_healthz_needs_no_municipality(db):
    response = Client(HTTP_HOST="localhost").get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}
