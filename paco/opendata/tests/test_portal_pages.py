"""Portal home, organizations, themes, inventory of databases and Novidades."""

from __future__ import annotations

import datetime

import pytest

from paco.catalog.tests.conftest import add, detail
from paco.opendata import actions
from paco.opendata.models import InventoryStatus
from paco.opendata.tests.portal_support import published
from paco.plans.models import Plan, PlanKind, Stage

pytestmark = pytest.mark.django_db


def html_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    text = response.content.decode()
    assert text.count("<h1") == 1, path
    return text


@pytest.fixture
def pda(town_x, unit_x_a):
    plan = Plan.objects.create(
        municipality=town_x, title="Plano de Dados Abertos 2025-2026", slug="pda",
        kind=PlanKind.OPEN_DATA,
    )  # fmt: skip
    return Stage.objects.create(
        municipality=town_x, plan=plan, number=1, description="Abrir a frota", unit=unit_x_a
    )


def test_home_lists_themes_organizations_recent_and_links(town_x, unit_x_a, unit_x_b, anon_x,
                                                           pda):  # fmt: skip
    town_x.open_data_portal_url = "https://dados.gov.br/dados/organizacoes/visualizar/x"
    town_x.save()
    published(town_x, unit_x_a, "Despesas", themes=["economia-e-financas", "saude"])
    published(town_x, unit_x_b, "Escolas", themes=["educacao"])
    actions.create_dataset(None, town_x, title="Rascunho secreto", unit=unit_x_a)
    text = html_of(anon_x, "/dados/")
    assert "2 conjuntos de dados publicados." in text
    assert 'href="/group/saude/">Saúde</a> <span class="suave">(1)' in text
    assert 'href="/organization/sa/">Secretaria A</a> <span class="suave">(1)' in text
    assert 'href="/dataset/escolas/"' in text and 'href="/dataset/despesas/"' in text
    assert "Rascunho secreto" not in text
    assert 'href="/dados/inventario/"' in text
    assert 'href="/cronograma/pda/"' in text
    assert 'href="https://dados.gov.br/dados/organizacoes/visualizar/x"' in text
    assert 'action="/dataset/"' in text  # the search box
    assert 'type="application/atom+xml"' in text


def test_site_navigation_links_the_portal(town_x, anon_x):
    text = anon_x.get("/").content.decode()
    assert '<a href="/dados/"' in text


def test_organizations_and_organization_page(town_x, unit_x_a, unit_x_b, anon_x):
    published(town_x, unit_x_a, "Despesas")
    actions.create_dataset(None, town_x, title="Rascunho", unit=unit_x_b)
    text = html_of(anon_x, "/organization/")
    assert 'href="/organization/sa/"' in text
    assert "/organization/sb/" not in text  # only drafts: not a publisher
    org = html_of(anon_x, "/organization/sa/")
    assert "<h1>Secretaria A</h1>" in org and 'href="/dataset/despesas/"' in org
    assert 'href="/dados/feeds/organizacao/sa.atom"' in org
    assert anon_x.get("/organization/sb/").status_code == 404
    assert anon_x.get("/organization/nao-existe/").status_code == 404


def test_group_page_lists_the_theme(town_x, unit_x_a, anon_x):
    published(town_x, unit_x_a, "Despesas", themes=["saude"])
    published(town_x, unit_x_a, "Frota", themes=["transportes"])
    text = html_of(anon_x, "/group/saude/")
    assert "Tema: Saúde" in text and "/dataset/despesas/" in text and "/dataset/frota/" not in text
    assert anon_x.get("/group/nao-existe/").status_code == 404
    assert 'href="/group/saude/"' in html_of(anon_x, "/group/")


def test_other_town_sees_nothing(town_x, town_y, unit_x_a, unit_y, client_for):
    published(town_x, unit_x_a, "Despesas de X")
    client = client_for(None, town_y)
    text = html_of(client, "/dados/")
    assert "Despesas de X" not in text
    assert client.get("/organization/sa/").status_code == 404


def test_inventory_shows_planned_opening_status_late_and_links(town_x, unit_x_a, anon_x, pda):
    ds = published(town_x, unit_x_a, "Frota municipal")
    draft = actions.create_dataset(None, town_x, title="Rascunho", unit=unit_x_a)
    past = datetime.date(2020, 5, 1)
    actions.save_inventory_item(None, town_x, name="Cadastro da frota", unit=unit_x_a,
                                planned_opening=past, status=InventoryStatus.PUBLISHED,
                                dataset=ds, stage=pda)  # fmt: skip
    actions.save_inventory_item(None, town_x, name="Folha de pagamento", unit=unit_x_a,
                                planned_opening=past, status=InventoryStatus.PLANNED,
                                dataset=draft)  # fmt: skip
    actions.save_inventory_item(None, town_x, name="Prontuários", unit=unit_x_a,
                                status=InventoryStatus.RESTRICTED,
                                restriction_reason="Dados pessoais sensíveis (LGPD).")  # fmt: skip
    text = html_of(anon_x, "/dados/inventario/")
    assert text.count('<th scope="row">') == 3
    row = text.split("Folha de pagamento", 1)[1].split("</tr>", 1)[0]
    assert "Atrasada" in row and "01/05/2020" in row
    assert "/dataset/rascunho/" not in text  # a draft is not linked
    frota = text.split("Cadastro da frota", 1)[1].split("</tr>", 1)[0]
    assert 'href="/dataset/frota-municipal/"' in frota and "Atrasada" not in frota
    assert 'href="/cronograma/pda/">Etapa 1</a>' in frota
    assert "Dados pessoais sensíveis" in text
    assert '<caption id="legenda-inventario">' in text


def test_news_merges_datasets_and_services_by_date(town_x, unit_x_a, anon_x):
    published(town_x, unit_x_a, "Conjunto antigo")
    add(town_x, detail("Alvará de funcionamento", unit_x_a))
    published(town_x, unit_x_a, "Conjunto novo")
    text = html_of(anon_x, "/dados/novidades/")
    old = text.index("Conjunto antigo")
    service = text.index("Alvará de funcionamento")
    new = text.index("Conjunto novo")
    assert new < service < old
    assert "Novo conjunto de dados" in text and "Novo serviço" in text
    assert 'href="/dados/feeds/servicos.atom"' in text


def test_list_pages_keep_a_constant_number_of_queries(
    town_x, unit_x_a, unit_x_b, anon_x, django_assert_max_num_queries
):
    for n in range(15):
        published(town_x, unit_x_a if n % 2 else unit_x_b, f"Conjunto {n}", themes=["saude"])
        actions.save_inventory_item(None, town_x, name=f"Base {n}", unit=unit_x_a)
    for path in ("/dados/", "/organization/", "/organization/sa/", "/group/saude/", "/group/",
                 "/dados/inventario/", "/dados/novidades/"):  # fmt: skip
        with django_assert_max_num_queries(8):
            assert anon_x.get(path).status_code == 200, path
