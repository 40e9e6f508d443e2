import pytest

from paco.catalog.models import Service
from paco.catalog.search import build_document, query_terms

from .conftest import add, detail


def test_document_tokens_are_unaccented_and_stemmed():
    doc = build_document("Alvarás de Iluminação")
    assert " alvaras " in doc
    assert " iluminacao " in doc
    assert doc == doc.lower()


def names(town, q):
    return [s.name for s in Service.objects.for_municipality(town).search(q)]


@pytest.fixture
def services(town_x, unit_x_a):
    return add(
        town_x,
        detail("Alvarás de funcionamento", unit_x_a),
        detail("Conserto de Iluminação pública", unit_x_a),
        detail(
            "Segunda via do boleto",
            unit_x_a,
            nomesPopulares={"item": [{"item": "carnê do IPTU"}]},
            palavrasChave={"item": [{"item": "imposto predial"}]},
        ),
        detail("Certidões negativas", unit_x_a),
        detail("Matrícula escolar", unit_x_a, descricao="Vaga na creche, incluindo alvará."),
    )


def test_accent_and_plural(services, town_x):
    assert names(town_x, "alvará")[0] == "Alvarás de funcionamento"
    assert "Alvarás de funcionamento" in names(town_x, "ALVARA")


def test_unaccented_query_finds_accented_name(services, town_x):
    assert names(town_x, "iluminacao") == ["Conserto de Iluminação pública"]
    assert names(town_x, "iluminações") == ["Conserto de Iluminação pública"]


def test_singular_finds_plural_of_ao_words(services, town_x):
    assert names(town_x, "certidão") == ["Certidões negativas"]


def test_popular_names_and_keywords(services, town_x):
    assert names(town_x, "iptu") == ["Segunda via do boleto"]
    assert names(town_x, "carne") == ["Segunda via do boleto"]
    assert names(town_x, "predial") == ["Segunda via do boleto"]


def test_every_word_must_match(services, town_x):
    assert names(town_x, "alvará iluminação") == []
    assert names(town_x, "alvará escolar") == ["Matrícula escolar"]
    assert names(town_x, "xyzzy") == []


def test_name_matches_rank_first(services, town_x):
    found = names(town_x, "alvará")
    assert found == ["Alvarás de funcionamento", "Matrícula escolar"]


def test_blank_query_returns_everything(services, town_x):
    assert len(names(town_x, "  ")) == 5
    assert query_terms("a e") == []


def test_search_is_scoped_to_municipality(services, town_y, unit_y):
    add(town_y, detail("Alvará de Y", unit_y))
    assert names(town_y, "alvara") == ["Alvará de Y"]
