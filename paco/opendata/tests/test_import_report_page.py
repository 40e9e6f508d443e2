"""The new report entries (issue 8, §6) reach the staff review page and the API status."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from paco.opendata.pipeline.actions import submit_version
from paco.opendata.pipeline.api import version_status
from paco.opendata.pipeline.processing import run_version
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

CSV = (
    "secretaria;valor;data\n"
    "Saúde;100,00;05/01/2026\n"
    ";;\n"
    "Educação;NaN;31/02/2026\n"
    "Obras;50,00;06/01/2026\n"
    "Total geral;150,00;\n"
)


def test_the_review_page_shows_errors_and_warnings_with_lines(
    client_for, town_x, unit_x_a, data_editor_x
):
    resource = publish_table(town_x, unit_x_a)
    version = submit_version(
        None, resource, io.BytesIO(CSV.encode()), "v.csv", auto_publish=False, enqueue=False
    )
    version = run_version(version.pk)
    assert version is not None
    assert version.report["errors"] == [
        "Linha 4, coluna “data”: “31/02/2026” não é uma data que existe "
        "(fevereiro de 2026 não tem dia 31).",
        "Linha 6: a linha “Total geral” parece ser de totais, no meio dos dados: quem somar as "
        "colunas contará esses valores duas vezes. Retire a linha do arquivo e envie de novo.",
    ]
    assert version.report["warnings"] == [
        "Linha 3: linha em branco; foi ignorada.",
        "Linha 4, coluna “valor”: “NaN” (não é um número) foi importado como valor ausente.",
    ]
    url = reverse("pipeline:version", args=[resource.pk, version.number])
    page = client_for(data_editor_x, town_x).get(url).content.decode()
    assert "2 problema(s) encontrado(s)" in page
    assert "Avisos sobre a leitura do arquivo" in page and "2 aviso(s)" in page
    for text in version.report["errors"] + version.report["warnings"]:
        assert text.replace("“", "&ldquo;").replace("”", "&rdquo;") in page or text in page
    status = version_status(version)
    assert status["warning_count"] == 2 and status["warnings"] == version.report["warnings"]
