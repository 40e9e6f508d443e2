"""§1 of issue 8: an original with personal data is never public; flagged versions never
publish themselves. The first bullet of "Why → Personal data", as tests."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from paco.opendata.models import ResourceVersion, VersionStatus
from paco.opendata.pipeline import processing
from paco.opendata.pipeline.actions import decide_lgpd, publish_version, submit_version
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.exposure_town import CPFS, NAMES, ExposureTown, build

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]


@pytest.fixture
def exposed(town_x, unit_x_a, data_editor_x, admin_x) -> ExposureTown:
    return build(town_x, unit_x_a, data_editor_x, admin_x)


def original_path(version: ResourceVersion) -> str:
    return reverse("datastore:original", args=[version.resource_id, version.number])


def test_treated_and_published_original_is_not_served_to_the_public(exposed, anon_x):
    for version in (exposed.published, exposed.superseded):
        assert version.published_at is not None and not version.original_is_public
        response = anon_x.get(original_path(version))
        assert response.status_code == 404
        assert "immutable" not in response.get("Cache-Control", "")


def test_staff_of_the_unit_get_the_original_uncached(exposed, client_for, data_editor_x):
    for user, version in [(data_editor_x, exposed.published), (data_editor_x, exposed.pending)]:
        response = client_for(user, exposed.town).get(original_path(version))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert CPFS[0].encode() in b"".join(response.streaming_content)


def test_other_staff_and_citizens_do_not(exposed, client_for, data_editor_x_other, citizen_a):
    for user in (data_editor_x_other, citizen_a):
        response = client_for(user, exposed.town).get(original_path(exposed.published))
        assert response.status_code == 404


def test_a_clean_original_stays_public_and_immutable(exposed, anon_x):
    version = exposed.clean.current_version
    assert version is not None and version.original_is_public
    response = anon_x.get(original_path(version))
    assert response.status_code == 200 and "immutable" in response["Cache-Control"]


def test_versions_published_before_the_rule_are_covered(exposed, anon_x):
    """The rule reads the stored screening: an old row (no new field) is withheld too."""
    legacy = exposed.published
    ResourceVersion.objects.filter(pk=legacy.pk).update(lgpd_decision={})
    legacy.refresh_from_db()
    assert legacy.personal_data and not legacy.original_is_public
    assert anon_x.get(original_path(legacy)).status_code == 404
    public = ResourceVersion.objects.filter(resource=exposed.folha).with_public_original()
    assert not public.exists()


def _no_original_link(text: str, exposed: ExposureTown) -> None:
    for version in (exposed.superseded, exposed.published, exposed.pending):
        assert original_path(version) not in text


def test_no_surface_advertises_the_original(exposed, anon_x):
    folha = exposed.folha
    export = reverse("datastore:export", args=[folha.pk, "csv"])
    page = anon_x.get(reverse("portal:dataset", args=["servidores"])).content.decode()
    _no_original_link(page, exposed)
    assert "não é publicado porque continha dados pessoais" in page
    assert export in page
    for action in ("package_show?id=servidores", f"resource_show?id={folha.pk}"):
        body = anon_x.get("/api/3/action/" + action).json()["result"]
        resource = body["resources"][0] if "resources" in body else body
        assert resource["url"].endswith(export), resource["url"]
        assert resource["format"] == "CSV" and resource["mimetype"] == "text/csv"
        _no_original_link(json.dumps(body), exposed)
    for fmt in ("ttl", "rdf", "jsonld"):
        rdf = anon_x.get(reverse("dcat:dataset", args=["servidores", fmt])).content.decode()
        _no_original_link(rdf, exposed)
        assert export in rdf
    datapackage = anon_x.get(reverse("dcat:datapackage", args=["servidores"])).json()
    _no_original_link(json.dumps(datapackage), exposed)
    assert datapackage["resources"][0]["path"].endswith(export)


def test_schema_org_content_url_is_the_treated_export(exposed, anon_x):
    page = anon_x.get(reverse("portal:dataset", args=["servidores"])).content.decode()
    start = page.index('<script type="application/ld+json">')
    data: dict[str, Any] = json.loads(page[start:].split(">", 1)[1].split("</script>", 1)[0])
    urls = [d["contentUrl"] for d in data["distribution"]]
    assert urls and all("/dados." in u for u in urls), urls
    _no_original_link(json.dumps(data), exposed)


def test_treated_exports_hold_no_cpf_nor_name(exposed, anon_x):
    for number in ("", "?versao=1", "?versao=2"):
        url = reverse("datastore:export", args=[exposed.folha.pk, "csv"]) + number
        body = b"".join(anon_x.get(url).streaming_content).decode()
        assert not any(cpf in body for cpf in CPFS) and not any(n in body for n in NAMES)


# --- a version with any finding never publishes itself --------------------------------
def test_flagged_version_is_never_published_automatically(exposed, data_editor_x):
    pending = exposed.pending
    assert (
        pending.status == VersionStatus.NEEDS_REVIEW and pending.report["options"]["auto_publish"]
    )
    decide_lgpd(data_editor_x, pending, treatments={"cpf": "drop"})
    pending.refresh_from_db()
    assert pending.status == VersionStatus.READY  # decided, but still nobody published it
    with pytest.raises(ValidationError, match="dados pessoais"):
        publish_version(data_editor_x, pending, automatic=True)
    processing._auto_publish(pending)  # what the worker runs after processing
    pending.refresh_from_db()
    assert pending.status == VersionStatus.READY and pending.published_at is None
    publish_version(data_editor_x, pending)  # a person decides and publishes
    pending.refresh_from_db()
    assert pending.status == VersionStatus.PUBLISHED


def test_screening_finding_on_a_ready_version_still_holds_it(town_x, unit_x_a, data_editor_x):
    """Whatever status a finding came with, the rule reads the findings themselves."""
    from paco.opendata import actions

    dataset = actions.create_dataset(data_editor_x, town_x, title="T", unit=unit_x_a, name="t")
    resource = actions.create_resource(data_editor_x, dataset, title="R", name="r")
    version = submit_version(
        data_editor_x,
        resource,
        io.BytesIO(b"a;b\n1;2\n"),
        "t.csv",
        auto_publish=True,
        enqueue=False,
    )
    version = processing.run_version(version.pk)
    assert version is not None and version.status == VersionStatus.PUBLISHED  # clean: itself
    again = submit_version(
        data_editor_x,
        resource,
        io.BytesIO(b"a;b\n1;2\n"),
        "t.csv",
        auto_publish=True,
        enqueue=False,
    )
    ResourceVersion.objects.filter(pk=again.pk).update(
        status=VersionStatus.READY, personal_data=[{"column": "a", "kind": "cpf"}]
    )
    again.refresh_from_db()
    processing._auto_publish(again)
    again.refresh_from_db()
    assert again.published_at is None


def test_staff_version_page_links_the_restricted_original(exposed, client_for, data_editor_x):
    version = exposed.pending
    url = reverse("pipeline:version", args=[version.resource_id, version.number])
    page = client_for(data_editor_x, exposed.town).get(url).content.decode()
    assert f'href="{original_path(version)}"' in page
    assert "só a equipe o acessa" in page


def test_token_api_upload_with_personal_data_waits_and_says_why(
    town_x, unit_x_a, data_editor_x, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from paco.accounts.tokens import create_token
    from paco.opendata import actions
    from paco.opendata.tests.exposure_town import FOLHA

    dataset = actions.create_dataset(None, town_x, title="Folha", unit=unit_x_a, name="folha")
    secret = create_token(None, town_x, data_editor_x, "script")[1]
    client = Client(HTTP_HOST="x.paco.test", HTTP_AUTHORIZATION=f"Token {secret}")
    target = reverse("pipeline:api-versions", args=["folha", "dados"])
    upload = SimpleUploadedFile("folha.csv", FOLHA.encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(target, {"file": upload, "publish": "1"})
    assert response.status_code == 202, response.content
    status = client.get(response.json()["status_url"]).json()
    assert status["status"] == VersionStatus.NEEDS_REVIEW and not status["current"]
    assert status["review_required"].startswith("Não publicada automaticamente")
    assert dataset.resources.get().current_version is None
