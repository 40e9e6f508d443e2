"""The national-portal page: harvest URLs and the DCAT-BR bronze/silver/gold checklist."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from paco.opendata import actions
from paco.opendata.dcat.common import with_related
from paco.opendata.dcat.readiness import assess
from paco.opendata.models import Dataset
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.dcat_support import bare_dataset, draft_dataset, rich_dataset

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

URL = "/dados/gestao/portal-nacional/"


def load(dataset: Dataset) -> Dataset:
    return with_related(Dataset.objects.filter(pk=dataset.pk)).get()


def labels(checks) -> set[str]:
    return {c.label for c in checks}


def test_rich_dataset_reaches_gold(town_x, unit_x_a):
    ds = rich_dataset(town_x, unit_x_a)
    # every column described for gold
    table = ds.resources.get(name="dados")
    actions.update_dictionary(
        None,
        table,
        {
            name: {"description": f"Coluna {name}"}
            for name in ("data", "fornecedor", "elemento", "valor", "pago")
        },
    )
    for resource in ds.resources.all():
        actions.update_resource(None, resource, description="Documento complementar do conjunto.")
    result = assess(load(ds), timezone.localdate())
    assert [c.label for c in result.checks if not c.ok] == []
    assert result.reached == "ouro"


def test_bare_dataset_lists_what_is_missing(town_x, unit_x_a):
    result = assess(load(bare_dataset(town_x, unit_x_a)), timezone.localdate())
    assert result.reached == ""
    assert labels(result.missing("bronze")) == {
        "Descrição (10 caracteres ou mais)",
        "Responsável: nome e e-mail (ponto de contato)",
        "Periodicidade de atualização",
        "Versão",
    }
    assert "Palavras-chave" in labels(result.missing("prata"))
    assert "Dicionário de dados completo (todas as colunas descritas)" in labels(
        result.missing("ouro")
    )


def test_tiers_need_the_lower_ones(town_x, unit_x_a):
    ds = bare_dataset(town_x, unit_x_a)
    actions.update_dataset(
        None, ds, keywords="frota", themes=["transportes"],
        temporal_start=datetime.date(2024, 1, 1), temporal_end=datetime.date(2024, 12, 31),
    )  # fmt: skip
    actions.update_resource(
        None, ds.resources.get(), description="Lista de veículos da frota.", format="html"
    )
    result = assess(load(ds), timezone.localdate())
    assert not result.missing("prata")
    assert result.reached == ""  # silver fields are there, bronze ones are not
    actions.update_dataset(
        None, ds, description="Veículos da prefeitura.", contact_name="Ana",
        contact_email="ana@example.org", periodicity="ANUAL", version="1",
    )  # fmt: skip
    assert assess(load(ds), timezone.localdate()).reached == "prata"


def test_late_update_loses_gold(town_x, unit_x_a):
    ds = rich_dataset(town_x, unit_x_a)
    today = timezone.localdate()
    assert "Atualização em dia" not in labels(assess(load(ds), today).missing("ouro"))
    later = today + datetime.timedelta(days=60)  # next_update_due was today + 20
    assert "Atualização em dia" in labels(assess(load(ds), later).missing("ouro"))


@pytest.mark.parametrize(
    "who, status",
    [
        ("citizen_a", 404),
        ("plain_staff_x", 403),  # the town's own staff are told which role is missing
        ("plan_editor_x", 403),
        ("admin_y", 404),
        ("data_editor_x", 200),
        ("data_editor_x_other", 200),
        ("admin_x", 200),
    ],
)
def test_access_matrix(request, client_for, town_x, unit_x_a, who, status):
    bare_dataset(town_x, unit_x_a)
    user = request.getfixturevalue(who)
    assert client_for(user, town_x).get(URL).status_code == status


def test_anonymous_is_sent_to_login(anon_x):
    response = anon_x.get(URL)
    assert response.status_code == 302
    assert "/conta/entrar/" in response["Location"] or "login" in response["Location"]


def test_page_shows_harvest_urls_and_only_covered_datasets(
    client_for, town_x, unit_x_a, unit_x_b, data_editor_x, django_assert_max_num_queries
):
    rich_dataset(town_x, unit_x_a)
    bare_dataset(town_x, unit_x_a)
    draft_dataset(town_x, unit_x_a)
    bare_dataset(town_x, unit_x_b, name="frota-b")
    actions.update_dataset(None, Dataset.objects.get(name="frota-b"), title="Frota da unidade B")
    town_x.open_data_portal_url = "https://dados.gov.br/dados/organizacoes/visualizar/xanxere"
    town_x.save()
    client = client_for(data_editor_x, town_x)
    with django_assert_max_num_queries(20):
        response = client.get(URL)
    html = response.content.decode()
    for url in (
        "http://x.paco.test/catalog.ttl",
        "http://x.paco.test/catalog.rdf",
        "http://x.paco.test/catalog.jsonld",
        "http://x.paco.test/api/3/",
    ):
        assert url in html
    assert "Despesas municipais" in html and "Frota" in html and "Rascunho interno" in html
    assert "Frota da unidade B" not in html
    assert "https://dados.gov.br/dados/organizacoes/visualizar/xanxere" in html
    assert html.count("<h1") == 1
    assert "style=" not in html and "<script>" not in html
