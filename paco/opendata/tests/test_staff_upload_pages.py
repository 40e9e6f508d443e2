"""Staff pages at /dados/gestao/: access matrix, dataset form, upload, review, publish,
dictionary and tokens."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from paco.accounts.models import ApiToken
from paco.audit.models import AuditEntry
from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState, Resource, ResourceVersion, VersionStatus
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

PERSONAL = "nome;cpf;valor\nMaria da Silva;529.982.247-25;10,00\nJoão Souza;111.444.777-35;20,00\n"
PERSONAL += "Ana Lima;935.411.347-80;30,00\nPedro Alves;248.438.034-80;5,00\n"


@pytest.fixture
def dataset_a(town_x, unit_x_a):
    return actions.create_dataset(None, town_x, title="Despesas", unit=unit_x_a, name="despesas")


@pytest.fixture
def published(town_x, unit_x_a):
    return publish_table(town_x, unit_x_a)


def upload(client, name, content, filename="dados.csv", **extra):
    data = {"resource": extra.pop("resource", "__novo__"), "new_title": "Dados", **extra}
    data["file"] = SimpleUploadedFile(filename, content.encode("utf-8"), "text/csv")
    return client.post(reverse("pipeline:upload", args=[name]), data)


# --- access matrix ------------------------------------------------------------
@pytest.mark.parametrize(
    "who, status",
    [
        ("citizen_a", 404),
        ("plan_editor_x", 403),  # the town's own staff: 403 with the missing role
        ("data_editor_x", 200),
        ("data_editor_x_other", 403),
        ("admin_x", 200),
        ("admin_y", 404),
    ],
)
def test_dataset_pages_access_matrix(request, client_for, town_x, published, who, status):
    user = request.getfixturevalue(who)
    client = client_for(user, town_x)
    version = published.current_version
    urls = [
        reverse("pipeline:dataset", args=["despesas"]),
        reverse("pipeline:dataset-edit", args=["despesas"]),
        reverse("pipeline:upload", args=["despesas"]),
        reverse("pipeline:version", args=[published.pk, version.number]),
        reverse("pipeline:version-status", args=[published.pk, version.number]),
        reverse("pipeline:dictionary", args=[published.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    "who, status",
    [("citizen_a", 404), ("plan_editor_x", 403), ("data_editor_x_other", 200), ("admin_y", 404)],
)
def test_home_and_tokens_need_the_data_editor_role_in_this_town(
    request, client_for, town_x, who, status
):
    client = client_for(request.getfixturevalue(who), town_x)
    assert client.get(reverse("pipeline:home")).status_code == status
    assert client.get(reverse("pipeline:tokens")).status_code == status


def test_anonymous_is_sent_to_login(anon_x, published):
    for url in [reverse("pipeline:home"), reverse("pipeline:upload", args=["despesas"])]:
        response = anon_x.get(url)
        assert response.status_code == 302 and "/conta/entrar/" in response["Location"]


def test_home_lists_only_covered_datasets(client_for, town_x, unit_x_a, unit_x_b, data_editor_x):
    actions.create_dataset(None, town_x, title="Obras da unidade A", unit=unit_x_a)
    actions.create_dataset(None, town_x, title="Frota da unidade B", unit=unit_x_b)
    page = client_for(data_editor_x, town_x).get(reverse("pipeline:home")).content.decode()
    assert "Obras da unidade A" in page and "Frota da unidade B" not in page


def test_other_unit_editor_cannot_post_anything(client_for, town_x, published, data_editor_x_other):
    client = client_for(data_editor_x_other, town_x)
    version = published.current_version
    before = ResourceVersion.objects.count()
    refused = upload(client, "despesas", "a;b\n1;2\n")
    assert refused.status_code == 403
    assert "Você não tem o papel Editor de dados abertos na unidade" in refused.content.decode()
    url = reverse("pipeline:version-publish", args=[published.pk, version.number])
    assert client.post(url, {"accept_errors": "on"}).status_code == 403
    assert ResourceVersion.objects.count() == before


# --- dataset form -------------------------------------------------------------
def test_editor_creates_and_edits_a_dataset(client_for, town_x, unit_x_a, data_editor_x):
    client = client_for(data_editor_x, town_x)
    form = {
        "title": "Frota municipal",
        "name": "",
        "description": "Veículos da prefeitura.",
        "unit": unit_x_a.pk,
        "license": "cc-by",
        "access_rights": "1",
        "periodicity": "",
        "keywords_text": "frota, veículos",
    }
    response = client.post(reverse("pipeline:dataset-create"), form)
    assert response.status_code == 302
    ds = Dataset.objects.get(municipality=town_x, name="frota-municipal")
    assert ds.state == DatasetState.DRAFT and ds.keywords == ["frota", "veículos"]
    form["title"] = "Frota de veículos"
    response = client.post(reverse("pipeline:dataset-edit", args=[ds.name]), form)
    assert response.status_code == 302
    assert Dataset.objects.get(pk=ds.pk).title == "Frota de veículos"
    assert AuditEntry.objects.filter(action="dataset.update", actor=data_editor_x).exists()


def test_editor_cannot_create_in_a_unit_they_do_not_cover(
    client_for, town_x, unit_x_b, data_editor_x
):
    client = client_for(data_editor_x, town_x)
    form = {"title": "Frota", "unit": unit_x_b.pk, "license": "cc-by", "access_rights": "1"}
    response = client.post(reverse("pipeline:dataset-create"), form)
    assert response.status_code == 200
    assert not Dataset.objects.filter(title="Frota").exists()


# --- upload, review, publish --------------------------------------------------
def test_upload_processes_and_stays_ready_until_published(
    client_for, town_x, dataset_a, data_editor_x, django_capture_on_commit_callbacks
):
    client = client_for(data_editor_x, town_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "despesas", "item;valor\nCaneta;1,50\nPapel;2,00\n")
    assert response.status_code == 302
    version = ResourceVersion.objects.get(resource__dataset=dataset_a)
    assert response["Location"] == reverse(
        "pipeline:version", args=[version.resource_id, version.number]
    )
    assert version.status == VersionStatus.READY and version.rows == 2
    assert version.created_by == data_editor_x
    page = client.get(response["Location"]).content.decode()
    assert "Nenhum problema encontrado" in page and "Publicar a versão 1" in page
    assert (
        '<td data-label="Tipo">número</td>' in page and ">number</td>" not in page
    )  # types in Portuguese
    url = reverse("pipeline:version-publish", args=[version.resource_id, 1])
    assert client.post(url, {"publish_dataset": "on"}).status_code == 302
    resource = Resource.objects.get(pk=version.resource_id)
    assert resource.current_version_id == version.pk
    assert resource.dataset.state == DatasetState.PUBLISHED


def test_upload_checks_csrf_itself(town_x, dataset_a, data_editor_x):
    # The view is exempt from the middleware (whose check would read the body before the
    # on-disk upload handler is installed) and runs the same check once it is.
    client = Client(HTTP_HOST=town_x.host_list()[0], enforce_csrf_checks=True)
    client.force_login(data_editor_x)
    url = reverse("pipeline:upload", args=["despesas"])
    without = upload(client, "despesas", "item;valor\nCaneta;1,50\n")
    assert without.status_code == 403
    assert not ResourceVersion.objects.filter(resource__dataset=dataset_a).exists()
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()
    )
    assert token is not None
    sent = upload(client, "despesas", "item;valor\nCaneta;1,50\n", csrfmiddlewaretoken=token[1])
    assert sent.status_code == 302
    assert ResourceVersion.objects.filter(resource__dataset=dataset_a).count() == 1


def test_auto_publish_checkbox_publishes_a_clean_file(
    client_for, town_x, dataset_a, data_editor_x, django_capture_on_commit_callbacks
):
    client = client_for(data_editor_x, town_x)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "despesas", "item;valor\nCaneta;1,50\n", auto_publish="on")
    resource = Resource.objects.get(dataset=dataset_a)
    assert resource.current_version is not None
    assert resource.current_version.status == VersionStatus.PUBLISHED


def test_version_with_errors_needs_the_confirmation(
    client_for, town_x, dataset_a, data_editor_x, django_capture_on_commit_callbacks
):
    client = client_for(data_editor_x, town_x)
    rows = "".join(f"Item {i};{i},50\n" for i in range(30)) + "Ruim;doze\n"
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "despesas", "item;valor\n" + rows, auto_publish="on")
    version = ResourceVersion.objects.get(resource__dataset=dataset_a)
    assert version.status == VersionStatus.READY, "errors block auto-publication from the form"
    assert version.report["error_count"] >= 1
    page_url = reverse("pipeline:version", args=[version.resource_id, 1])
    page = client.get(page_url).content.decode()
    assert "Linha 32" in page and "publicar mesmo com erros" in page.lower()
    url = reverse("pipeline:version-publish", args=[version.resource_id, 1])
    refused = client.post(url, {})
    assert refused.status_code == 400 and "mesmo assim" in refused.content.decode()
    assert client.post(url, {"accept_errors": "on"}).status_code == 302
    assert Resource.objects.get(pk=version.resource_id).current_version_id == version.pk


def test_personal_data_review_then_treatment_then_publish(
    client_for, town_x, dataset_a, data_editor_x, django_capture_on_commit_callbacks
):
    client = client_for(data_editor_x, town_x)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "despesas", PERSONAL, auto_publish="on")
    version = ResourceVersion.objects.get(resource__dataset=dataset_a)
    assert version.status == VersionStatus.NEEDS_REVIEW
    assert Resource.objects.get(pk=version.resource_id).current_version is None
    page_url = reverse("pipeline:version", args=[version.resource_id, 1])
    page = client.get(page_url).content.decode()
    assert "Decisão sobre os dados pessoais" in page and "cpf" in page
    publish_url = reverse("pipeline:version-publish", args=[version.resource_id, 1])
    assert client.post(publish_url, {"accept_errors": "on"}).status_code in (400, 200)
    assert Resource.objects.get(pk=version.resource_id).current_version is None
    columns = [f["name"] for f in version.schema["fields"]]
    form = {"decision": "tratamento"}
    form[f"t_{columns.index('cpf')}"] = "drop"
    form[f"t_{columns.index('nome')}"] = "mask"
    lgpd_url = reverse("pipeline:version-lgpd", args=[version.resource_id, 1])
    assert client.post(lgpd_url, form).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.READY
    assert [f["name"] for f in version.schema["fields"]] == ["nome", "valor"]
    assert version.lgpd_decision["treatments"] == {"cpf": "drop", "nome": "mask"}
    entry = AuditEntry.objects.get(action="version.lgpd")
    assert entry.actor == data_editor_x and "treatments" in str(entry.changes)
    assert client.post(publish_url, {}).status_code == 302


def test_status_json_reports_progress(client_for, town_x, published, data_editor_x):
    client = client_for(data_editor_x, town_x)
    url = reverse("pipeline:version-status", args=[published.pk, 1])
    body = client.get(url).json()
    assert body["status"] == "published" and body["finished"] is True and body["current"]
    assert body["rows"] == published.current_version.rows


def test_unfinished_version_page_refreshes_without_javascript(
    client_for, town_x, published, data_editor_x
):
    version = published.current_version
    ResourceVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PROCESSING)
    page = client_for(data_editor_x, town_x).get(
        reverse("pipeline:version", args=[published.pk, 1])
    )
    html = page.content.decode()
    assert '<meta http-equiv="refresh"' in html and "<progress" in html


def test_pages_have_no_inline_script_or_style(client_for, town_x, published, data_editor_x):
    client = client_for(data_editor_x, town_x)
    urls = [
        reverse("pipeline:home"),
        reverse("pipeline:dataset", args=["despesas"]),
        reverse("pipeline:upload", args=["despesas"]),
        reverse("pipeline:version", args=[published.pk, 1]),
        reverse("pipeline:dictionary", args=[published.pk]),
        reverse("pipeline:tokens"),
        reverse("pipeline:dataset-create"),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "style=" not in html, url
        assert html.count("<h1") == 1, url


def test_dataset_page_query_count_is_bounded(
    client_for, town_x, unit_x_a, data_editor_x, django_assert_max_num_queries
):
    for n in range(3):
        publish_table(town_x, unit_x_a, resource=f"r{n}")
    publish_table(town_x, unit_x_a, resource="r0")
    client = client_for(data_editor_x, town_x)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("pipeline:dataset", args=["despesas"])).status_code == 200


def test_home_query_count_does_not_grow_with_datasets(
    client_for, town_x, unit_x_a, data_editor_x, django_assert_max_num_queries
):
    for n in range(6):
        actions.create_dataset(None, town_x, title=f"Conjunto {n}", unit=unit_x_a)
    client = client_for(data_editor_x, town_x)
    # the staff shell: the servant's roles and units (2), the unread notices counter (1)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("pipeline:home")).content.decode()
    assert page.count("Conjunto ") == 6


# --- dictionary ---------------------------------------------------------------
def test_dictionary_editor_saves_entries(client_for, town_x, published, data_editor_x):
    client = client_for(data_editor_x, town_x)
    columns = [f["name"] for f in published.current_version.schema["fields"]]
    index = columns.index("valor")
    data = {f"c{index}_title": "Valor pago", f"c{index}_unit": "R$", f"c{index}_required": "on"}
    response = client.post(reverse("pipeline:dictionary", args=[published.pk]), data)
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.dictionary == {
        "valor": {"title": "Valor pago", "unit": "R$", "constraints": {"required": True}}
    }


def test_dictionary_editor_saves_constraints_as_staff_type_them(
    client_for, town_x, published, data_editor_x
):
    client = client_for(data_editor_x, town_x)
    columns = [f["name"] for f in published.current_version.schema["fields"]]
    valor, data_ = columns.index("valor"), columns.index("data")
    url = reverse("pipeline:dictionary", args=[published.pk])
    form = {
        f"c{valor}_minimum": "0",
        f"c{valor}_maximum": "1.234,56",
        f"c{valor}_unique": "on",
        f"c{data_}_minimum": "01/01/2024",
    }
    assert client.post(url, form).status_code == 302
    published.refresh_from_db()
    assert published.dictionary == {
        "valor": {"constraints": {"unique": True, "minimum": "0", "maximum": "1234.56"}},
        "data": {"constraints": {"minimum": "2024-01-01"}},
    }
    page = client.get(url).content.decode()
    assert 'value="1234,56"' in page and 'value="01/01/2024"' in page
    assert "(tipo detectado: número)" in page and "(tipo detectado: data)" in page


def test_dictionary_editor_explains_a_limit_it_cannot_use(
    client_for, town_x, published, data_editor_x
):
    client = client_for(data_editor_x, town_x)
    columns = [f["name"] for f in published.current_version.schema["fields"]]
    index = columns.index("valor")
    response = client.post(
        reverse("pipeline:dictionary", args=[published.pk]), {f"c{index}_maximum": "muito"}
    )
    assert response.status_code == 200
    assert "A restrição “máximo” da coluna “valor” tem um valor inválido" in (
        response.content.decode()
    )
    published.refresh_from_db()
    assert published.dictionary == {}


# --- tokens -------------------------------------------------------------------
def test_token_is_shown_once_and_can_be_revoked(client_for, town_x, data_editor_x):
    client = client_for(data_editor_x, town_x)
    page = client.post(reverse("pipeline:tokens"), {"name": "ERP noturno"}).content.decode()
    secret = re.search(r'value="(paco_[^"]+)"', page)
    assert secret is not None
    token = ApiToken.objects.get(user=data_editor_x)
    assert secret.group(1) not in client.get(reverse("pipeline:tokens")).content.decode()
    assert token.digest != secret.group(1)
    assert client.post(reverse("pipeline:token-revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(client_for, town_x, data_editor_x, admin_x):
    from paco.accounts.tokens import create_token

    token, _ = create_token(None, town_x, admin_x, "do admin")
    client = client_for(data_editor_x, town_x)
    assert client.post(reverse("pipeline:token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
