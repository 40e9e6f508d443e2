"""The files built once per published version (issue 12): same answers, files served, removed.

Every optimized path (DuckDB file, precomputed orders, row store, exports served as
files) must give exactly what the naive query over the Parquet file gives, on a table
with ties, NULLs and accents; ranges are served right; the files go away with the version.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from paco.opendata import actions
from paco.opendata.datastore import artifacts, exports
from paco.opendata.datastore.query import TableQuery, query_table
from paco.opendata.models import DatasetState, ResourceVersion
from paco.opendata.pipeline.tasks import measure_csv_export
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")

#: 1,000 rows: many ties, NULLs in every column, accents and case, NaN and -0.0
TRICKY_SQL = """
SELECT
  i AS id,
  CASE WHEN i % 7 = 0 THEN NULL
       ELSE (['Saúde', 'saude', 'Educação', 'EDUCAÇÃO', 'Obras', 'Ação Social'])[1 + i % 6]
  END AS orgao,
  CASE WHEN i % 11 = 0 THEN NULL WHEN i % 97 = 0 THEN 'NaN'::DOUBLE
       WHEN i % 89 = 0 THEN -0.0 ELSE ((i * 37) % 50) / 4.0 + 0.1 END AS valor,
  CASE WHEN i % 13 = 0 THEN NULL ELSE DATE '2024-01-01' + ((i * 7) % 30)::INTEGER END AS data,
  CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 3)::BIGINT END AS nivel,
  CASE WHEN i % 17 = 0 THEN NULL ELSE i % 2 = 0 END AS pago,
  'Descrição nº ' || (i % 40) || CASE WHEN i % 9 = 0 THEN ' "aspas"; vírgula, –' ELSE '' END
    AS descricao
FROM range(1, 1001) AS r(i)
"""
TRICKY_SCHEMA: dict[str, Any] = {
    "fields": [{"name": n} for n in ("id", "orgao", "valor", "data", "nivel", "pago", "descricao")]
}


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a, sql=TRICKY_SQL, schema=TRICKY_SCHEMA)


def naive_and_fast(
    version: ResourceVersion, query: TableQuery, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, Any]:
    with monkeypatch.context() as patch:
        patch.setattr(artifacts, "ready", lambda v: None)
        naive = query_table(version, query)
    assert artifacts.ready(version) is not None
    fast = query_table(version, query)
    return naive, fast


def queries() -> list[TableQuery]:
    out = []
    for column in ("valor", "data", "nivel", "orgao", "pago", "id", "_id"):
        for desc in (False, True):
            for offset in (0, 37, 500, 990, 2000):
                out.append(TableQuery(sort=[(column, desc)], limit=25, offset=offset))
    out += [
        TableQuery(filters={"orgao": "Saúde"}, sort=[("valor", True)], limit=30, offset=o)
        for o in (0, 10, 90, 200)
    ]
    out += [
        TableQuery(filters={"orgao": ["Educação", None]}, sort=[("data", False)], limit=50),
        TableQuery(filters={"pago": "sim"}, sort=[("valor", False), ("data", True)], limit=40),
        TableQuery(q="acao", sort=[("nivel", True)], limit=20, offset=5, include_id=True),
        TableQuery(conditions=[("valor", "gt", 5)], sort=[("valor", True)], limit=100),
        TableQuery(sort=[("valor", True)], fields=["descricao", "valor"], limit=10, offset=3),
        TableQuery(sort=[("data", False)], limit=10, include_total=False),
        TableQuery(sort=[("valor", True)], limit=0),
        TableQuery(limit=20, offset=100),  # no sort: file order
        TableQuery(filters={"orgao": "Obras"}, distinct=True, fields=["orgao", "nivel"]),
    ]
    return out


def test_every_optimized_page_equals_the_naive_query(
    version: ResourceVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifacts.build(version)
    for query in queries():
        query.include_id = query.include_id or query.fields is None
        naive, fast = naive_and_fast(version, query, monkeypatch)
        assert fast.records == naive.records, query
        assert fast.total == naive.total, query
        assert fast.fields == naive.fields, query


def test_keyset_pages_walk_the_same_rows(
    version: ResourceVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifacts.build(version)
    for sort in ([("valor", True)], [("data", False)], [("orgao", True), ("valor", False)]):
        after = None
        seen: list[int] = []
        while True:
            query = TableQuery(sort=sort, limit=97, after=after, include_id=True)
            naive, fast = naive_and_fast(version, query, monkeypatch)
            assert fast.records == naive.records
            if not fast.records:
                break
            seen += [r["_id"] for r in fast.records]
            last = fast.records[-1]
            after = [last[name] for name, _ in sort] + [last["_id"]]
        assert sorted(seen) == list(range(1, 1001))


def test_the_fast_paths_are_taken(
    version: ResourceVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The built table is read (not the Parquet file), and the orders exist for typed columns."""
    folder = artifacts.build(version)
    fetched: list[int] = []
    real = artifacts.RowStore.fetch

    def counting(store: artifacts.RowStore, keys: list[int]) -> list[dict[str, Any]]:
        fetched.extend(keys)
        return real(store, keys)

    monkeypatch.setattr(artifacts.RowStore, "fetch", counting)
    page = query_table(version, TableQuery(sort=[("valor", True)], limit=5, offset=100))
    assert len(fetched) == 5 and len(page.records) == 5  # the rows came from the row store
    import duckdb

    with duckdb.connect(str(folder / artifacts.TABLE), read_only=True) as con:
        tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    # id, valor, data, nivel are typed (int, numeric, date): two orders each
    assert {f"o_{i}_{d}" for i in (0, 2, 3, 4) for d in "ad"} <= tables
    assert "o_1_a" not in tables  # text: sorted by DuckDB at request time
    from paco.opendata.datastore.engine import table_for

    table = table_for(version)
    assert table.folder == str(folder) and table.scan.endswith(".t")


def export_url(version: ResourceVersion, fmt: str) -> str:
    return reverse("datastore:export", args=[version.resource_id, fmt])


def whole(response: Any) -> bytes:
    assert response.status_code in (200, 206), response
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_whole_table_exports_are_files_with_ranges(
    anon_x: Client, version: ResourceVersion, fmt: str
) -> None:
    streamed = anon_x.get(export_url(version, fmt))
    before = whole(streamed)
    artifacts.build(version)
    served = anon_x.get(export_url(version, fmt))
    data = whole(served)
    assert data == before  # byte for byte what the streamed export wrote
    assert served["Content-Length"] == str(len(data))
    assert served["Accept-Ranges"] == "bytes"
    assert served["ETag"] == streamed["ETag"]
    assert served["Content-Disposition"] == streamed["Content-Disposition"]
    size = len(data)
    part = anon_x.get(export_url(version, fmt), HTTP_RANGE="bytes=10-109")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 10-109/{size}"
    assert part["Content-Length"] == "100"
    assert whole(part) == data[10:110]
    tail = anon_x.get(export_url(version, fmt), HTTP_RANGE="bytes=-7")
    assert whole(tail) == data[-7:]
    assert tail["Content-Range"] == f"bytes {size - 7}-{size - 1}/{size}"
    rest = anon_x.get(export_url(version, fmt), HTTP_RANGE=f"bytes={size - 3}-")
    assert whole(rest) == data[-3:]
    beyond = anon_x.get(export_url(version, fmt), HTTP_RANGE=f"bytes={size}-")
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{size}"
    stale = anon_x.get(export_url(version, fmt), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"another"')
    assert stale.status_code == 200 and whole(stale) == data
    several = anon_x.get(export_url(version, fmt), HTTP_RANGE="bytes=0-1,5-6")
    assert several.status_code == 200 and whole(several) == data


def test_filtered_and_bom_exports_still_stream(anon_x: Client, version: ResourceVersion) -> None:
    artifacts.build(version)
    filtered = anon_x.get(export_url(version, "csv"), {"orgao": "Saúde", "sort": "-valor"})
    assert filtered.status_code == 200 and "Content-Length" not in filtered
    lines = whole(filtered).decode().splitlines()
    assert lines[0].startswith("id,orgao") and all(",Saúde," in line for line in lines[1:])
    bom = anon_x.get(export_url(version, "csv"), {"bom": "1"})
    assert whole(bom).startswith(b"\xef\xbb\xbfid,")


def test_csv_figures_are_the_served_file(version: ResourceVersion) -> None:
    streamed = exports.csv_export_figures(version)
    artifacts.build(version)
    export_file = artifacts.export_file(version, "csv")
    assert export_file is not None
    digest = hashlib.sha256(export_file.read_bytes()).hexdigest()
    assert exports.csv_export_figures(version) == streamed == (digest, export_file.stat().st_size)


def _files(version: ResourceVersion) -> list[Path]:
    root = artifacts.root()
    return [p for p in root.iterdir() if p.name.startswith(f"{version.resource_id}-")]


def test_withdrawing_the_dataset_removes_every_file(
    version: ResourceVersion, django_capture_on_commit_callbacks: Any
) -> None:
    artifacts.build(version)
    version.resource.dataset.refresh_from_db()
    dataset = version.resource.dataset
    assert _files(version)
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_dataset_state(None, dataset, DatasetState.DRAFT)
    assert _files(version) == []
    assert artifacts.ready(version) is None
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_dataset_state(None, dataset, DatasetState.PUBLISHED)
    assert artifacts.ready(version) is not None  # built again for the public (the task ran)


def test_deleting_a_version_removes_its_files(version: ResourceVersion) -> None:
    artifacts.build(version)
    assert _files(version)
    version.delete()
    assert _files(version) == []


def test_the_publication_task_builds_only_public_versions(
    town_x: Municipality, unit_x_a: Unit
) -> None:
    hidden = publish_parquet(town_x, unit_x_a, dataset="rascunho", published=False)
    measure_csv_export.call(hidden.pk)
    assert artifacts.ready(hidden) is None
    shown = publish_parquet(town_x, unit_x_a, sql=TRICKY_SQL, schema=TRICKY_SCHEMA)
    measure_csv_export.call(shown.pk)
    assert artifacts.ready(shown) is not None
    shown.refresh_from_db()
    built = artifacts.export_file(shown, "csv")
    assert built is not None
    assert shown.csv_sha256 == hashlib.sha256(built.read_bytes()).hexdigest()
    ready = json.loads((built.parent / artifacts.READY).read_text())
    assert ready["rows"] == 1000
