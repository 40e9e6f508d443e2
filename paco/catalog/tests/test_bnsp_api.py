import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paco.catalog.models import Service

from .conftest import add, detail

LIST_KEYS = {
    "id",
    "name",
    "description",
    "url",
    "date",
    "organization",
    "popular_names",
    "keywords",
}
DETAIL_KEYS = {
    "nome", "sigla", "nomesPopulares", "descricao", "contato", "gratuito", "solicitantes",
    "tempoTotalEstimado", "etapas", "orgao", "segmentosDaSociedade", "areasDeInteresse",
    "palavrasChave", "legislacoes", "condicoesAcessibilidade", "tratamentoPrioritario",
    "tratamentoDispensadoAtendimento", "servicoDigital", "linkServicoDigital",
}  # fmt: skip
EXTENSION_KEYS = {
    "id", "slug", "tempoEstimadoEspera", "eventosDaVida", "manifestacoes", "statusDigital",
    "situacao", "dataUltimaRevisao",
}  # fmt: skip


def test_list_shape(demo_x, anon_x):
    response = anon_x.get("/api/bnsp/servicos.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"  # any site may read the charter
    assert "Saúde".encode() in response.content  # accents as UTF-8, not \u escapes
    data = response.json()
    assert len(data) == Service.objects.for_municipality(demo_x).published().count()
    for entry in data:
        assert set(entry) == LIST_KEYS
        assert set(entry["organization"]) == {"name", "id", "url"}
        assert all(set(p) == {"name"} for p in entry["popular_names"])
        assert all(isinstance(k, str) for k in entry["keywords"])
        assert entry["url"].startswith("http://x.paco.test/servicos/")
        org_url = entry["organization"]["url"].removeprefix("http://x.paco.test")
        assert anon_x.get(org_url).status_code == 200
        assert anon_x.get(entry["url"].removeprefix("http://x.paco.test")).status_code == 200
        assert anon_x.get(f"/api/bnsp/servicos/{entry['id']}.json").status_code == 200


def test_detail_shape(demo_x, anon_x):
    service = Service.objects.get(municipality=demo_x, slug="alvara-de-funcionamento")
    data = anon_x.get(f"/api/bnsp/servicos/{service.pk}.json").json()
    assert set(data) == DETAIL_KEYS | EXTENSION_KEYS
    assert data["nome"] == "Alvará de funcionamento"
    assert data["nomesPopulares"]["item"][0] == {"item": "alvará"}
    assert set(data["solicitantes"]["solicitante"][0]) == {"tipo", "requisitos"}
    assert data["tempoTotalEstimado"] == {
        "entre": {"min": "1", "max": "15", "unidade": "dias-uteis"},
        "descricao": service.time_description,
    }
    step = data["etapas"][1]
    assert set(step) == {"titulo", "descricao", "documentos", "custos", "canaisDePrestacao"}
    assert set(step["documentos"]) == {"documentos", "casos"}
    assert set(step["documentos"]["documentos"][0]) == {"nome"}
    assert set(step["custos"]["custos"][0]) == {"descricao", "moeda", "valor", "valorVariavel"}
    assert step["custos"]["custos"][0]["valorVariavel"] is True
    channel = step["canaisDePrestacao"]["canaisDePrestacao"][0]
    assert set(channel) == {"tipo", "descricao", "tempoEstimadoEspera"}
    assert set(data["orgao"]) == {"id", "nomeOrgao"}
    assert data["gratuito"] is False
    assert data["servicoDigital"] is False and data["statusDigital"] == "parcialmente-digital"


@pytest.mark.parametrize(
    ("kind", "body"),
    [
        ("atendimentoImediato", {}),
        ("naoEstimadoAinda", {}),
        ("ate", {"max": "5", "unidade": "dias"}),
    ],
)
def test_estimated_time_variants(town_x, unit_x_a, anon_x, kind, body):
    add(town_x, detail("S", unit_x_a, tempoTotalEstimado={kind: body, "descricao": ""}))
    pk = Service.objects.get().pk
    data = anon_x.get(f"/api/bnsp/servicos/{pk}.json").json()
    assert data["tempoTotalEstimado"] == {kind: body, "descricao": ""}


def test_only_published_of_this_town(town_x, unit_x_a, town_y, unit_y, anon_x):
    add(town_x, detail("Publicado", unit_x_a), detail("Rascunho", unit_x_a, situacao="draft"))
    add(town_y, detail("De Y", unit_y))
    names = [e["name"] for e in anon_x.get("/api/bnsp/servicos.json").json()]
    assert names == ["Publicado"]
    for service in Service.objects.exclude(name="Publicado"):
        assert anon_x.get(f"/api/bnsp/servicos/{service.pk}.json").status_code == 404


def test_list_query_count_constant(town_x, unit_x_a, anon_x, django_assert_max_num_queries):
    add(town_x, *[detail(f"S{i}", unit_x_a) for i in range(3)])
    with CaptureQueriesContext(connection) as small:
        anon_x.get("/api/bnsp/servicos.json")
    add(town_x, *[detail(f"S{i}", unit_x_a) for i in range(3, 30)])
    with django_assert_max_num_queries(len(small)):
        assert len(anon_x.get("/api/bnsp/servicos.json").json()) == 30


def test_detail_has_no_internal_planning_notes(demo_x, anon_x):
    pk = Service.objects.filter(municipality=demo_x).first().pk
    assert "inventarioDigital" not in anon_x.get(f"/api/bnsp/servicos/{pk}.json").json()


def test_openapi_describes_the_list_shape(anon_x):
    from paco.catalog.openapi import SUMMARY

    data = anon_x.get("/api/bnsp/openapi.json").json()
    assert data["openapi"].startswith("3.")
    assert set(data["paths"]) == {"/api/bnsp/servicos.json", "/api/bnsp/servicos/{id}.json"}
    assert set(SUMMARY["required"]) == LIST_KEYS
    detail_schema = data["paths"]["/api/bnsp/servicos/{id}.json"]["get"]["responses"]["200"]
    assert set(detail_schema["content"]["application/json"]["schema"]["properties"]) == DETAIL_KEYS
