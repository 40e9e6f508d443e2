"""The token upload API: POST …/versions (multipart), GET …/versions/{n}; tokens."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from paco.accounts.tokens import authenticate, create_token, revoke_token
from paco.audit.models import AuditEntry
from paco.opendata import actions
from paco.opendata.models import Resource, ResourceVersion, VersionStatus
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

CSV = "item;valor\nCaneta;1,50\nPapel;2,00\nGrampos;0,75\n"


@pytest.fixture
def dataset_a(town_x, unit_x_a):
    return actions.create_dataset(None, town_x, title="Despesas", unit=unit_x_a, name="despesas")


def url(name="despesas", resource="dados"):
    return reverse("pipeline:api-versions", args=[name, resource])


def post(client: Client, secret: str | None, target: str | None = None, **data: str):
    headers = {"Authorization": f"Token {secret}"} if secret else {}
    payload = {"file": SimpleUploadedFile("dados.csv", CSV.encode(), "text/csv"), **data}
    return client.post(target or url(), payload, headers=headers)


def secret_for(user, town):
    return create_token(None, town, user, "script")[1]


def test_editor_token_uploads_and_version_is_published(
    town_x, dataset_a, data_editor_x, django_capture_on_commit_callbacks
):
    secret = secret_for(data_editor_x, town_x)
    client = Client(HTTP_HOST="x.paco.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, secret, title="Despesas do mês")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["success"] is True and body["version"] == 1
    assert response["Location"] == body["status_url"]
    resource = Resource.objects.get(dataset=dataset_a, name="dados")
    assert resource.title == "Despesas do mês"
    status = client.get(body["status_url"], HTTP_AUTHORIZATION=f"Token {secret}").json()
    assert status["status"] == "published" and status["rows"] == 3 and status["current"]
    version = ResourceVersion.objects.get(resource=resource)
    assert version.created_by == data_editor_x
    actions_seen = set(
        AuditEntry.objects.filter(object_id=str(version.pk)).values_list("action", flat=True)
    )
    assert {"version.submit", "version.process", "version.publish"} <= actions_seen


def test_publish_0_keeps_the_version_ready(
    town_x, dataset_a, data_editor_x, django_capture_on_commit_callbacks
):
    secret = secret_for(data_editor_x, town_x)
    with django_capture_on_commit_callbacks(execute=True):
        post(Client(HTTP_HOST="x.paco.test"), secret, publish="0")
    version = ResourceVersion.objects.get(resource__dataset=dataset_a)
    assert version.status == VersionStatus.READY
    assert version.resource.current_version_id is None


@pytest.mark.parametrize(
    "who, status",
    [
        ("data_editor_x", 202),
        ("admin_x", 202),
        ("data_editor_x_other", 403),
        ("plain_staff_x", 403),
    ],
)
def test_upload_access_matrix(request, town_x, dataset_a, who, status):
    secret = secret_for(request.getfixturevalue(who), town_x)
    response = post(Client(HTTP_HOST="x.paco.test"), secret)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert ResourceVersion.objects.count() == (1 if status == 202 else 0)
    if status != 202:
        assert response.json()["success"] is False


def test_token_of_another_town_is_refused(town_x, town_y, dataset_a, admin_y):
    secret = secret_for(admin_y, town_y)
    response = post(Client(HTTP_HOST="x.paco.test"), secret)
    assert response.status_code == 401
    assert "token" in response.json()["error"].lower()


def test_citizen_cannot_get_a_token(town_x, citizen_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        create_token(citizen_a, town_x, citizen_a, "meu")


@pytest.mark.parametrize("header", ["", "Token ", "Token paco_errado", "Bearer x", "Basic abc"])
def test_missing_or_bad_token_is_401(town_x, dataset_a, header):
    client = Client(HTTP_HOST="x.paco.test")
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.post(url(), {"file": SimpleUploadedFile("a.csv", CSV.encode())}, **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert ResourceVersion.objects.count() == 0


def test_revoked_token_is_401(town_x, dataset_a, data_editor_x):
    token, secret = create_token(None, town_x, data_editor_x, "script")
    revoke_token(data_editor_x, token)
    assert post(Client(HTTP_HOST="x.paco.test"), secret).status_code == 401


def test_session_login_does_not_authorize_the_api(client_for, town_x, dataset_a, admin_x):
    client = client_for(admin_x, town_x)
    client.handler.enforce_csrf_checks = True
    response = post(client, None)
    assert response.status_code == 401


def test_unknown_dataset_is_404(town_x, dataset_a, data_editor_x):
    secret = secret_for(data_editor_x, town_x)
    response = post(Client(HTTP_HOST="x.paco.test"), secret, target=url("nao-existe"))
    assert response.status_code == 404 and "não encontrado" in response.json()["error"]


def test_missing_file_is_400(town_x, dataset_a, data_editor_x):
    secret = secret_for(data_editor_x, town_x)
    response = Client(HTTP_HOST="x.paco.test").post(
        url(), {"title": "x"}, HTTP_AUTHORIZATION=f"Token {secret}"
    )
    assert response.status_code == 400 and "file" in response.json()["error"]


@pytest.mark.parametrize("rows", [700_000, 400_000])  # declared size over, and cut while streaming
def test_upload_over_the_limit_is_413(settings, town_x, dataset_a, data_editor_x, rows):
    settings.PACO_MAX_UPLOAD_MB = 1
    secret = secret_for(data_editor_x, town_x)
    big = SimpleUploadedFile("grande.csv", b"a;b\n" + b"1;2\n" * rows)
    response = Client(HTTP_HOST="x.paco.test").post(
        url(), {"file": big}, HTTP_AUTHORIZATION=f"Token {secret}"
    )
    assert response.status_code == 413 and "1 MB" in response.json()["error"]
    assert ResourceVersion.objects.count() == 0


def test_uploads_are_streamed_to_disk(town_x, dataset_a, data_editor_x, monkeypatch):
    """The view installs the temporary-file handler: even small uploads never sit in memory."""
    from paco.opendata.pipeline import actions as pipeline_actions

    seen = []
    real = pipeline_actions.submit_version

    def spy(actor, resource, fileobj, filename, **kwargs):
        seen.append(type(fileobj).__name__)
        return real(actor, resource, fileobj, filename, **kwargs)

    monkeypatch.setattr("paco.opendata.pipeline.api.submit_version", spy)
    secret = secret_for(data_editor_x, town_x)
    assert post(Client(HTTP_HOST="x.paco.test"), secret).status_code == 202
    assert seen == ["TemporaryUploadedFile"]


def test_status_of_other_units_version_is_403(town_x, unit_x_a, data_editor_x_other):
    resource = publish_table(town_x, unit_x_a)
    secret = secret_for(data_editor_x_other, town_x)
    target = reverse("pipeline:api-version", args=["despesas", resource.name, 1])
    response = Client(HTTP_HOST="x.paco.test").get(target, HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 403


def test_rejected_file_reports_line(
    town_x, dataset_a, data_editor_x, django_capture_on_commit_callbacks
):
    secret = secret_for(data_editor_x, town_x)
    bad = SimpleUploadedFile("dados.csv", b'a;b\n1;"aberto\n2;3\n')
    client = Client(HTTP_HOST="x.paco.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(), {"file": bad}, HTTP_AUTHORIZATION=f"Token {secret}")
    status = client.get(response.json()["status_url"], HTTP_AUTHORIZATION=f"Token {secret}")
    body = status.json()
    assert body["status"] == "rejected" and "Linha" in body["errors"][0]


def test_authenticate_ignores_other_towns_and_updates_last_use(rf, town_x, town_y, admin_x):
    token, secret = create_token(None, town_x, admin_x, "x")
    request = rf.get("/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert authenticate(request, town_x) == admin_x
    assert authenticate(request, town_y) is None
    token.refresh_from_db()
    assert token.last_used_at is not None
