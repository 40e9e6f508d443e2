"""NaN and ±Infinity cells: a defined treatment, and a version never stuck in processing.

The reproduction of issue 8: a CSV whose numbers become infinite (``Infinity``, or a
number too large for a double) left the version at “processando 99%” — the statistics
held ``inf``, which is not JSON, and storing the outcome failed after the last progress
write. Now no Parquet column ever holds a non-finite number, the version's JSON fields
go through one sanitizer, and a failure while storing the outcome ends the version as
failed with a message.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import duckdb
import pytest

from paco.opendata.jsonsafe import finite_json
from paco.opendata.models import Resource, ResourceVersion, VersionStatus
from paco.opendata.pipeline import processing
from paco.opendata.pipeline.actions import submit_version
from paco.opendata.pipeline.processing import run_version
from paco.opendata.tabular.convert import to_parquet
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

HUGE = "9" * 400  # parses as a number, overflows a double to inf

NONFINITE_CSV = (
    "id;valor;obs\n"
    "1;1,5;a\n"
    "2;NaN;b\n"
    "3;Infinity;c\n"
    "4;-Infinito;d\n"
    f"5;{HUGE};e\n"
    "6;2,5;f\n"
    "7;nan;g\n"
    "8;3;h\n"
    "9;4;i\n"
    "10;-inf;j\n"
    "11;5;k\n"
)


def _rows(path: Path) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()


def test_nonfinite_numbers_have_a_defined_treatment(tmp_path):
    source = tmp_path / "valores.csv"
    source.write_text(NONFINITE_CSV, encoding="utf-8")
    result = to_parquet(source, tmp_path / "out.parquet")
    fields = {f["name"]: f["type"] for f in result.schema["fields"]}
    assert fields["valor"] == "number", "NaN and infinities do not turn the column into text"
    assert [e.text for e in result.report.errors] == [
        "Linha 4, coluna “valor”: “Infinity” é um valor infinito, que não é um número; "
        "a célula ficou vazia.",
        "Linha 5, coluna “valor”: “-Infinito” é um valor infinito, que não é um número; "
        "a célula ficou vazia.",
        f"Linha 6, coluna “valor”: “{HUGE[:57]}…” é grande demais para ser guardado como "
        "número; a célula ficou vazia.",
        "Linha 11, coluna “valor”: “-inf” é um valor infinito, que não é um número; "
        "a célula ficou vazia.",
    ]
    assert [w.text for w in result.report.warnings] == [
        "Linha 3, coluna “valor”: “NaN” (não é um número) foi importado como valor ausente.",
        "Linha 8, coluna “valor”: “nan” (não é um número) foi importado como valor ausente.",
    ]
    values = [row[1] for row in _rows(tmp_path / "out.parquet")]
    assert values == [1.5, None, None, None, None, 2.5, None, 3.0, 4.0, None, 5.0]
    json.dumps(result.report.as_dict(), allow_nan=False)  # strict JSON


def test_the_python_path_treats_them_alike(tmp_path):
    source = tmp_path / "valores.json"
    objects = [{"id": i, "valor": v} for i, v in enumerate([1.5, "NaN", "Infinity", 2, 3], 1)]
    text = json.dumps(objects).replace('"NaN"', "NaN").replace('"Infinity"', "Infinity")
    source.write_text(text, encoding="utf-8")  # JSON's own NaN/Infinity literals (Python's)
    result = to_parquet(source, tmp_path / "out.parquet")
    assert {f["name"]: f["type"] for f in result.schema["fields"]}["valor"] == "number"
    assert [e.text for e in result.report.errors] == [
        "Linha 1, coluna “valor”: “Infinity” é um valor infinito, que não é um número; "
        "a célula ficou vazia."
    ]
    assert [w.text for w in result.report.warnings] == [
        "Linha 1, coluna “valor”: “NaN” (não é um número) foi importado como valor ausente."
    ]
    values = [row[1] for row in _rows(tmp_path / "out.parquet")]
    assert values == [1.5, None, None, 2.0, 3.0]


def test_finite_json_replaces_every_nonfinite_float():
    value = {"a": [1.0, math.nan, {"b": math.inf, "c": -math.inf}], "d": "NaN", "e": 2}
    cleaned = finite_json(value)
    assert cleaned == {"a": [1.0, None, {"b": None, "c": None}], "d": "NaN", "e": 2}
    json.dumps(cleaned, allow_nan=False)


def _submit(resource: Resource, content: bytes, name: str = "valores.csv") -> ResourceVersion:
    return submit_version(
        None,
        resource,
        io.BytesIO(content),
        name,
        auto_publish=True,
        accept_errors=True,
        enqueue=False,
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("opendata_storage")
def test_a_csv_with_infinity_and_nan_is_never_stuck_processing(town_x, unit_x_a):
    """The reproduction: the version ends published (errors listed), not at 99%."""
    resource = publish_table(town_x, unit_x_a)
    version = run_version(_submit(resource, NONFINITE_CSV.encode()).pk)
    assert version is not None
    assert version.status == VersionStatus.PUBLISHED, (version.status, version.error)
    assert version.progress == 100
    assert version.report["error_count"] == 4
    assert len(version.report["warnings"]) == 2
    stored = ResourceVersion.objects.get(pk=version.pk)
    json.dumps([stored.stats, stored.report, stored.schema], allow_nan=False)


@pytest.mark.django_db
@pytest.mark.usefixtures("opendata_storage")
def test_a_nonfinite_statistic_is_stored_as_null(town_x, unit_x_a, monkeypatch):
    """The class, not the instance: whatever a step computes, the JSON fields stay JSON."""
    resource = publish_table(town_x, unit_x_a)
    real = processing._table_outcome

    def poisoned(*args, **kwargs):
        outcome = real(*args, **kwargs)
        outcome["stats"]["valor"]["max"] = math.inf
        outcome["report"]["mean"] = math.nan
        return outcome

    monkeypatch.setattr(processing, "_table_outcome", poisoned)
    version = run_version(_submit(resource, b"valor\n1\n2\n3\n").pk)
    assert version is not None and version.status == VersionStatus.PUBLISHED
    assert version.stats["valor"]["max"] is None and version.report["mean"] is None


@pytest.mark.django_db
@pytest.mark.usefixtures("opendata_storage")
def test_a_failure_storing_the_outcome_fails_the_version(town_x, unit_x_a, monkeypatch):
    """Any exception after the conversion ends the version FAILED with a message."""
    resource = publish_table(town_x, unit_x_a)
    before = Resource.objects.get(pk=resource.pk).current_version_id
    real = processing._table_outcome

    def broken(*args, **kwargs):
        outcome = real(*args, **kwargs)
        outcome["rows"] = "não é um número"  # the database refuses it when saving
        return outcome

    monkeypatch.setattr(processing, "_table_outcome", broken)
    version = run_version(_submit(resource, b"valor\n1\n2\n3\n").pk)
    assert version is not None
    assert version.status == VersionStatus.FAILED
    assert version.progress_message == "Falhou"
    assert "Falha inesperada" in version.error
    assert Resource.objects.get(pk=resource.pk).current_version_id == before
