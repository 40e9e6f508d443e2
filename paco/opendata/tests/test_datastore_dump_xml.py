"""CKAN's ``/datastore/dump/{id}?format=xml``: its shape, valid XML whatever the data, streamed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from paco.opendata.datastore.exports import xml_names
from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")

NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a)


def dump_url(version: ResourceVersion) -> str:
    return reverse("datastore:dump", args=[version.resource_id])


def streamed(response: Any) -> bytes:
    assert response.status_code == 200, response.content
    assert response.streaming
    return b"".join(response.streaming_content)


def rows(data: bytes) -> list[ET.Element]:
    root = ET.fromstring(data)  # noqa: S314 (our own output)
    assert root.tag == "data"
    return list(root)


def cells(row: ET.Element) -> dict[str, str | None]:
    return {child.tag: None if child.get(NIL) == "true" else (child.text or "") for child in row}


def test_whole_table_in_ckans_shape(anon_x: Client, version: ResourceVersion) -> None:
    response = anon_x.get(dump_url(version), {"format": "xml"})
    data = streamed(response)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{version.resource_id}.xml"'
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data.startswith(
        b'<data xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<row _id="1">'
    )
    assert data.endswith(b"</row>\n</data>\n")
    assert data.count(b"\n") == 8  # <data>, one line per row, </data>
    found = rows(data)
    assert [r.tag for r in found] == ["row"] * 6
    assert [r.get("_id") for r in found] == ["1", "2", "3", "4", "5", "6"]
    assert cells(found[0]) == {
        "id": "1",
        "orgao": "Secretaria de Saúde",
        "descricao": "Compra de seringas",
        "valor": "1234.56",
        "data": "2024-01-15",
        "pago": "true",
        "codigo": "00123",
    }
    # missing values are xsi:nil; formulas are left alone (XML is not a spreadsheet)
    assert cells(found[3])["valor"] is None and cells(found[3])["data"] is None
    assert cells(found[2])["descricao"] == '=HYPERLINK("http://mal")'
    assert cells(found[4])["descricao"] == 'Pavimentação da rua "Central"'
    assert b'<valor xsi:nil="true" />' in data


def test_ckan_parameters_and_bom(anon_x: Client, version: ResourceVersion) -> None:
    url = dump_url(version)
    page = rows(streamed(anon_x.get(url, {"format": "xml", "sort": "valor desc", "limit": "2"})))
    assert [r.get("_id") for r in page] == ["5", "1"]
    some = anon_x.get(
        url, {"format": "XML", "filters": '{"orgao": "Secretaria de Saúde"}', "fields": "descricao"}
    )
    picked = rows(streamed(some))
    assert [cells(r) for r in picked] == [
        {"descricao": "Compra de seringas"},
        {"descricao": '=HYPERLINK("http://mal")'},
        {"descricao": "AÇÃO de vacinação"},
    ]
    assert all(r.get("_id") is None for r in picked)  # no _id asked for: no attribute
    none = streamed(anon_x.get(url, {"format": "xml", "filters": '{"orgao": "x"}'}))
    assert rows(none) == []
    bom = streamed(anon_x.get(url, {"format": "xml", "bom": "true"}))
    assert bom.startswith(b"\xef\xbb\xbf<data ")
    assert len(rows(bom.removeprefix(b"\xef\xbb\xbf"))) == 6


def test_odd_values_and_names_stay_valid_xml(
    anon_x: Client, town_x: Municipality, unit_x_a: Unit
) -> None:
    sql = (
        "SELECT * FROM (VALUES "
        "('a < b & c > d', 'linha 1' || chr(10) || 'linha 2' || chr(13), "
        " 'bip' || chr(1) || chr(9) || 'fim', '', TIMESTAMP '2024-05-06 07:08:09', 1), "
        "(NULL, ']]>', '\"aspas\" e ''apóstrofo''', NULL, NULL, 2)) "
        'AS t("Nº do ""empenho""", "1ª coluna", "xml id", "a:b", "quando", "A B")'
    )
    version = publish_parquet(town_x, unit_x_a, sql=sql, schema={"fields": []})
    data = streamed(anon_x.get(dump_url(version), {"format": "xml"}))
    first, second = rows(data)
    assert cells(first) == {
        "No_do__empenho_": "a < b & c > d",
        "_1a_coluna": "linha 1\nlinha 2\r",  # CR kept (as &#13;), not normalized away
        "_xml_id": "bip\tfim",  # a control character XML cannot carry is dropped
        "a_b": "",
        "quando": "2024-05-06T07:08:09",
        "A_B": "1",
    }
    assert cells(second)["_1a_coluna"] == "]]>"
    assert cells(second)["_xml_id"] == "\"aspas\" e 'apóstrofo'"
    assert cells(second)["No_do__empenho_"] is None
    assert b"&#13;" in data and b"&#10;" in data


def test_xml_names() -> None:
    # Nº, 1ª: compatibility forms (NFKC) keep Brazilian headers readable
    names = ["a b", "a:b", "a_b", "-x", ".y", "XMLfoo", "", "ok-1.2", "ação", "Nº", "m²", "a×b"]
    assert xml_names(names) == [
        "a_b",
        "a_b_2",
        "a_b_3",
        "_-x",
        "_.y",
        "_XMLfoo",
        "_",
        "ok-1.2",
        "ação",
        "No",
        "m2",
        "a_b_4",
    ]


def test_unknown_format_is_a_clear_400(anon_x: Client, version: ResourceVersion) -> None:
    response = anon_x.get(dump_url(version), {"format": "xlsx"})
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    message = response.json()["erro"]
    assert message == "Formato “xlsx” não suportado: use csv, tsv, json ou xml."
