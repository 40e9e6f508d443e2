"""Streamed exports, CKAN's dump and the original file: formats, filters, safety, access."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import duckdb
import pytest
from django.test import Client
from django.urls import reverse

from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import hidden_tables, publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a)


def body(response: Any) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def export_url(version: ResourceVersion, fmt: str) -> str:
    return reverse("datastore:export", args=[version.resource_id, fmt])


def test_csv_whole_table_neutralizes_formulas_but_not_numbers(
    anon_x: Client, version: ResourceVersion
) -> None:
    response = anon_x.get(export_url(version, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Disposition"] == 'attachment; filename="despesas-dados-v1.csv"'
    assert response["Cache-Control"] == "public, max-age=300"
    rows = list(csv.reader(io.StringIO(body(response).decode())))
    assert rows[0] == ["id", "orgao", "descricao", "valor", "data", "pago", "codigo"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["3"][2] == '\'=HYPERLINK("http://mal")'
    assert by_id["3"][3] == "-12.5"  # a typed number stays a number
    assert by_id["3"][6] == "'-77"  # a text code starting with "-" is neutralized
    assert by_id["4"][2] == "'@soma" and by_id["4"][6] == "'+5511"
    assert by_id["5"][2] == 'Pavimentação da rua "Central"'
    assert by_id["1"][6] == "00123" and by_id["4"][3] == ""
    assert len(rows) == 7


def test_csv_bom_and_tsv(anon_x: Client, version: ResourceVersion) -> None:
    data = body(anon_x.get(export_url(version, "csv"), {"bom": "1"}))
    assert data.startswith(b"\xef\xbb\xbfid,orgao")
    tsv = body(anon_x.get(export_url(version, "tsv"))).decode()
    assert tsv.splitlines()[0] == "id\torgao\tdescricao\tvalor\tdata\tpago\tcodigo"


def test_json_and_ndjson(anon_x: Client, version: ResourceVersion) -> None:
    records = json.loads(body(anon_x.get(export_url(version, "json"))))
    assert len(records) == 6
    assert records[0] == {
        "id": 1, "orgao": "Secretaria de Saúde", "descricao": "Compra de seringas",
        "valor": 1234.56, "data": "2024-01-15", "pago": True, "codigo": "00123",
    }  # fmt: skip
    assert records[2]["descricao"] == '=HYPERLINK("http://mal")'  # JSON is not for spreadsheets
    lines = body(anon_x.get(export_url(version, "ndjson"))).decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [1, 2, 3, 4, 5, 6]


def test_filtered_sorted_subset(anon_x: Client, version: ResourceVersion) -> None:
    response = anon_x.get(
        export_url(version, "json"),
        {"orgao": "Secretaria de Saúde", "valor__gt": "0", "sort": "-valor", "fields": "id,valor"},
    )
    assert (
        response["Content-Disposition"] == 'attachment; filename="despesas-dados-v1-filtrado.json"'
    )
    assert json.loads(body(response)) == [{"id": 1, "valor": 1234.56}, {"id": 6, "valor": 10.0}]
    empty = json.loads(body(anon_x.get(export_url(version, "json"), {"orgao": "ninguém"})))
    assert empty == []


def test_parquet_whole_is_the_stored_file_and_subset_is_valid(
    anon_x: Client, version: ResourceVersion, tmp_path: Any
) -> None:
    from django.core.files.storage import default_storage

    whole = body(anon_x.get(export_url(version, "parquet")))
    with default_storage.open(version.parquet, "rb") as fh:
        assert whole == fh.read()
    subset = body(anon_x.get(export_url(version, "parquet"), {"q": "saude", "sort": "id"}))
    target = tmp_path / "s.parquet"
    target.write_bytes(subset)
    rows = duckdb.connect().execute("SELECT id FROM read_parquet(?)", [str(target)]).fetchall()
    assert rows == [(1,), (3,), (6,)]


def test_old_versions_stay_downloadable_and_are_immutable(
    anon_x: Client, version: ResourceVersion, town_x: Municipality, unit_x_a: Unit
) -> None:
    publish_parquet(town_x, unit_x_a, sql="SELECT 42 AS id", resource_obj=version.resource)
    current = json.loads(body(anon_x.get(export_url(version, "json"))))
    assert current == [{"id": 42}]
    old = anon_x.get(export_url(version, "json"), {"versao": "1"})
    assert old["Cache-Control"] == "public, max-age=31536000, immutable"
    assert len(json.loads(body(old))) == 6
    assert anon_x.get(export_url(version, "json"), {"versao": "9"}).status_code == 404
    assert anon_x.get(export_url(version, "json"), {"versao": "x"}).status_code == 400


def test_etag_and_conditional_get(anon_x: Client, version: ResourceVersion) -> None:
    first = anon_x.get(export_url(version, "csv"))
    etag = first["ETag"]
    again = anon_x.get(export_url(version, "csv"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    other = anon_x.get(export_url(version, "csv"), {"orgao": "Gabinete"})
    assert other["ETag"] != etag


def test_bad_requests(anon_x: Client, version: ResourceVersion) -> None:
    assert anon_x.get(export_url(version, "xlsx")).status_code == 404
    response = anon_x.get(export_url(version, "csv"), {"nao_existe": "1"})
    assert response.status_code == 400 and "nao_existe" in response.json()["erro"]
    assert anon_x.get(export_url(version, "csv"), {"valor__gt": "abc"}).status_code == 400


def test_dump_ckan_shapes(anon_x: Client, version: ResourceVersion) -> None:
    url = reverse("datastore:dump", args=[version.resource_id])
    rows = list(csv.reader(io.StringIO(body(anon_x.get(url)).decode())))
    assert rows[0][:2] == ["_id", "id"] and rows[1][:2] == ["1", "1"] and len(rows) == 7
    bom = body(anon_x.get(url, {"format": "csv", "bom": "true"}))
    assert bom.startswith(b"\xef\xbb\xbf_id,")
    tsv = body(anon_x.get(url, {"format": "tsv"})).decode()
    assert tsv.splitlines()[0].split("\t")[:2] == ["_id", "id"]
    dumped = json.loads(body(anon_x.get(url, {"format": "json"})))
    assert [f["id"] for f in dumped["fields"]][:3] == ["_id", "id", "orgao"]
    assert dumped["records"][0] == [
        1,
        1,
        "Secretaria de Saúde",
        "Compra de seringas",
        1234.56,
        "2024-01-15",
        True,
        "00123",
    ]
    assert dumped["records"][4][3] == 'Pavimentação da rua "Central"'
    assert len(dumped["records"]) == 6
    page = json.loads(
        body(anon_x.get(url, {"format": "json", "limit": "2", "offset": "1", "sort": "id"}))
    )
    assert [r[1] for r in page["records"]] == [2, 3]
    filtered = json.loads(
        body(anon_x.get(url, {"format": "json", "filters": '{"orgao": "Gabinete"}'}))
    )
    assert [r[1] for r in filtered["records"]] == [4]
    none = json.loads(body(anon_x.get(url, {"format": "json", "filters": '{"orgao": "x"}'})))
    assert none["records"] == []
    assert anon_x.get(url, {"format": "xls"}).status_code == 400


def test_original_file(anon_x: Client, version: ResourceVersion) -> None:
    url = reverse("datastore:original", args=[version.resource_id, 1])
    response = anon_x.get(url)
    data = body(response)
    assert hashlib.sha256(data).hexdigest() == version.sha256
    assert response["Content-Disposition"] == 'attachment; filename="dados.csv"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] == f'"{version.sha256}"'
    assert anon_x.get(url, HTTP_IF_NONE_MATCH=f'"{version.sha256}"').status_code == 304
    assert (
        anon_x.get(reverse("datastore:original", args=[version.resource_id, 2])).status_code == 404
    )


def test_access_matrix(
    client_for: Any,
    version: ResourceVersion,
    town_x: Municipality,
    town_y: Municipality,
    unit_x_a: Unit,
    unit_y: Unit,
    admin_x: Any,
    data_editor_x: Any,
    data_editor_x_other: Any,
    citizen_a: Any,
    admin_y: Any,
) -> None:
    hidden = hidden_tables(town_x, unit_x_a, town_y, unit_y)

    def urls(v: ResourceVersion) -> list[str]:
        return [
            export_url(v, "csv"),
            export_url(v, "parquet"),
            reverse("datastore:dump", args=[v.resource_id]),
            reverse("datastore:original", args=[v.resource_id, v.number]),
        ]

    for user in (None, citizen_a, data_editor_x, data_editor_x_other, admin_x, admin_y):
        client = client_for(user, town_x)
        for url in urls(version):
            assert client.get(url).status_code == 200, (user, url)
        staff = user in (data_editor_x, admin_x)  # editors of unit A reach its originals
        for table in hidden:
            for url in urls(table):
                own = staff and table is not hidden.other_town and url.endswith("/original")
                response = client.get(url)
                if own:  # a staff download of an unpublished original: never cached
                    assert response.status_code == 200, (user, url)
                    assert response["Cache-Control"] == "private, no-store"
                else:
                    assert response.status_code == 404, (user, url)
    client_y = client_for(None, town_y)
    for url in urls(version):
        assert client_y.get(url).status_code == 404
    for url in urls(hidden.other_town):
        assert client_y.get(url).status_code == 200


def test_with_the_real_pipeline(anon_x: Client, town_x: Municipality, unit_x_a: Unit) -> None:
    from paco.opendata.testing import publish_table

    resource = publish_table(town_x, unit_x_a, csv_text="nome;valor\nAna;1.234,56\n=1+1;-3\n")
    assert resource.current_version is not None
    rows = list(
        csv.reader(
            io.StringIO(body(anon_x.get(export_url(resource.current_version, "csv"))).decode())
        )
    )
    assert rows[1:] == [["Ana", "1234.56"], ["'=1+1", "-3.0"]]


def test_client_going_away_stops_the_export(
    anon_x: Client, town_x: Municipality, unit_x_a: Unit
) -> None:
    import threading

    big = publish_parquet(
        town_x,
        unit_x_a,
        dataset="grande",
        sql="SELECT range AS id, repeat('x', 100) AS t FROM range(300000)",
    )
    response = anon_x.get(export_url(big, "csv"))
    chunks = iter(response.streaming_content)  # type: ignore[attr-defined]
    started = b""
    while len(started) < 5:  # DuckDB may write the header on its own
        started += next(chunks)
    assert started.startswith(b"id,t\n")
    response.close()  # what the WSGI server does when the client disconnects
    exporters = [t for t in threading.enumerate() if t.name == "paco-export"]
    for thread in exporters:
        thread.join(timeout=10)  # returns as soon as the thread ends
    assert not [t for t in exporters if t.is_alive()], "the export thread did not stop"
