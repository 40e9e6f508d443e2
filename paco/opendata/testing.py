"""Test helpers: published datasets with real Parquet data, built by the real pipeline.

Usage in a test module::

    from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

    pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

    def test_something(town_x, unit_x_a):
        resource = publish_table(town_x, unit_x_a)   # dataset "despesas", resource "dados"
        version = resource.current_version           # rows, schema, parquet…

``opendata_storage`` points Django's default storage at a temporary directory
so tests never write under ``var/``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from paco.opendata import actions
from paco.opendata.models import Dataset, Resource, ResourceVersion, VersionStatus
from paco.tenancy.models import Municipality, Unit

#: municipal expenses as towns export them: Windows-1252-friendly text, ``;``, decimal commas
DEFAULT_CSV = (
    "data;fornecedor;elemento;valor;pago\n"
    "05/01/2025;Papelaria Central Ltda;Material de consumo;1.234,56;Sim\n"
    "12/01/2025;Auto Peças Serra Ltda;Manutenção de veículos;987,10;Não\n"
    "20/02/2025;Construtora Vale Verde S.A.;Obras e instalações;152.300,00;Sim\n"
    "03/03/2025;Farmácia Popular do Paço Ltda;Medicamentos;4.560,75;Sim\n"
    "15/03/2025;Papelaria Central Ltda;Material de consumo;310,00;Não\n"
)


class PipelineOutcome(AssertionError):
    """The test table did not end published; the message says why (report, findings)."""


def publish_table(
    town: Municipality,
    unit: Unit,
    *,
    dataset: str = "despesas",
    resource: str = "dados",
    csv_text: str = DEFAULT_CSV,
    title: str | None = None,
    filename: str = "dados.csv",
    content: bytes | None = None,
    encoding: str = "utf-8",
    legal_basis: str = "",
    accept_errors: bool = True,
    publish_dataset: bool = True,
) -> Resource:
    """Run the real pipeline (actor=None) and return the published ``Resource``.

    Creates the dataset (``dataset`` is its slug) and the resource when missing;
    a second call on the same pair publishes a new version. ``content`` (bytes)
    overrides ``csv_text`` for XLSX/JSON/… files. A table with personal data is
    published only when ``legal_basis`` is given; otherwise
    :class:`PipelineOutcome` is raised with the findings.
    """
    from paco.opendata.pipeline.processing import import_now

    ds = Dataset.objects.for_municipality(town).filter(name=dataset).first()
    if ds is None:
        ds = actions.create_dataset(
            None,
            town,
            title=title or dataset.replace("-", " ").capitalize(),
            unit=unit,
            name=dataset,
        )
    res = Resource.objects.filter(dataset=ds, name=resource).first()
    if res is None:
        res = actions.create_resource(
            None, ds, title=resource.replace("-", " ").capitalize(), name=resource
        )
    payload = content if content is not None else csv_text.encode(encoding)
    version = import_now(
        res,
        io.BytesIO(payload),
        filename,
        legal_basis=legal_basis,
        accept_errors=accept_errors,
        publish_dataset=publish_dataset,
    )
    if version.status != VersionStatus.PUBLISHED:
        raise PipelineOutcome(_explain(version))
    return Resource.objects.select_related("dataset", "current_version").get(pk=res.pk)


def _explain(version: ResourceVersion) -> str:
    return (
        f"publish_table: a versão terminou como {version.status!r}; erro={version.error!r}; "
        f"relatório={version.report!r}; dados pessoais={version.personal_data!r}"
    )


@pytest.fixture
def opendata_storage(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Django's default storage (and the pipeline's scratch dir) in a temporary directory."""
    root = tmp_path / "storage"
    root.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root), "base_url": "/arquivos/"},
        },
    }
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    yield root
