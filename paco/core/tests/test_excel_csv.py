"""Every CSV download has a visible "CSV para Excel" variant: BOM, ``;``, decimal comma."""

from __future__ import annotations

import csv
import decimal
import io
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from paco.core import csvsafe
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import publish_parquet
from paco.plans.actions import import_plan
from paco.plans.importer import parse_file
from paco.plans.tests.conftest import SEED

BOM = b"\xef\xbb\xbf"


def test_the_writer_in_the_excel_dialect():
    out = io.StringIO()
    writer = csvsafe.writer(out, excel=True, lineterminator="\n")
    writer.writerow(["nome", "valor", "inteiro", "preciso"])
    writer.writerow(["=1+1", 1234.5, 7, decimal.Decimal("-0.25")])
    text = out.getvalue()
    assert text.startswith("\ufeffnome;valor;inteiro;preciso\n")
    assert text.splitlines()[1] == "'=1+1;1234,5;7;-0,25"  # still formula-safe
    plain = io.StringIO()
    csvsafe.writer(plain, lineterminator="\n").writerow(["a", 1234.5])
    assert plain.getvalue() == "a,1234.5\n"  # the plain CSV is untouched


@pytest.mark.usefixtures("opendata_storage")
def test_resource_export_in_the_excel_dialect(anon_x: Client, town_x, unit_x_a):
    version = publish_parquet(town_x, unit_x_a)
    url = reverse("datastore:export", args=[version.resource_id, "csv"])
    response = anon_x.get(url, {"excel": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="despesas-dados-v1-excel.csv"'
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert data.startswith(BOM + b"id;orgao;descricao;valor")
    rows = list(csv.reader(io.StringIO(data[len(BOM) :].decode()), delimiter=";"))
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["1"][3] == "1234,56"  # decimal comma
    assert by_id["3"][3] == "-12,5"
    assert by_id["3"][2] == '\'=HYPERLINK("http://mal")'  # formula-safe as the plain CSV
    assert by_id["1"][6] == "00123" and by_id["1"][1] == "Secretaria de Saúde"
    assert len(rows) == 7
    plain = b"".join(anon_x.get(url).streaming_content)  # type: ignore[attr-defined]
    assert plain.startswith(b"id,orgao") and b"1234.56" in plain


@pytest.mark.usefixtures("opendata_storage")
def test_resource_page_links_the_excel_variant(anon_x: Client, town_x, unit_x_a):
    version = publish_parquet(town_x, unit_x_a)
    page = anon_x.get(reverse("portal:dataset", args=[version.resource.dataset.name]))
    assert page.status_code == 200
    html = unescape(page.content.decode())
    csv_url = reverse("datastore:export", args=[version.resource_id, "csv"])
    assert f'{csv_url}?excel=1">Baixar em CSV para Excel' in html


def test_cronograma_csv_in_the_excel_dialect(anon_x: Client, town_x):
    import_plan(None, town_x, parse_file(SEED.read_bytes(), "seed.txt"))
    page = anon_x.get("/cronograma/").content.decode()
    assert 'href="/cronograma.csv?excel=1">Planilha (CSV para Excel)' in page
    response = anon_x.get("/cronograma.csv", {"excel": "1"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-excel.csv"')
    assert response.content.startswith(BOM)
    header = response.content[len(BOM) :].decode().splitlines()[0]
    assert ";" in header and "," not in header
    assert not anon_x.get("/cronograma.csv").content.startswith(BOM)
