"""Faceted search of the portal (/dataset/): text, facets, removal, ordering, paging, queries."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState, ResourceKind
from paco.opendata.portal import search
from paco.opendata.portal.search import SearchQuery, parse_query, run_search, search_ids

pytestmark = pytest.mark.django_db


def make(town, unit, title, *, themes=(), keywords=(), license="cc-by", fmt="", published=True,
         description=""):  # fmt: skip
    ds = actions.create_dataset(
        None, town, title=title, unit=unit, themes=list(themes), keywords=list(keywords),
        license=license, description=description,
    )  # fmt: skip
    if fmt:
        actions.create_resource(
            None, ds, title=f"{title} ({fmt})", kind=ResourceKind.LINK,
            url=f"https://exemplo.gov.br/{ds.name}.{fmt}", format=fmt,
        )  # fmt: skip
    if published:
        actions.set_dataset_state(None, ds, DatasetState.PUBLISHED)
    return ds


@pytest.fixture
def catalogue(town_x, town_y, unit_x_a, unit_x_b, unit_y):
    make(town_x, unit_x_a, "Licitações de 2024", themes=["economia-e-financas"],
         keywords=["compras"], fmt="csv", description="Processos de compra.")  # fmt: skip
    make(town_x, unit_x_a, "Despesas com saúde", themes=["saude", "economia-e-financas"],
         keywords=["despesas"], fmt="xlsx")  # fmt: skip
    make(town_x, unit_x_b, "Unidades de Saúde", themes=["saude"], keywords=["mapa"],
         license="cc-zero", fmt="csv")  # fmt: skip
    make(town_x, unit_x_b, "Frota de veículos", themes=["transportes"], fmt="pdf")
    make(town_x, unit_x_a, "Rascunho sobre saúde", themes=["saude"], published=False)
    make(town_y, unit_y, "Saúde em Ypiranga", themes=["saude"])


def titles(town, **params):
    query = parse_query(params)
    return [e.title for e in run_search(town, query).results]


def test_text_is_accent_case_and_word_form_insensitive(catalogue, town_x):
    assert titles(town_x, q="SAUDE") == ["Despesas com saúde", "Unidades de Saúde"]
    assert titles(town_x, q="licitacao") == ["Licitações de 2024"]
    assert titles(town_x, q="compra") == ["Licitações de 2024"]  # keyword / description
    assert titles(town_x, q="saude frota") == []  # every word must match
    assert titles(town_x, q="veiculo") == ["Frota de veículos"]


def test_drafts_and_other_towns_never_match(catalogue, town_x, town_y):
    assert "Rascunho sobre saúde" not in titles(town_x, q="saúde")
    assert titles(town_y, q="saúde") == ["Saúde em Ypiranga"]
    assert all("Ypiranga" not in t for t in titles(town_x))


def test_facets_filter_and_count_over_the_results(catalogue, town_x):
    result = run_search(town_x, parse_query({"tema": ["saude"]}))
    assert sorted(e.title for e in result.results) == ["Despesas com saúde", "Unidades de Saúde"]
    facets = {f.key: {v.value: v.count for v in f.values} for f in result.facets}
    assert facets["tema"] == {"saude": 2, "economia-e-financas": 1}
    assert facets["organizacao"] == {"sa": 1, "sb": 1}
    assert facets["formato"] == {"xlsx": 1, "csv": 1}
    assert facets["licenca"] == {"cc-by": 1, "cc-zero": 1}
    assert facets["palavra"] == {"despesas": 1, "mapa": 1}
    # two facets at once: both must hold
    assert titles(town_x, tema=["saude"], formato=["csv"]) == ["Unidades de Saúde"]
    assert titles(town_x, organizacao=["sb"], licenca=["cc-by"]) == ["Frota de veículos"]
    assert titles(town_x, palavra=["compras"]) == ["Licitações de 2024"]


def test_selected_facet_links_remove_it(catalogue, town_x):
    query = parse_query({"q": "saude", "tema": ["saude"], "formato": ["csv"]})
    result = run_search(town_x, query)
    selected = {(v.value, v.toggle) for v in result.active_filters}
    assert ("csv", "q=saude&tema=saude") in selected
    assert ("saude", "q=saude&formato=csv") in selected
    assert query.without_text().params() == [("tema", "saude"), ("formato", "csv")]


def test_sorting(catalogue, town_x):
    assert titles(town_x, ordem="nome") == [
        "Despesas com saúde", "Frota de veículos", "Licitações de 2024", "Unidades de Saúde",
    ]  # fmt: skip
    Dataset.objects.filter(title="Frota de veículos").update(view_count=10)
    assert titles(town_x, ordem="visitados")[0] == "Frota de veículos"
    # title matches rank above description/keyword-only matches
    assert titles(town_x, q="saude")[0] in {"Despesas com saúde", "Unidades de Saúde"}
    assert SearchQuery(q="").effective_sort() == "recentes"
    assert SearchQuery(q="x").effective_sort() == "relevancia"


def test_search_ids_for_apis(catalogue, town_x):
    ids = search_ids(town_x, "saúde", {"formato": ["xlsx"]})
    assert [Dataset.objects.get(pk=i).title for i in ids] == ["Despesas com saúde"]


def test_search_page_renders_facets_and_results(catalogue, anon_x):
    response = anon_x.get("/dataset/", {"q": "saúde", "tema": "saude"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 conjuntos de dados." in html
    assert 'href="/dataset/unidades-de-saude/"' in html
    assert 'aria-current="true"' in html  # the selected theme
    assert "remover este filtro" in html
    assert "Rascunho" not in html
    assert html.count("<h1>") == 1


def test_search_page_paging(town_x, unit_x_a, anon_x):
    for n in range(25):
        make(town_x, unit_x_a, f"Conjunto {n:02d}", keywords=["serie"])
    first = anon_x.get("/dataset/", {"palavra": "serie", "ordem": "nome"}).content.decode()
    assert "Página 1 de 2" in first and "Conjunto 00" in first and "Conjunto 20" not in first
    link = re.search(r'href="\?([^"]*pagina=2)"', first)
    assert link, "link para a próxima página"
    second = anon_x.get("/dataset/?" + link.group(1).replace("&amp;", "&")).content.decode()
    assert "Conjunto 24" in second and "Conjunto 00" not in second


def test_search_page_queries_do_not_grow(town_x, unit_x_a, anon_x, django_assert_max_num_queries):
    for n in range(30):
        make(town_x, unit_x_a, f"Base {n}", themes=["saude"], fmt="csv")
    with django_assert_max_num_queries(8):
        assert anon_x.get("/dataset/", {"q": "base"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert anon_x.get("/dados/").status_code == 200


@override_settings(PACO_PAGE_CACHE_SECONDS=300)
def test_index_is_cached_until_the_catalogue_changes(
    catalogue, town_x, unit_x_a, django_assert_num_queries, django_capture_on_commit_callbacks
):
    search.index_for(town_x)
    with django_assert_num_queries(0):
        search.index_for(town_x)
    with django_capture_on_commit_callbacks(execute=True):  # the audit entry bumps the version
        make(town_x, unit_x_a, "Novo conjunto de obras")
    assert "Novo conjunto de obras" in titles(town_x, q="obras")
