"""The back office's home links to the work areas that live outside the admin."""

import pytest

pytestmark = pytest.mark.django_db


def test_index_links_to_open_data_work_areas(client_for, admin_x, town_x):
    page = client_for(admin_x, town_x).get("/gestao/")
    assert page.status_code == 200
    html = page.content.decode()
    for href in ("/dados/gestao/", "/dados/gestao/pedidos/", "/dados/gestao/portal-nacional/"):
        assert f'href="{href}"' in html
    # the usual app list is still there
    assert "Carta de Serviços" in html


def test_anonymous_is_sent_to_login(anon_x):
    page = anon_x.get("/gestao/")
    assert page.status_code == 302
