"""CKAN ``package_search``: q, fq (Solr syntax), sort, rows/start, facets, errors."""

from __future__ import annotations

import datetime
import json

import pytest

from paco.opendata.ckan import query as solr
from paco.opendata.ckan import search
from paco.opendata.ckan.errors import SearchError
from paco.opendata.tests.ckan_support import UTC, call, make_dataset, result

pytestmark = pytest.mark.django_db


def when(year: int, month: int = 1, day: int = 1, hour: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture
def catalogue(town_x, town_y, unit_x_a, unit_x_b, unit_y):
    make_dataset(
        town_x,
        unit_x_a,
        "licitacoes",
        title="Licitações e contratos",
        description="Processos de compra da prefeitura.",
        keywords=["compras", "saúde pública"],
        themes=["administracao"],
        formats=["csv", "json"],
        license="cc-by",
        modified=when(2023, 6, 1),
        created=when(2023, 1, 1),
    )
    make_dataset(
        town_x,
        unit_x_a,
        "unidades-de-saude",
        title="Unidades de Saúde",
        description="Postos e hospitais com coordenadas.",
        keywords=["saúde", "mapa"],
        themes=["saude"],
        formats=["geojson"],
        license="cc-zero",
        modified=when(2024, 3, 10),
        created=when(2023, 2, 1),
    )
    make_dataset(
        town_x,
        unit_x_b,
        "frota",
        title="Frota de veículos",
        description="Carros, ônibus e ambulâncias da saúde municipal.",
        keywords=["veículos"],
        themes=["transportes", "saude"],
        formats=["xlsx", "CSV"],
        license="odc-odbl",
        modified=when(2024, 8, 20),
        created=when(2024, 1, 5),
    )
    make_dataset(town_x, unit_x_a, "rascunho-saude", title="Saúde (rascunho)", published=False)
    make_dataset(
        town_y, unit_y, "saude-y", title="Saúde em Y", themes=["saude"], modified=when(2025, 1, 1)
    )


def names(client, **params) -> list[str]:
    found = result(client, "package_search", **params)
    return [p["name"] for p in found["results"]]


def names_sorted(client, **params) -> list[str]:
    return sorted(names(client, rows=1000, **params))


# --- q: Portuguese-insensitive full text ----------------------------------------------
@pytest.mark.parametrize(
    "q, expected",
    [
        ("saude", ["frota", "licitacoes", "unidades-de-saude"]),  # title, description, keyword
        ("SAÚDE", ["frota", "licitacoes", "unidades-de-saude"]),
        ("licitacao", ["licitacoes"]),  # singular finds the plural, no accent
        ("contrato", ["licitacoes"]),
        ("ambulancia", ["frota"]),
        ("hospitais coordenadas", ["unidades-de-saude"]),  # every word must match
        ("hospitais frota", []),
        ("geojson", ["unidades-de-saude"]),  # resources are searched too
        ("arquivo xlsx", ["frota"]),
        ("rascunho", []),  # drafts never
        ("*:*", ["frota", "licitacoes", "unidades-de-saude"]),
        ('""', ["frota", "licitacoes", "unidades-de-saude"]),
        ("name:frota", ["frota"]),
        ("tags:mapa OR name:frota", ["frota", "unidades-de-saude"]),
        ("saúde (", ["frota", "licitacoes", "unidades-de-saude"]),  # bad syntax: plain words
    ],
)
def test_q(catalogue, anon_x, q, expected):
    assert names_sorted(anon_x, q=q) == expected


def test_relevance_puts_title_matches_first(catalogue, anon_x):
    ranked = names(anon_x, q="saude")
    assert ranked[0] == "unidades-de-saude"  # in the title
    assert set(ranked[1:]) == {"frota", "licitacoes"}


# --- fq ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fq, expected",
    [
        ("organization:sa", ["licitacoes", "unidades-de-saude"]),
        ("organization:sb", ["frota"]),
        ("organization:gy", []),  # town Y's unit
        ("groups:saude", ["frota", "unidades-de-saude"]),
        ("groups:transportes", ["frota"]),
        ("tags:mapa", ["unidades-de-saude"]),
        ('tags:"saúde pública"', ["licitacoes"]),
        ("tags:saude", ["unidades-de-saude"]),  # accent-insensitive, exact tag
        ("res_format:CSV", ["frota", "licitacoes"]),
        ("res_format:csv", ["frota", "licitacoes"]),
        ("license_id:cc-zero", ["unidades-de-saude"]),
        ("name:frota", ["frota"]),
        ("name:uni*", ["unidades-de-saude"]),
        ("+groups:saude +res_format:CSV", ["frota"]),
        ("groups:saude AND organization:sa", ["unidades-de-saude"]),
        ("groups:saude -organization:sa", ["frota"]),
        ("groups:saude NOT organization:sa", ["frota"]),
        ("organization:(sb OR nada)", ["frota"]),
        ("organization:sa OR organization:sb", ["frota", "licitacoes", "unidades-de-saude"]),
        ("(tags:mapa OR tags:compras) AND license_id:cc-by", ["licitacoes"]),
        ("+dataset_type:dataset +state:active", ["frota", "licitacoes", "unidades-de-saude"]),
        ("capacity:public", ["frota", "licitacoes", "unidades-de-saude"]),
        ("extras_qualquer:coisa", []),  # unknown fields match nothing, as in CKAN's Solr
        ("metadata_modified:[2024-01-01T00:00:00Z TO *]", ["frota", "unidades-de-saude"]),
        ("metadata_modified:[* TO 2024-01-01T00:00:00Z]", ["licitacoes"]),
        (
            "metadata_modified:[2024-03-10T00:00:00Z TO 2024-08-20T00:00:00Z]",
            ["frota", "unidades-de-saude"],
        ),
        ("metadata_modified:{2024-03-10T00:00:00Z TO 2024-08-20T00:00:00Z}", []),
        ("metadata_modified:[2024-03-09T23:59:59.999999Z TO *]", ["frota", "unidades-de-saude"]),
        ("metadata_modified:[2024-03-10T00:00:00.000001Z TO *]", ["frota"]),
        ("metadata_modified:[NOW-100YEARS TO NOW]", ["frota", "licitacoes", "unidades-de-saude"]),
        ("metadata_modified:[NOW/DAY+1DAY TO *]", []),
        ("metadata_created:[2024-01-01T00:00:00Z TO *]", ["frota"]),
        (
            "metadata_modified:[2024-01-01T00:00:00Z TO *] AND groups:saude",
            ["frota", "unidades-de-saude"],
        ),
        ("veiculos", ["frota"]),  # a bare word in fq is full text
    ],
)
def test_fq(catalogue, anon_x, fq, expected):
    assert names_sorted(anon_x, fq=fq) == expected


def test_fq_list_and_q_combine(catalogue, anon_x):
    assert names_sorted(anon_x, q="saude", fq="organization:sa") == [
        "licitacoes",
        "unidades-de-saude",
    ]
    repeated = anon_x.get(
        "/api/3/action/package_search", {"fq": ["groups:saude", "organization:sb"]}
    )
    assert [p["name"] for p in repeated.json()["result"]["results"]] == ["frota"]
    posted = result(anon_x, "package_search", "post", fq_list=["groups:saude", "res_format:CSV"])
    assert [p["name"] for p in posted["results"]] == ["frota"]


@pytest.mark.parametrize(
    "fq",
    [
        "organization:(sa",
        "metadata_modified:[2024-01-01 TO",
        "metadata_modified:[ontem TO *]",
        "metadata_modified:[2024-01-01T00:00:00Z]",
        'tags:"aberto',
        "groups:saude)",
    ],
)
def test_malformed_fq_is_a_search_error(catalogue, anon_x, fq):
    status, body = call(anon_x, "package_search", fq=fq)
    assert status == 409
    assert body["success"] is False
    assert body["error"]["__type"] == "Search Error"
    assert body["error"]["message"].startswith("Erro na busca: ")


# --- sort, rows, start ----------------------------------------------------------------
@pytest.mark.parametrize(
    "sort, expected",
    [
        ("name asc", ["frota", "licitacoes", "unidades-de-saude"]),
        ("name desc", ["unidades-de-saude", "licitacoes", "frota"]),
        ("metadata_modified desc", ["frota", "unidades-de-saude", "licitacoes"]),
        ("metadata_modified asc", ["licitacoes", "unidades-de-saude", "frota"]),
        ("metadata_created desc", ["frota", "unidades-de-saude", "licitacoes"]),
        ("title_string asc", ["frota", "licitacoes", "unidades-de-saude"]),
        ("score desc, metadata_modified desc", ["frota", "unidades-de-saude", "licitacoes"]),
    ],
)
def test_sort(catalogue, anon_x, sort, expected):
    assert names(anon_x, sort=sort) == expected


def test_sort_id_asc_is_by_uuid_text(catalogue, anon_x):
    found = result(anon_x, "package_search", sort="id asc")["results"]
    ids = [p["id"] for p in found]
    assert ids == sorted(ids) and len(ids) == 3


def test_default_sort_and_echo(catalogue, anon_x):
    found = result(anon_x, "package_search")
    assert found["sort"] == "score desc, metadata_modified desc"
    assert [p["name"] for p in found["results"]] == ["frota", "unidades-de-saude", "licitacoes"]


@pytest.mark.parametrize("sort", ["cor asc", "name sideways", "name asc extra"])
def test_bad_sort_is_a_search_error(catalogue, anon_x, sort):
    status, body = call(anon_x, "package_search", sort=sort)
    assert status == 409 and body["error"]["__type"] == "Search Error"


def test_rows_and_start(catalogue, anon_x):
    page1 = result(anon_x, "package_search", rows=2, start=0, sort="name asc")
    page2 = result(anon_x, "package_search", rows=2, start=2, sort="name asc")
    assert page1["count"] == page2["count"] == 3
    assert [p["name"] for p in page1["results"] + page2["results"]] == [
        "frota",
        "licitacoes",
        "unidades-de-saude",
    ]
    assert result(anon_x, "package_search", rows=2, start=10)["results"] == []
    assert len(result(anon_x, "package_search")["results"]) == 3  # default 10 rows


def test_rows_are_capped_like_ckan(catalogue, anon_x, monkeypatch):
    monkeypatch.setattr(search, "ROWS_MAX", 2)
    assert len(result(anon_x, "package_search", rows=5000)["results"]) == 2


@pytest.mark.parametrize("param, value", [("rows", "-1"), ("start", "x"), ("rows", "1.5")])
def test_bad_paging_is_a_validation_error(anon_x, param, value):
    status, body = call(anon_x, "package_search", **{param: value})
    assert (
        status == 409 and body["error"]["__type"] == "Validation Error" and param in body["error"]
    )


def test_fl_returns_only_those_fields(catalogue, anon_x):
    found = result(anon_x, "package_search", fl="id,name", sort="name asc")["results"]
    assert [set(p) for p in found] == [{"id", "name"}] * 3
    assert [p["name"] for p in found] == ["frota", "licitacoes", "unidades-de-saude"]


# --- facets ---------------------------------------------------------------------------------
def test_facets_like_ckan(catalogue, anon_x, unit_x_a):
    fields = ["organization", "groups", "tags", "res_format", "license_id"]
    found = result(anon_x, "package_search", **{"facet.field": json.dumps(fields)})
    facets = found["facets"]
    assert facets["organization"] == {"sa": 2, "sb": 1}
    assert facets["groups"] == {"saude": 2, "administracao": 1, "transportes": 1}
    assert facets["res_format"] == {"CSV": 2, "JSON": 1, "GEOJSON": 1, "XLSX": 1}
    assert facets["license_id"] == {"cc-by": 1, "cc-zero": 1, "odc-odbl": 1}
    org_items = found["search_facets"]["organization"]
    assert org_items["title"] == "organization"
    assert org_items["items"][0] == {"name": "sa", "display_name": unit_x_a.name, "count": 2}
    groups = {i["name"]: i["display_name"] for i in found["search_facets"]["groups"]["items"]}
    assert groups["saude"] == "Saúde"


def test_facets_follow_the_query_and_limits(catalogue, anon_x):
    params = {"facet.field": '["groups"]', "fq": "organization:sa", "facet.limit": "1"}
    found = result(anon_x, "package_search", **params)
    assert len(found["facets"]["groups"]) == 1
    counted = result(
        anon_x, "package_search", **{"facet.field": '["groups"]', "facet.mincount": "2"}
    )
    assert counted["facets"]["groups"] == {"saude": 2}
    posted = result(anon_x, "package_search", "post", **{"facet.field": ["tags"], "q": "saude"})
    assert posted["facets"]["tags"]["mapa"] == 1
    assert result(anon_x, "package_search")["facets"] == {}


def test_unknown_facet_is_an_error(anon_x):
    status, body = call(anon_x, "package_search", **{"facet.field": '["cpf"]'})
    assert status == 409 and body["error"]["__type"] == "Search Error"


# --- the Solr date and query parser ----------------------------------------------------
def test_date_math():
    assert solr.parse_date("2024-01-31T10:20:30Z+1MONTH") == datetime.datetime(
        2024, 2, 29, 10, 20, 30, tzinfo=UTC
    )
    assert solr.parse_date("2024-05-05T10:20:30.5Z/DAY") == when(2024, 5, 5)
    assert solr.parse_date("2024-05-05T10:20:30Z-1YEAR/MONTH") == when(2023, 5, 1)
    assert solr.parse_date("2024-05-05") == when(2024, 5, 5)
    now = datetime.datetime.now(UTC)
    assert (
        abs((solr.parse_date("NOW-7DAYS") - (now - datetime.timedelta(days=7))).total_seconds()) < 5
    )
    with pytest.raises(SearchError):
        solr.parse_date("2024-13-45T00:00:00Z")
    with pytest.raises(SearchError):
        solr.parse_date("NOW-1FORTNIGHT")


def test_parser_rejects_pathological_nesting():
    with pytest.raises(SearchError):
        solr.parse("(" * 50 + "a" + ")" * 50)
