"""The public dataset page (/dataset/<name>/) and the resource page: metadata, dictionary,
preview with filters/sorting/paging, downloads, history, report, API examples, share cards."""

from __future__ import annotations

import datetime
import html
import json
import re

import pytest

from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

ROWS_CSV = "codigo;bairro;valor\n" + "".join(
    f"{n:03d};{'Centro' if n % 3 == 0 else 'Vila Nova'};{n},50\n" for n in range(1, 26)
)


def page(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def cells(text):
    """Body cells of the first preview table, as text."""
    table = text.split('<table class="stack">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", body)]


@pytest.fixture
def despesas(town_x, unit_x_a):
    resource = publish_table(town_x, unit_x_a, title="Despesas municipais")
    ds = resource.dataset
    actions.update_dataset(
        None, ds, description="Gastos da Prefeitura por fornecedor.", contact_name="Ana Souza",
        contact_email="ana@x.paco.test", periodicity="MENSAL",
        next_update_due=datetime.date(2020, 1, 1), temporal_start=datetime.date(2025, 1, 1),
        temporal_end=datetime.date(2025, 3, 31), keywords=["despesas", "empenho"],
        themes=["economia-e-financas"],
    )  # fmt: skip
    actions.update_dictionary(
        None, resource, {"valor": {"title": "Valor pago", "description": "Em reais", "unit": "R$",
                                   "constraints": {"minimum": 0}}},
    )  # fmt: skip
    return resource


def test_metadata_and_late_badge(despesas, anon_x):
    text = page(anon_x, "/dataset/despesas/")
    assert "<h1>Despesas municipais</h1>" in text
    assert "Gastos da Prefeitura por fornecedor." in text
    assert "Ana Souza" in text and "mailto:ana@x.paco.test" in text
    assert "Mensal" in text and "01/01/2020" in text
    assert "Atualização atrasada" in text and "atualização atrasada" in text
    assert "de 01/01/2025" in text and "até 31/03/2025" in text
    assert "código IBGE 4219507" in text
    assert "Creative Commons Atribuição 4.0" in text and "Público" in text
    assert 'href="/group/economia-e-financas/"' in text
    assert 'href="/organization/sa/"' in text


def test_no_late_badge_when_the_update_is_not_due(despesas, anon_x):
    future = datetime.date.today() + datetime.timedelta(days=30)
    actions.update_dataset(None, despesas.dataset, next_update_due=future)
    assert "atrasada" not in page(anon_x, "/dataset/despesas/").lower()


def test_dictionary_downloads_history_and_api_examples(despesas, town_x, unit_x_a, anon_x):
    publish_table(town_x, unit_x_a)  # version 2
    text = page(anon_x, "/dataset/despesas/")
    rid = despesas.pk
    # data dictionary: name, title, type, description, unit, constraints
    row = re.search(r"<code>valor</code></th>(.*?)</tr>", text).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row) == ["Valor pago", "número", "Em reais", "R$",
                                                   "mínimo 0"]  # fmt: skip
    # downloads of the current version
    for fmt in ("csv", "json", "parquet"):
        assert f"http://x.paco.test/dados/recurso/{rid}/dados.{fmt}" in text
    assert f"/dados/recurso/{rid}/v2/original" in text
    # every published version stays downloadable
    assert f"/dados/recurso/{rid}/v1/original" in text
    assert f"/dados/recurso/{rid}/dados.csv?versao=1" in text
    assert "2 (atual)" in text
    # copy-paste API examples with the real addresses
    assert "http://x.paco.test/api/3/action/package_show?id=despesas" in text
    assert f"datastore_search?resource_id={rid}&amp;limit=5" in text
    assert html.escape(f'SELECT * FROM "{rid}" LIMIT 5') in text  # noqa: S608
    assert "import json, urllib.request" in text


def test_native_api_example_answers(despesas, anon_x):
    text = page(anon_x, "/dataset/despesas/")
    urls = re.findall(r'curl &quot;http://x\.paco\.test(/api/v1/[^&"?]+)\?limit=5', text)
    assert urls, "no native API example on the page"
    response = anon_x.get(urls[0], {"limit": 5})
    assert response.status_code == 200, (urls[0], response.status_code)
    assert len(response.json()["records"]) == 5


def test_preview_filter_sort_and_paging(town_x, unit_x_a, anon_x):
    resource = publish_table(town_x, unit_x_a, dataset="bairros", csv_text=ROWS_CSV)
    rid = str(resource.pk)
    first = page(anon_x, "/dataset/bairros/")
    assert "Linhas 1 a 10 de 25." in first
    assert cells(first)[:3] == ["001", "Vila Nova", "1,5"]
    filtered = page(anon_x, "/dataset/bairros/", recurso=rid, coluna="bairro", valor="Centro")
    assert "Linhas 1 a 8 de 8 (filtradas)." in filtered
    assert set(cells(filtered)[1::3]) == {"Centro"}
    ordered = page(anon_x, "/dataset/bairros/", recurso=rid, ordenar="-valor")
    assert cells(ordered)[:3] == ["025", "Vila Nova", "25,5"]
    assert 'aria-sort="descending"' in ordered
    third = page(anon_x, "/dataset/bairros/", recurso=rid, ordenar="-valor", pagina="3")
    assert "Linhas 21 a 25 de 25." in third
    assert cells(third)[0] == "005"
    searched = page(anon_x, "/dataset/bairros/", recurso=rid, busca="centro")
    assert "de 8 (filtradas)" in searched
    # a parameter for another resource does not touch this table
    other = page(anon_x, "/dataset/bairros/", recurso="outro", coluna="bairro", valor="Centro")
    assert "Linhas 1 a 10 de 25." in other
    # an unknown column is ignored, not an error page
    assert "Linhas 1 a 10 de 25." in page(anon_x, "/dataset/bairros/", recurso=rid, ordenar="x")


def test_preview_bad_value_shows_a_message(town_x, unit_x_a, anon_x):
    resource = publish_table(town_x, unit_x_a, dataset="bairros", csv_text=ROWS_CSV)
    text = page(anon_x, "/dataset/bairros/", recurso=str(resource.pk), coluna="valor",
                valor="não é número")  # fmt: skip
    assert 'role="alert"' in text


def test_resource_page_has_a_bigger_preview(town_x, unit_x_a, anon_x):
    resource = publish_table(town_x, unit_x_a, dataset="bairros", csv_text=ROWS_CSV)
    text = page(anon_x, f"/dataset/bairros/recurso/{resource.pk}/")
    assert "Linhas 1 a 25 de 25." in text
    assert text.count("<h1>") == 1
    assert anon_x.get(f"/dataset/outro/recurso/{resource.pk}/").status_code == 404


def test_validation_report_is_published_alongside(town_x, unit_x_a, anon_x):
    csv_text = "nome;valor\n" + "".join(f"item {n};{n},00\n" for n in range(1, 12)) + "x;12,3,4\n"
    publish_table(town_x, unit_x_a, dataset="com-erros", csv_text=csv_text, accept_errors=True)
    text = page(anon_x, "/dataset/com-erros/")
    assert "Relatório de validação: 1 problema encontrado" in text
    assert "12,3,4" in text
    publish_table(town_x, unit_x_a, dataset="sem-erros", csv_text=ROWS_CSV)
    assert "Relatório de validação" not in page(anon_x, "/dataset/sem-erros/")


def test_alternates_jsonld_and_share_card(despesas, anon_x):
    text = page(anon_x, "/dataset/despesas/")
    for suffix, media_type in (("ttl", "text/turtle"), ("rdf", "application/rdf+xml"),
                               ("jsonld", "application/ld+json")):  # fmt: skip
        assert (f'<link rel="alternate" type="{media_type}" title="DCAT-BR'
                in text.replace("\n", "")), suffix  # fmt: skip
        assert f"http://x.paco.test/dataset/despesas.{suffix}" in text
    assert "http://x.paco.test/dataset/despesas/datapackage.json" in text
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    data = json.loads(script.group(1))
    assert data["@type"] == "Dataset" and data["name"] == "Despesas municipais"
    share_image = "http://x.paco.test/static/portal/compartilhar.png"
    for prop, value in (("og:title", "Despesas municipais"),
                        ("og:url", "http://x.paco.test/dataset/despesas/"),
                        ("og:type", "website"), ("og:image", share_image)):  # fmt: skip
        assert f'<meta property="{prop}" content="{value}">' in text
    assert '<meta property="og:description" content="Gastos da Prefeitura' in text
    assert "<script>" not in text and 'style="' not in text


@pytest.mark.parametrize("who", [None, "citizen_a", "data_editor_x", "admin_x", "admin_y"])
def test_drafts_are_not_public_for_anyone(request, town_x, unit_x_a, client_for, who):
    resource = publish_table(town_x, unit_x_a, publish_dataset=False)
    user = request.getfixturevalue(who) if who else None
    client = client_for(user, town_x)
    assert client.get("/dataset/despesas/").status_code == 404
    assert client.get(f"/dataset/despesas/recurso/{resource.pk}/").status_code == 404
    assert client.get(f"/dados/embed/{resource.pk}/").status_code == 404


def test_other_towns_datasets_are_not_found(despesas, town_y, client_for):
    client = client_for(None, town_y)
    assert client.get("/dataset/despesas/").status_code == 404
    assert client.get(f"/dataset/despesas/recurso/{despesas.pk}/").status_code == 404


def test_dataset_page_queries_do_not_grow_with_resources(
    town_x, unit_x_a, anon_x, django_assert_max_num_queries
):
    publish_table(town_x, unit_x_a)
    with django_assert_max_num_queries(40) as one:
        page(anon_x, "/dataset/despesas/")
    for name in ("b", "c", "d"):
        publish_table(town_x, unit_x_a, resource=name)
    with django_assert_max_num_queries(40) as four:
        text = page(anon_x, "/dataset/despesas/")
    assert text.count('class="recurso"') == 4
    assert len(four.captured_queries) <= len(one.captured_queries) + 1, [
        q["sql"] for q in four.captured_queries
    ]


def test_visit_counter_counts_published_datasets_only(despesas, town_x, unit_x_a, anon_x,
                                                       client_for, town_y):  # fmt: skip
    ds = despesas.dataset
    text = page(anon_x, "/dataset/despesas/")
    beacon = f"/dados/visita/{ds.pk}.gif"
    assert f'src="{beacon}"' in text
    for _ in range(3):
        response = anon_x.get(beacon)
        assert response["Content-Type"] == "image/gif" and response["Cache-Control"] == "no-store"
    assert Dataset.objects.get(pk=ds.pk).view_count == 3
    client_for(None, town_y).get(beacon)  # another town's host: not counted
    draft = actions.create_dataset(None, town_x, title="Rascunho", unit=unit_x_a)
    anon_x.get(f"/dados/visita/{draft.pk}.gif")
    assert Dataset.objects.get(pk=ds.pk).view_count == 3
    assert Dataset.objects.get(pk=draft.pk).view_count == 0
    # the most visited list of the home page
    assert "3 visitas" in page(anon_x, "/dados/")
    assert Dataset.objects.get(pk=ds.pk).state == DatasetState.PUBLISHED
