"""Staff upload of a schedule at /cronograma/importar/."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from paco.plans.models import Plan, Stage

URL = "/cronograma/importar/"


def _upload(client, content: bytes, name="cronograma.txt", **extra):
    data = {"file": SimpleUploadedFile(name, content), "kind": "digital_government", **extra}
    return client.post(URL, data)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin_x", 302),
        ("plan_editor_x", 403),
        ("catalog_editor_x", 403),
        ("admin_y", 403),
    ],
)
def test_import_matrix(request, client_for, town_x, seed_bytes, who, status):
    client = client_for(request.getfixturevalue(who), town_x)
    response = _upload(client, seed_bytes)
    assert response.status_code == status
    expected = 18 if status == 302 else 0
    assert Stage.objects.for_municipality(town_x).count() == expected
    if status == 302:
        assert response["Location"] == "/cronograma/implementacao-da-lei-no-141292021/"


def test_anonymous_and_csrf(anon_x, town_x, admin_x, seed_bytes):
    response = _upload(anon_x, seed_bytes)
    assert response.status_code == 302 and "/conta/" in response["Location"]
    client = Client(HTTP_HOST="x.paco.test", enforce_csrf_checks=True)
    client.force_login(admin_x)
    assert _upload(client, seed_bytes).status_code == 403
    assert not Plan.objects.exists()


def test_bad_file_lists_errors_and_saves_nothing(client_for, town_x, admin_x):
    client = client_for(admin_x, town_x)
    bad = "Etapa;Descrição;Prazo;Prazo final;Observação\n1;Uma;30 dias;32-01-2025;ok\n"
    response = _upload(client, bad.encode(), name="c.csv")
    assert response.status_code == 422
    html = response.content.decode()
    assert "Nada foi importado" in html
    assert "Linha 2: data inválida em “Prazo final”: “32-01-2025”" in html
    assert not Plan.objects.exists()


def test_replace_requires_the_checkbox(client_for, town_x, admin_x, seed_bytes):
    client = client_for(admin_x, town_x)
    assert _upload(client, seed_bytes).status_code == 302
    again = _upload(client, seed_bytes)
    assert again.status_code == 422 and "Já existe um cronograma" in again.content.decode()
    assert _upload(client, seed_bytes, replace="on").status_code == 302
    assert Stage.objects.for_municipality(town_x).count() == 18
