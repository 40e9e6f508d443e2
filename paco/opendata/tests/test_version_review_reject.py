"""Reviewing a version without the admin: a clerk may refuse a version that must not be
published (the LGPD decision, publishing and the retry have their own tests)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from paco.audit.labels import describe
from paco.audit.models import AuditEntry
from paco.opendata import actions
from paco.opendata.models import Resource, ResourceVersion, VersionStatus
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

PERSONAL = "nome;cpf;valor\nMaria da Silva;529.982.247-25;10,00\nJoão Souza;111.444.777-35;20,00\n"
PERSONAL += "Ana Lima;935.411.347-80;30,00\nPedro Alves;248.438.034-80;5,00\n"
REASON = "Arquivo errado: é a lista de servidores, não a de despesas."


@pytest.fixture
def review(client_for, town_x, unit_x_a, data_editor_x, django_capture_on_commit_callbacks):
    """A version waiting for the LGPD decision, sent by the unit's data editor."""
    actions.create_dataset(None, town_x, title="Despesas", unit=unit_x_a, name="despesas")
    data = {"resource": "__novo__", "new_title": "Dados"}
    data["file"] = SimpleUploadedFile("dados.csv", PERSONAL.encode(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(data_editor_x, town_x).post(reverse("pipeline:upload", args=["despesas"]), data)
    version = ResourceVersion.objects.get(resource__dataset__name="despesas")
    assert version.status == VersionStatus.NEEDS_REVIEW
    return version


def _urls(version):
    args = [version.resource_id, version.number]
    return reverse("pipeline:version", args=args), reverse("pipeline:version-reject", args=args)


def test_the_review_page_offers_to_refuse(client_for, town_x, data_editor_x, review):
    page, _ = _urls(review)
    html = client_for(data_editor_x, town_x).get(page).content.decode()
    assert "Recusar a versão 1" in html and "Motivo da recusa" in html


def test_a_refused_version_is_never_published(client_for, town_x, data_editor_x, review):
    client = client_for(data_editor_x, town_x)
    page, reject = _urls(review)
    response = client.post(reject, {"reason": REASON})
    assert response.status_code == 302 and response["Location"] == page
    review.refresh_from_db()
    assert review.status == VersionStatus.REJECTED
    assert REASON in review.error
    entry = AuditEntry.objects.get(action="version.reject")
    assert entry.actor == data_editor_x and entry.changes["motivo"] == [None, REASON]
    assert describe(entry).startswith("Recusou")
    html = client.get(page).content.decode()
    assert REASON in html and "Recusar a versão" not in html
    publish = reverse("pipeline:version-publish", args=[review.resource_id, 1])
    client.post(publish, {"accept_errors": "on"})
    assert Resource.objects.get(pk=review.resource_id).current_version is None


def test_a_reason_is_required_and_what_was_typed_stays(client_for, town_x, data_editor_x, review):
    _, reject = _urls(review)
    response = client_for(data_editor_x, town_x).post(reject, {"reason": "errado"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "errado" in html and "10 caracteres" in html
    review.refresh_from_db()
    assert review.status == VersionStatus.NEEDS_REVIEW


def test_a_published_version_cannot_be_refused(client_for, town_x, unit_x_a, data_editor_x):
    resource = publish_table(town_x, unit_x_a)
    version = resource.current_version
    _, reject = _urls(version)
    response = client_for(data_editor_x, town_x).post(reject, {"reason": REASON})
    assert response.status_code == 400
    assert "ainda não publicada" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED


@pytest.mark.parametrize("who, status", [("data_editor_x_other", 403), ("admin_y", 404)])
def test_only_the_units_editors_may_refuse(request, client_for, town_x, review, who, status):
    _, reject = _urls(review)
    client = client_for(request.getfixturevalue(who), town_x)
    assert client.post(reject, {"reason": REASON}).status_code == status
    review.refresh_from_db()
    assert review.status == VersionStatus.NEEDS_REVIEW
