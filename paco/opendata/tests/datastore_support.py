"""Published tables for the data-API tests, written straight to Parquet with DuckDB.

Faster than the full pipeline and independent of it: the data API only needs a
published version whose Parquet file is in storage. Tests using these helpers
put the storage in a temporary directory with
``paco.opendata.testing.opendata_storage``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import duckdb
from django.utils import timezone

from paco.opendata import storage
from paco.opendata.models import (
    Dataset,
    DatasetState,
    Resource,
    ResourceVersion,
    VersionStatus,
)
from paco.tenancy.models import Municipality, Unit

#: a small expenses table with odd values on purpose
DESPESAS_SQL = """
SELECT id, orgao, descricao, valor::DOUBLE AS valor, data, pago, codigo FROM (VALUES
  (1, 'Secretaria de Saúde', 'Compra de seringas', 1234.56, DATE '2024-01-15', true, '00123'),
  (2, 'Secretaria de Educação', 'Merenda escolar', 500.0, DATE '2024-02-01', false, '00456'),
  (3, 'Secretaria de Saúde', '=HYPERLINK("http://mal")', -12.5, DATE '2024-03-10', NULL, '-77'),
  (4, 'Gabinete', '@soma', NULL, NULL, true, '+5511'),
  (5, 'Secretaria de Obras', 'Pavimentação da rua "Central"', 98000.0, DATE '2023-12-31',
   false, NULL),
  (6, 'Secretaria de Saúde', 'AÇÃO de vacinação', 10.0, DATE '2024-03-10', true, '00789')
) AS t(id, orgao, descricao, valor, data, pago, codigo)
"""

DESPESAS_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "id", "type": "integer"},
        {"name": "orgao", "type": "string", "title": "Órgão", "description": "Quem gastou"},
        {"name": "descricao", "type": "string"},
        {"name": "valor", "type": "number", "title": "Valor", "unit": "R$"},
        {"name": "data", "type": "date"},
        {"name": "pago", "type": "boolean"},
        {"name": "codigo", "type": "string"},
    ]
}


def publish_parquet(
    town: Municipality,
    unit: Unit,
    *,
    sql: str = DESPESAS_SQL,
    schema: dict[str, Any] | None = None,
    dataset: str = "despesas",
    resource: str = "dados",
    published: bool = True,
    version_published: bool = True,
    resource_obj: Resource | None = None,
) -> ResourceVersion:
    """A dataset/resource with one more version whose Parquet holds ``sql``'s rows."""
    if resource_obj is None:
        ds, _ = Dataset.objects.get_or_create(
            municipality=town,
            name=dataset,
            defaults={
                "title": dataset.title(),
                "unit": unit,
                "state": DatasetState.PUBLISHED if published else DatasetState.DRAFT,
            },
        )
        resource_obj, _ = Resource.objects.get_or_create(
            municipality=town, dataset=ds, name=resource, defaults={"title": resource.title()}
        )
    number = resource_obj.versions.count() + 1
    version = ResourceVersion.objects.create(
        municipality=town,
        resource=resource_obj,
        number=number,
        status=VersionStatus.PUBLISHED if version_published else VersionStatus.READY,
        original_name="dados.csv",
        media_type="text/csv",
        schema=schema if schema is not None else DESPESAS_SCHEMA,
    )
    with tempfile.TemporaryDirectory() as tmp:
        pq = Path(tmp) / "data.parquet"
        csv = Path(tmp) / "original.csv"
        with duckdb.connect() as con:
            con.execute(f"COPY ({sql}) TO '{pq}' (FORMAT parquet)")
            con.execute(f"COPY ({sql}) TO '{csv}' (FORMAT csv, DELIMITER ';')")
            rows = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()  # noqa: S608
        with pq.open("rb") as fh:
            version.parquet = storage.save_file(storage.parquet_name(version), fh)
        with csv.open("rb") as fh:
            version.sha256, version.size = storage.sha256_of(fh)
            fh.seek(0)
            version.original = storage.save_file(storage.original_name(version, "dados.csv"), fh)
    version.rows = rows[0] if rows else 0
    if version_published:
        version.published_at = timezone.now()
    version.save()
    if version_published:
        resource_obj.current_version = version
        resource_obj.save(update_fields=["current_version"])
    return version


class HiddenTables(NamedTuple):
    """Tables town X's public must never reach through the data API."""

    other_town: ResourceVersion  # published, but in town Y
    draft: ResourceVersion  # in town X, dataset not published
    pending: ResourceVersion  # in town X, version processed but never published


def hidden_tables(
    town_x: Municipality, unit_x_a: Unit, town_y: Municipality, unit_y: Unit
) -> HiddenTables:
    """The three tables of every access matrix (town Y's is named ``outra/dados``)."""
    return HiddenTables(
        other_town=publish_parquet(town_y, unit_y, dataset="outra"),
        draft=publish_parquet(town_x, unit_x_a, dataset="rascunho", published=False),
        pending=publish_parquet(town_x, unit_x_a, dataset="pendente", version_published=False),
    )
