"""One staff shell: the town, who is signed in, a way out, and only the areas one may use."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _nav(html: str) -> list[str]:
    match = re.search(r'<nav aria-label="Áreas de trabalho".*?</nav>', html, re.S)
    assert match, "the staff navigation is missing"
    return re.findall(r'href="([^"]+)"', match.group(0))


def test_header_names_town_user_and_offers_sign_out(client_for, town_x, data_editor_x) -> None:
    html = client_for(data_editor_x, town_x).get("/gestao/").content.decode()
    assert town_x.display_name in html and "Área do servidor" in html
    assert data_editor_x.get_username() in html or data_editor_x.get_full_name() in html
    assert "Editor de dados abertos" in html  # the role held
    form = re.search(
        r'<form class="ws-sair" method="post" action="/conta/sair/">(.*?)</form>', html
    )
    assert form and "csrfmiddlewaretoken" in form.group(1)


def test_sign_out_works_without_javascript(client_for, town_x, data_editor_x) -> None:
    client = client_for(data_editor_x, town_x)
    assert client.post("/conta/sair/").status_code in (200, 302)
    assert client.get("/gestao/").status_code == 302  # back to the login page


@pytest.mark.parametrize(
    "who, shown, hidden",
    [
        (
            "data_editor_x",
            ["/dados/gestao/pedidos/", "/dados/gestao/", "/dados/gestao/portal-nacional/"],
            ["/cronograma/", "/cronograma/importar/"],
        ),
        (
            "plan_editor_x",
            ["/cronograma/"],
            ["/dados/gestao/pedidos/", "/dados/gestao/", "/cronograma/importar/"],
        ),
        (
            "plain_staff_x",
            [],
            ["/dados/gestao/pedidos/", "/dados/gestao/", "/cronograma/", "/cronograma/importar/"],
        ),
        ("admin_x", ["/dados/gestao/pedidos/", "/cronograma/", "/cronograma/importar/"], []),
    ],
)
def test_navigation_shows_only_usable_areas(
    request: pytest.FixtureRequest, client_for: Any, town_x: Any, who: str, shown: Any, hidden: Any
) -> None:
    client = client_for(request.getfixturevalue(who), town_x)
    links = _nav(client.get("/gestao/").content.decode())
    assert "/gestao/" in links
    for href in shown:
        assert href in links
        assert client.get(href).status_code == 200, href
    for href in hidden:
        assert href not in links
        if href != "/cronograma/":  # the plan itself is a public page
            assert client.get(href).status_code == 403, href


@pytest.mark.parametrize(
    "url",
    [
        "/dados/gestao/",
        "/dados/gestao/pedidos/",
        "/dados/gestao/portal-nacional/",
        "/dados/gestao/tokens/",
    ],
)
def test_staff_pages_sit_in_the_shell(client_for, town_x, admin_x, url) -> None:
    html = client_for(admin_x, town_x).get(url).content.decode()
    assert 'class="ws"' in html and 'action="/conta/sair/"' in html
    assert 'aria-label="Navegação principal"' not in html  # not the public menu


def test_stage_edit_and_plan_import_sit_in_the_shell(
    client_for, town_x, admin_x, some_work
) -> None:
    client = client_for(admin_x, town_x)
    stage = some_work["plan"].stages.first()
    for url in (f"/cronograma/etapas/{stage.pk}/editar/", "/cronograma/importar/"):
        html = client.get(url).content.decode()
        assert 'class="ws"' in html and 'action="/conta/sair/"' in html, url


def test_admin_pages_carry_the_same_header(client_for, town_x, admin_x) -> None:
    html = client_for(admin_x, town_x).get("/gestao/plans/stage/").content.decode()
    assert "ws-admin" in html and town_x.display_name in html
    assert 'action="/conta/sair/"' in html and "ws-topo" in html
    assert "theme-toggle" not in html  # the admin's own header is replaced


def test_public_pages_run_no_workspace_query(client_for, town_x, admin_x) -> None:
    html = client_for(admin_x, town_x).get("/servicos/").content.decode()
    assert "ws-topo" not in html


def test_current_area_is_marked(client_for, town_x, admin_x) -> None:
    client = client_for(admin_x, town_x)
    current = re.compile(r'<a href="([^"]+)" aria-current="page">')

    def marked(url: str) -> list[str]:
        html = client.get(url).content.decode()
        nav = re.search(r'<nav aria-label="Áreas de trabalho".*?</nav>', html, re.S)
        assert nav
        return current.findall(nav.group(0))

    assert marked("/gestao/") == ["/gestao/"]
    assert marked("/gestao/plans/stage/") == ["/gestao/#configuracao"]
    assert marked("/dados/gestao/pedidos/") == ["/dados/gestao/pedidos/"]
    assert marked("/dados/gestao/tokens/") == ["/dados/gestao/"]
    assert marked("/gestao/avisos/") == ["/gestao/avisos/"]
    assert marked("/gestao/prazos/regras/") == ["/gestao/prazos/feriados/"]
