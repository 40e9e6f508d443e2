import json
import re

import pytest

from paco.catalog.models import Service

from .conftest import add, detail


@pytest.fixture
def iptu(demo_x):
    return Service.objects.get(municipality=demo_x, slug="parcelamento-de-dividas-do-iptu")


def test_service_page_renders_every_field(anon_x, iptu):
    response = anon_x.get(f"/servicos/{iptu.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    full = Service.objects.for_detail().get(pk=iptu.pk)
    expected = [
        full.name,
        *full.popular_name_list(),
        *full.keyword_list(),
        *full.legislation_list(),
        full.unit.name,
        full.unit.address,
        full.time_text(),
        "Atualizado em 15/10/2026",
        full.digital_url,
        "Parcialmente digital",
    ]
    for r in full.requesters.all():
        expected += [r.kind, r.requirements]
    for step in full.steps.all():
        expected += [step.title, *step.document_list()]
        expected += [c.description for c in step.costs.all()]
        expected += [c.get_kind_display() for c in step.channels.all()]
        expected += [c.waiting_time for c in step.channels.all() if c.waiting_time]
    expected += [c.name for c in full.categories.all()]
    expected += [e.name for e in full.life_events.all()]
    expected += [a.name for a in full.audiences.all()]
    from django.utils.html import escape

    for text in expected:
        assert escape(text) in html or text in html, text
    for long_text in (full.priority, full.accessibility, full.service_standards, full.complaints):
        assert escape(long_text[:40]) in html
    assert html.count("<h1") == 1


def test_json_ld_and_open_graph(anon_x, iptu):
    html = anon_x.get(f"/servicos/{iptu.slug}/").content.decode()
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "GovernmentService"
    assert data["name"] == iptu.name
    assert data["url"] == f"http://x.paco.test/servicos/{iptu.slug}/"
    assert data["provider"]["@type"] == "GovernmentOrganization"
    assert f'<meta property="og:title" content="{iptu.name}">' in html
    assert 'property="og:url"' in html
    assert "<script>" not in html and "<script src" not in html


def test_json_ld_cannot_break_out_of_script(town_x, unit_x_a, anon_x):
    add(town_x, detail("Serviço </script><b>", unit_x_a, descricao="a & b < c"))
    service = Service.objects.get()
    html = anon_x.get(f"/servicos/{service.slug}/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and "&" not in block
    assert json.loads(block)["name"] == "Serviço </script><b>"


def test_service_of_other_town_is_404(town_x, town_y, unit_y, anon_x, client_for):
    add(town_y, detail("Só em Y", unit_y))
    slug = Service.objects.get().slug
    assert anon_x.get(f"/servicos/{slug}/").status_code == 404
    assert client_for(None, town_y).get(f"/servicos/{slug}/").status_code == 200


def test_draft_and_archived_are_not_public(town_x, unit_x_a, anon_x):
    add(
        town_x,
        detail("Rascunho", unit_x_a, situacao="draft"),
        detail("Velho", unit_x_a, situacao="archived"),
    )
    for s in Service.objects.all():
        assert anon_x.get(f"/servicos/{s.slug}/").status_code == 404
    assert "Rascunho" not in anon_x.get("/servicos/").content.decode()


def test_home_is_small_and_has_search(demo_x, anon_x):
    response = anon_x.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < 100_000
    assert 'action="/servicos/"' in html and 'name="q"' in html
    assert "Impostos e taxas" in html and "Empresas" in html and "Abrir uma empresa" in html


def test_list_search_and_filters(demo_x, anon_x):
    html = anon_x.get("/servicos/?q=alvara").content.decode()
    assert "Alvará de funcionamento" in html
    assert "Vacinação" not in html
    html = anon_x.get("/servicos/?digital=digital").content.decode()
    assert "Vacinação" not in html and "Certidão negativa" in html
    html = anon_x.get("/servicos/?q=zzzzz").content.decode()
    assert "Nenhum serviço encontrado" in html


@pytest.mark.parametrize(
    ("url", "present", "absent"),
    [
        ("/servicos/categoria/saude/", "Vacinação", "Alvará de funcionamento"),
        ("/servicos/publico/empresas/", "Alvará de funcionamento", "Vacinação"),
        ("/servicos/evento/abrir-uma-empresa/", "Alvará de funcionamento", "Vacinação"),
    ],
)
def test_browse_pages(demo_x, anon_x, url, present, absent):
    html = anon_x.get(url).content.decode()
    assert present in html
    assert absent not in html


def test_unknown_browse_pages_are_404(demo_x, anon_x, town_y, client_for):
    assert anon_x.get("/servicos/categoria/nao-existe/").status_code == 404
    assert anon_x.get("/servicos/publico/nao-existe/").status_code == 404
    # categories of X do not exist on Y's host
    assert client_for(None, town_y).get("/servicos/categoria/saude/").status_code == 404


def _fill(town, unit, n, start=0):
    add(town, *[detail(f"Serviço {i:03d}", unit) for i in range(start, start + n)])


@pytest.mark.parametrize(
    "url", ["/", "/servicos/", "/servicos/categoria/geral/", "/servicos/?q=servico"]
)
def test_list_query_count_is_constant(town_x, unit_x_a, anon_x, django_assert_max_num_queries, url):
    _fill(town_x, unit_x_a, 3)
    anon_x.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert anon_x.get(url).status_code == 200
    _fill(town_x, unit_x_a, 27, start=3)
    with django_assert_max_num_queries(len(small)):
        assert anon_x.get(url).status_code == 200


def test_unit_page(demo_x, anon_x, town_y, client_for):
    from paco.tenancy.models import Unit

    unit = Unit.objects.get(municipality=demo_x, slug="sms")
    html = anon_x.get("/servicos/unidade/sms/").content.decode()
    assert "Vacinação" in html and "Alvará de funcionamento" not in html
    assert unit.address in html
    assert client_for(None, town_y).get("/servicos/unidade/sms/").status_code == 404


def test_page_links_keep_the_search_and_filters(town_x, unit_x_a, anon_x):
    add(town_x, *[detail(f"Licença número {n}", unit_x_a) for n in range(35)])
    first = anon_x.get("/servicos/?q=licença&digital=presencial").content.decode()
    link = re.search(r'href="\?([^"]*pagina=2)"', first)
    assert link is not None
    assert link[1] == "q=licen%C3%A7a&amp;digital=presencial&amp;pagina=2"
    second = anon_x.get("/servicos/?" + link[1].replace("&amp;", "&")).content.decode()
    assert "Página 2 de 2" in second
