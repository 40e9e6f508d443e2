"""Sorted pages are late-materialized: the same rows, in the same order, as the one-step query.

The table is full of ties (and NULLs) on purpose: only the row key ``_id`` tells
those rows apart, so a page that lost the tie-breaker would differ here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from paco.opendata.datastore.engine import connection, table_for
from paco.opendata.datastore.query import TableQuery, compile_query, query_table, run
from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")

#: 60 rows, 3 groups, 4 values (one of them NULL), a few repeated texts
TIES_SQL = """
SELECT i AS n,
       ['Saúde', 'Educação', 'Obras'][i % 3 + 1] AS orgao,
       CASE WHEN i % 4 = 0 THEN NULL ELSE (i % 4) * 10.0 END AS valor,
       'linha ' || (i % 5) AS texto
FROM range(60) AS r(i)
"""


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a, sql=TIES_SQL, schema={"fields": []})


def one_step(version: ResourceVersion, query: TableQuery) -> list[tuple[Any, ...]]:
    """The page as a single ``SELECT … ORDER BY … LIMIT … OFFSET`` (every column read)."""
    compiled = compile_query(table_for(version), query)
    sql = compiled.select_sql() + " LIMIT ? OFFSET ?"
    params = [*compiled.params, query.limit, query.offset]
    return connection().execute(sql, params).fetchall()


QUERIES = [
    TableQuery(sort=[("valor", True)], limit=7, offset=0),
    TableQuery(sort=[("valor", False)], limit=10, offset=35),
    TableQuery(sort=[("orgao", False), ("valor", True)], limit=9, offset=4),
    TableQuery(sort=[("texto", True)], filters={"orgao": "Saúde"}, limit=5, offset=3),
    TableQuery(sort=[("valor", True)], conditions=[("valor", "gte", 20)], q="linha", limit=6),
    TableQuery(sort=[("valor", False)], fields=["texto"], limit=8, offset=50),
    TableQuery(sort=[("_id", True)], limit=4, offset=2),
    TableQuery(sort=[("valor", True)], limit=10, offset=40),  # values, then NULLs
    TableQuery(sort=[("valor", True)], limit=5, offset=58),  # a short last page
    TableQuery(sort=[("valor", True)], limit=5, offset=100),  # past the end
    TableQuery(sort=[("orgao", True)], after=["Saúde", 10], limit=6),  # keyset
    TableQuery(after=[30], limit=6),  # keyset without a sort
]


@pytest.mark.parametrize("query", QUERIES)
def test_late_page_equals_the_one_step_query(version: ResourceVersion, query: TableQuery) -> None:
    query = dataclasses.replace(query, include_id=True)
    compiled = compile_query(table_for(version), query)
    assert compiled.keyed  # the late path is the one under test
    rows, _total = run(compiled, query)
    assert rows == one_step(version, query)
    if query.fields is None:  # ``_id`` first: no row twice
        assert len({row[0] for row in rows}) == len(rows)


def test_pages_of_a_tied_sort_cover_every_row_once(version: ResourceVersion) -> None:
    seen: list[int] = []
    for offset in range(0, 60, 7):
        page = query_table(
            version, TableQuery(sort=[("valor", True)], include_id=True, limit=7, offset=offset)
        )
        seen += [r["_id"] for r in page.records]
    assert sorted(seen) == list(range(1, 61))
    # within each value, rows keep the file's order (the ``_id`` tie-breaker)
    full = query_table(version, TableQuery(sort=[("valor", True)], include_id=True, limit=60))
    assert seen == [r["_id"] for r in full.records]
    assert [r["valor"] for r in full.records[:3]] == [30.0, 30.0, 30.0]
    assert full.records[-1]["valor"] is None


def test_distinct_and_unsorted_pages_keep_the_one_step_query(version: ResourceVersion) -> None:
    table = table_for(version)
    assert not compile_query(table, TableQuery(limit=5)).keyed
    distinct = TableQuery(fields=["orgao"], distinct=True, sort=[("orgao", False)])
    assert not compile_query(table, distinct).keyed
    assert [r["orgao"] for r in query_table(version, distinct).records] == [
        "Educação",
        "Obras",
        "Saúde",
    ]
