"""Atom feeds of new and updated datasets (overall, per organization, per theme) and services."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from paco.catalog.tests.conftest import add, detail
from paco.opendata import actions
from paco.opendata.models import Dataset
from paco.opendata.tests.portal_support import published

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == f"{ATOM}feed"
    return root, [
        {
            "title": e.findtext(f"{ATOM}title"),
            "link": e.find(f"{ATOM}link").get("href"),
            "id": e.findtext(f"{ATOM}id"),
            "updated": e.findtext(f"{ATOM}updated"),
            "published": e.findtext(f"{ATOM}published"),
            "author": e.findtext(f"{ATOM}author/{ATOM}name"),
            "categories": [c.get("term") for c in e.findall(f"{ATOM}category")],
        }
        for e in root.findall(f"{ATOM}entry")
    ]


@pytest.fixture
def catalogue(town_x, town_y, unit_x_a, unit_x_b, unit_y):
    published(town_x, unit_x_a, "Despesas", themes=["economia-e-financas"])
    published(town_x, unit_x_b, "Escolas", themes=["educacao"])
    actions.create_dataset(None, town_x, title="Rascunho", unit=unit_x_a)
    published(town_y, unit_y, "Dados de Y")


def test_overall_feed_lists_published_datasets_newest_first(catalogue, anon_x):
    _root, items = entries(anon_x, "/dados/feeds/conjuntos.atom")
    assert [i["title"] for i in items] == ["Escolas", "Despesas"]
    assert items[0]["link"] == "http://x.paco.test/dataset/escolas/"
    assert items[0]["author"] == "Secretaria B"
    assert items[1]["categories"] == ["Economia e finanças"]
    assert all(i["published"] and i["updated"] for i in items)


def test_an_update_moves_the_dataset_up_with_a_stable_id(catalogue, anon_x):
    _root, before = entries(anon_x, "/dados/feeds/conjuntos.atom")
    actions.update_dataset(None, Dataset.objects.get(name="despesas"), description="Nova")
    _root, after = entries(anon_x, "/dados/feeds/conjuntos.atom")
    assert [i["title"] for i in after] == ["Despesas", "Escolas"]
    old = next(i for i in before if i["title"] == "Despesas")
    new = next(i for i in after if i["title"] == "Despesas")
    assert new["id"] == old["id"] and new["updated"] > old["updated"]


def test_organization_and_theme_feeds(catalogue, anon_x):
    _root, items = entries(anon_x, "/dados/feeds/organizacao/sa.atom")
    assert [i["title"] for i in items] == ["Despesas"]
    _root, items = entries(anon_x, "/dados/feeds/tema/educacao.atom")
    assert [i["title"] for i in items] == ["Escolas"]
    assert anon_x.get("/dados/feeds/tema/nao-existe.atom").status_code == 404
    assert anon_x.get("/dados/feeds/organizacao/gy.atom").status_code == 404  # unit of Y


def test_services_feed(town_x, unit_x_a, anon_x):
    add(town_x, detail("Alvará", unit_x_a), detail("Poda de árvore", unit_x_a, situacao="draft"))
    _root, items = entries(anon_x, "/dados/feeds/servicos.atom")
    assert [i["title"] for i in items] == ["Alvará"]
    assert items[0]["link"].startswith("http://x.paco.test/servicos/")


def test_feeds_are_advertised(catalogue, anon_x):
    text = anon_x.get("/dados/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in text
    assert 'href="/dados/feeds/conjuntos.atom"' in text
