"""A version that waits for a servant (personal data found, or review before publishing)
tells the dataset's unit; a version published automatically tells nobody."""

from __future__ import annotations

import io

import pytest

from paco.opendata import actions
from paco.opendata.models import VersionStatus
from paco.opendata.pipeline.actions import submit_version
from paco.opendata.pipeline.processing import run_version
from paco.opendata.testing import opendata_storage  # noqa: F401

from .conftest import addressees

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

PERSONAL = "nome;cpf;valor\nMaria da Silva;529.982.247-25;10,00\nJoão Souza;111.444.777-35;20,00\n"
PLAIN = "ano;valor\n2024;10,00\n2025;20,00\n"


@pytest.fixture
def resource_a(town_x, unit_x_a):
    dataset = actions.create_dataset(None, town_x, title="Despesas", unit=unit_x_a, name="despesas")
    return actions.create_resource(None, dataset, title="Dados", name="dados")


def process(committed, resource, text, **options):
    version = submit_version(
        None, resource, io.BytesIO(text.encode()), "dados.csv", enqueue=False, **options
    )
    return committed(run_version, version.pk)


def test_personal_data_tells_the_units_data_editors(cast, committed, resource_a, smtp_settings):
    version = process(committed, resource_a, PERSONAL, auto_publish=True)
    assert version.status == VersionStatus.NEEDS_REVIEW
    assert addressees(smtp_settings) == [
        "admin@x.gov.br",
        "editor.a@x.gov.br",
        "editor.todo@x.gov.br",
    ]
    assert "Despesas — Dados, versão 1" in smtp_settings.messages[0]["Subject"]


def test_ready_for_review_tells_and_auto_published_does_not(
    cast, committed, resource_a, smtp_settings
):
    published = process(committed, resource_a, PLAIN, auto_publish=True)
    assert published.status == VersionStatus.PUBLISHED
    assert addressees(smtp_settings) == []
    waiting = process(committed, resource_a, PLAIN)
    assert waiting.status == VersionStatus.READY
    assert addressees(smtp_settings) == [
        "admin@x.gov.br",
        "editor.a@x.gov.br",
        "editor.todo@x.gov.br",
    ]
