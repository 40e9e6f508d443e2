"""CKAN Action API v3 (read side): envelope, errors, catalogue actions and access."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.test import Client

from paco.opendata.ckan.packages import org_id
from paco.opendata.models import Dataset
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.opendata.tests.ckan_support import UTC, call, make_dataset, result

pytestmark = pytest.mark.django_db

CKAN_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")


@pytest.fixture
def catalogue(town_x, town_y, unit_x_a, unit_x_b, unit_y):
    """Two published datasets in X (units A and B), a draft in X, one in Y."""
    return {
        "despesas": make_dataset(
            town_x,
            unit_x_a,
            "despesas",
            title="Despesas da Saúde",
            description="Empenhos e pagamentos.",
            keywords=["saúde", "despesas"],
            themes=["saude", "economia-e-financas"],
            formats=["csv", "pdf"],
            contact_name="Maria Souza",
            contact_email="maria@x.gov.br",
            periodicity="MENSAL",
            temporal_start=datetime.date(2024, 1, 1),
            version="2.1",
        ),
        "obras": make_dataset(
            town_x, unit_x_b, "obras", title="Obras públicas", keywords=["obras"], formats=["xlsx"]
        ),
        "rascunho": make_dataset(
            town_x, unit_x_a, "rascunho", keywords=["segredo"], themes=["cultura"], published=False
        ),
        "frota-y": make_dataset(
            town_y, unit_y, "frota-y", keywords=["frota"], themes=["transportes"], formats=["csv"]
        ),
    }


# --- envelope, paths and errors -----------------------------------------------------
@pytest.mark.parametrize("prefix", ["/api/3/action/", "/api/action/"])
def test_envelope_on_both_paths_get_and_post(catalogue, anon_x, prefix):
    got = anon_x.get(prefix + "package_list")
    posted = anon_x.post(prefix + "package_list", "{}", content_type="application/json")
    for response in (got, posted):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response["Access-Control-Allow-Origin"] == "*"
        body = response.json()
        assert body["success"] is True
        assert body["result"] == ["despesas", "obras"]
        assert body["help"].startswith("http://x.paco.test/api/3/action/help_show?name=")


def test_help_show_documents_the_action(anon_x):
    help_text = result(anon_x, "help_show", name="package_search")
    assert "rows" in help_text
    status, body = call(anon_x, "help_show", name="nao_existe")
    assert status == 404 and body["error"]["__type"] == "Not Found Error"


@pytest.mark.parametrize("prefix", ["/api/3/action/", "/api/action/"])
def test_unknown_action_answers_in_pt_br_with_ckans_error_shape(anon_x, prefix):
    response = anon_x.get(f"{prefix}nao_existe")
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    error = body["error"]
    assert set(error) == {"__type", "message"} and error["__type"] == "Bad Request"
    message = error["message"]
    assert message.startswith("Ação desconhecida: “nao_existe” não é uma ação desta API.")
    assert "Ações disponíveis: " in message and "package_search" in message
    assert "help" in body and "result" not in body


@pytest.mark.parametrize("body", ["{não é json", "[1, 2]", '"texto"'])
def test_malformed_body_is_bad_request(anon_x, body):
    response = anon_x.post("/api/3/action/package_list", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json().startswith("Bad request - ")


def test_form_post_and_json_in_form_key(catalogue, anon_x):
    form = anon_x.post("/api/3/action/package_show", {"id": "obras"})
    assert form.status_code == 200 and form.json()["result"]["name"] == "obras"
    legacy = anon_x.post("/api/3/action/package_show", {json.dumps({"id": "despesas"}): "1"})
    assert legacy.status_code == 200 and legacy.json()["result"]["name"] == "despesas"


def test_missing_id_is_validation_error(anon_x):
    status, body = call(anon_x, "package_show")
    assert status == 409
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert body["error"]["id"] == ["Valor ausente"]


@pytest.mark.parametrize("method", ["get", "post"])
def test_invalid_integer_is_validation_error(anon_x, method):
    status, body = call(anon_x, "package_list", method, limit="muitos")
    assert status == 409 and body["error"]["limit"] == ["Número inteiro inválido"]


def test_options_preflight_allows_json_posts(anon_x):
    response = anon_x.options("/api/3/action/package_search")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "Content-Type" in response["Access-Control-Allow-Headers"]


def test_put_is_refused(anon_x):
    response = anon_x.put("/api/3/action/package_list", "{}", content_type="application/json")
    assert response.status_code == 405


# --- packages -----------------------------------------------------------------------
def test_package_list_limit_offset(catalogue, anon_x):
    assert result(anon_x, "package_list", limit=1) == ["despesas"]
    assert result(anon_x, "package_list", limit=5, offset=1) == ["obras"]
    assert result(anon_x, "package_list", "post", limit=1, offset=1) == ["obras"]


def test_package_show_has_ckan_fields(catalogue, anon_x, unit_x_a):
    ds = catalogue["despesas"]
    pkg = result(anon_x, "package_show", id="despesas")
    assert result(anon_x, "package_show", "post", id=str(ds.pk)) == pkg
    assert pkg["id"] == str(ds.pk) and pkg["name"] == "despesas"
    assert pkg["title"] == "Despesas da Saúde" and pkg["notes"] == "Empenhos e pagamentos."
    assert (pkg["state"], pkg["type"], pkg["private"]) == ("active", "dataset", False)
    assert pkg["maintainer"] == "Maria Souza" and pkg["maintainer_email"] == "maria@x.gov.br"
    assert pkg["author"] == unit_x_a.name
    assert pkg["license_id"] == "cc-by"
    assert pkg["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "CC-BY" in pkg["license_title"]
    assert pkg["version"] == "2.1"
    assert pkg["url"] == "http://x.paco.test/dataset/despesas/"
    for stamp in (pkg["metadata_created"], pkg["metadata_modified"]):
        assert CKAN_TIMESTAMP.match(stamp), stamp
    modified = Dataset.objects.get(pk=ds.pk).modified_at.astimezone(UTC).replace(tzinfo=None)
    assert datetime.datetime.fromisoformat(pkg["metadata_modified"]) == modified
    assert sorted(t["name"] for t in pkg["tags"]) == ["despesas", "saúde"]
    assert pkg["num_tags"] == 2
    assert all({"id", "name", "display_name"} <= set(t) for t in pkg["tags"])
    assert sorted(g["name"] for g in pkg["groups"]) == ["economia-e-financas", "saude"]
    assert {g["title"] for g in pkg["groups"]} == {"Saúde", "Economia e finanças"}
    assert all(
        {"id", "display_name", "description", "image_display_url"} <= set(g) for g in pkg["groups"]
    )
    org = pkg["organization"]
    assert org["name"] == unit_x_a.slug and org["title"] == unit_x_a.name
    assert org["is_organization"] is True and org["type"] == "organization"
    assert org["state"] == "active"
    assert pkg["owner_org"] == org["id"] == org_id(unit_x_a)
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert extras["frequency"].endswith("/freq/monthly")
    assert extras["spatial_code"] == "4219507"
    assert extras["temporal_start"] == "2024-01-01"
    assert extras["access_rights"].endswith("/SEI/1")
    assert json.loads(extras["theme"]) and all(isinstance(v, str) for v in extras.values())
    assert pkg["num_resources"] == 2 == len(pkg["resources"])
    first = pkg["resources"][0]
    assert first["format"] == "CSV" and first["position"] == 0
    assert first["url"] == "https://dados.exemplo.gov.br/despesas/1.csv"
    assert first["package_id"] == str(ds.pk)
    assert first["datastore_active"] is False and first["url_type"] is None
    assert pkg["resources"][1]["position"] == 1


@pytest.mark.parametrize("name", ["rascunho", "frota-y", "nada"])
def test_package_show_hides_drafts_and_other_towns(catalogue, anon_x, name):
    status, body = call(anon_x, "package_show", id=name)
    assert status == 404
    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"
    assert body["error"]["message"].startswith("Não encontrado")
    status, _ = call(anon_x, "package_show", id=str(catalogue[name].pk) if name != "nada" else "x")
    assert status == 404


def test_current_package_list_with_resources(catalogue, anon_x, town_x, unit_x_a):
    Dataset.objects.filter(name="obras").update(
        modified_at=datetime.datetime(2030, 1, 1, tzinfo=UTC)
    )
    listed = result(anon_x, "current_package_list_with_resources")
    assert [p["name"] for p in listed] == ["obras", "despesas"]
    assert [len(p["resources"]) for p in listed] == [1, 2]
    assert [
        p["name"] for p in result(anon_x, "current_package_list_with_resources", limit=1, offset=1)
    ] == ["despesas"]
    assert [
        p["name"] for p in result(anon_x, "current_package_list_with_resources", limit=1, page=2)
    ] == ["despesas"]


def test_package_lists_keep_a_constant_number_of_queries(
    town_x, unit_x_a, anon_x, django_assert_max_num_queries
):
    for i in range(3):
        make_dataset(town_x, unit_x_a, f"pequeno-{i}", formats=["csv", "json"], themes=["saude"])
    with django_assert_max_num_queries(12) as small:
        result(anon_x, "current_package_list_with_resources", limit=1000)
        result(anon_x, "package_search", rows=1000)
    for i in range(25):
        make_dataset(
            town_x,
            unit_x_a,
            f"grande-{i}",
            formats=["csv", "json", "pdf"],
            themes=["saude", "cultura"],
        )
    with django_assert_max_num_queries(len(small)):
        listed = result(anon_x, "current_package_list_with_resources", limit=1000)
        searched = result(anon_x, "package_search", rows=1000)
    assert len(listed) == 28 and searched["count"] == 28 and len(searched["results"]) == 28


# --- organizations, groups, tags ----------------------------------------------------------
def test_organization_list_only_units_that_publish(catalogue, anon_x, unit_x_a, unit_x_b):
    assert result(anon_x, "organization_list") == sorted([unit_x_a.slug, unit_x_b.slug])
    full = result(anon_x, "organization_list", all_fields="true", sort="package_count desc")
    assert [(o["name"], o["package_count"]) for o in full] == [
        (unit_x_a.slug, 1),
        (unit_x_b.slug, 1),
    ]
    assert all(o["is_organization"] and o["type"] == "organization" for o in full)


def test_organization_show(catalogue, anon_x, unit_x_a, unit_x_root):
    org = result(anon_x, "organization_show", id=unit_x_a.slug)
    assert org["id"] == org_id(unit_x_a) and org["package_count"] == 1
    assert "packages" not in org
    by_id = result(anon_x, "organization_show", id=org["id"], include_datasets="true")
    assert [p["name"] for p in by_id["packages"]] == ["despesas"]
    for missing in (unit_x_root.slug, "gy", "nada"):  # no published dataset / other town / none
        status, body = call(anon_x, "organization_show", id=missing)
        assert status == 404 and body["error"]["__type"] == "Not Found Error"


def test_groups_are_dcat_br_themes(catalogue, anon_x):
    names = result(anon_x, "group_list")
    assert "saude" in names and "cultura" in names and len(names) == 26
    full = {g["name"]: g for g in result(anon_x, "group_list", all_fields=True)}
    assert full["saude"]["package_count"] == 1
    assert full["cultura"]["package_count"] == 0  # only a draft uses it
    assert full["transportes"]["package_count"] == 0  # only town Y uses it
    group = result(anon_x, "group_show", id="saude", include_datasets=True)
    assert group["title"] == "Saúde" and [p["name"] for p in group["packages"]] == ["despesas"]
    assert result(anon_x, "group_show", id=group["id"])["name"] == "saude"
    assert call(anon_x, "group_show", id="nada")[0] == 404


def test_tag_list(catalogue, anon_x):
    assert result(anon_x, "tag_list") == ["despesas", "obras", "saúde"]
    assert result(anon_x, "tag_list", query="SAU") == ["saúde"]
    assert result(anon_x, "tag_list", query="sa") == ["despesas", "saúde"]  # substring, as CKAN
    tags = result(anon_x, "tag_list", all_fields=True)
    assert {t["name"] for t in tags} == {"despesas", "obras", "saúde"}
    assert all(t["id"] and t["display_name"] == t["name"] for t in tags)


# --- resources ------------------------------------------------------------------------------
@pytest.mark.usefixtures("opendata_storage")
def test_resource_show_of_a_datastore_table(town_x, unit_x_a, anon_x):
    resource = publish_table(town_x, unit_x_a)
    version = resource.current_version
    res = result(anon_x, "resource_show", id=str(resource.pk))
    assert res["id"] == str(resource.pk) and res["package_id"] == str(resource.dataset_id)
    assert res["datastore_active"] is True and res["url_type"] == "upload"
    assert res["format"] == "CSV" and res["position"] == 0
    assert res["size"] == version.size and res["hash"] == version.sha256
    assert res["url"].startswith("http://x.paco.test/") and str(resource.pk) in res["url"]
    assert CKAN_TIMESTAMP.match(res["created"]) and CKAN_TIMESTAMP.match(res["last_modified"])
    pkg = result(anon_x, "package_show", id=resource.dataset.name)
    assert pkg["resources"] == [res]


def test_resource_show_hides_drafts_and_other_towns(catalogue, anon_x, town_x, unit_x_a):
    from paco.opendata import actions

    draft_res = actions.create_resource(
        None, catalogue["rascunho"], title="Link", kind="link", url="https://exemplo.gov.br/a.csv"
    )
    y_res = catalogue["frota-y"].resources.get()
    for resource_id in (str(draft_res.pk), str(y_res.pk), "nao-e-uuid"):
        status, body = call(anon_x, "resource_show", id=resource_id)
        assert status == 404 and body["error"]["__type"] == "Not Found Error"


# --- site ---------------------------------------------------------------------------------------
def test_status_show_and_util_status(anon_x, town_x):
    status = result(anon_x, "status_show")
    assert status["ckan_version"].startswith("2.10.")
    assert set(status["extensions"]) >= {"datastore", "dcat"}
    assert town_x.name in status["site_title"]
    assert status["site_url"] == "http://x.paco.test"
    util = anon_x.get("/api/util/status")
    assert util.status_code == 200 and util.json() == status
    assert result(anon_x, "site_read") is True
    assert anon_x.get("/api/3").json() == {"version": 3}
    licenses = {lic["id"] for lic in result(anon_x, "license_list")}
    assert {"cc-by", "cc-zero"} <= licenses


# --- access: session cookies, CSRF, towns -------------------------------------------------------
def test_post_with_session_cookie_and_no_csrf_grants_nothing(catalogue, admin_x, town_x):
    client = Client(HTTP_HOST="x.paco.test", enforce_csrf_checks=True)
    client.force_login(admin_x)
    listed = client.post("/api/3/action/package_list", "{}", content_type="application/json")
    assert listed.status_code == 200 and listed.json()["result"] == ["despesas", "obras"]
    draft = client.post(
        "/api/3/action/package_show",
        json.dumps({"id": "rascunho"}),
        content_type="application/json",
    )
    assert draft.status_code == 404
    search = client.post(
        "/api/3/action/package_search",
        json.dumps({"q": "segredo", "include_private": True, "include_drafts": True}),
        content_type="application/json",
    )
    assert search.status_code == 200 and search.json()["result"]["count"] == 0


@pytest.mark.parametrize("who", [None, "citizen_a", "data_editor_x", "admin_x", "admin_y"])
def test_every_caller_sees_the_same_public_catalogue(catalogue, request, client_for, town_x, who):
    user = request.getfixturevalue(who) if who else None
    client = client_for(user, town_x)
    assert result(client, "package_list") == ["despesas", "obras"]
    assert result(client, "package_search", q="segredo")["count"] == 0


def test_town_y_sees_only_its_own(catalogue, client_for, town_y):
    client = client_for(None, town_y)
    assert result(client, "package_list") == ["frota-y"]
    assert result(client, "tag_list") == ["frota"]
    assert call(client, "package_show", id="despesas")[0] == 404


def test_anonymous_gets_are_cached_until_the_catalogue_changes(
    catalogue, anon_x, settings, town_x, unit_x_a, django_capture_on_commit_callbacks
):
    settings.PACO_PAGE_CACHE_SECONDS = 60
    first = anon_x.get("/api/3/action/package_list")
    again = anon_x.get("/api/3/action/package_list")
    assert first["X-Paco-Cache"] == "miss" and again["X-Paco-Cache"] == "hit"
    assert again["Access-Control-Allow-Origin"] == "*"
    assert again.json() == first.json()
    posted = anon_x.post("/api/3/action/package_list", "{}", content_type="application/json")
    assert "X-Paco-Cache" not in posted
    with django_capture_on_commit_callbacks(execute=True):
        make_dataset(town_x, unit_x_a, "nova")
    fresh = anon_x.get("/api/3/action/package_list")
    assert fresh.json()["result"] == ["despesas", "nova", "obras"]
