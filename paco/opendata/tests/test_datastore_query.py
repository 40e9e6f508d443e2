"""query_table: filters, full text, sorting, paging, keyset, facets, safety of names and values."""

from __future__ import annotations

from typing import Any

import pytest

from paco.opendata.datastore.query import (
    QueryError,
    TableQuery,
    facet_counts,
    query_table,
)
from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a)


def ids(result: Any) -> list[int]:
    return [r["id"] for r in result.records]


def test_fields_types_and_dictionary_info(version: ResourceVersion) -> None:
    version.resource.dictionary = {"descricao": {"title": "Descrição", "description": "Objeto"}}
    version.resource.save()
    result = query_table(version, TableQuery())
    types = {f["id"]: f["type"] for f in result.fields}
    assert types == {
        "id": "int", "orgao": "text", "descricao": "text", "valor": "numeric",
        "data": "date", "pago": "bool", "codigo": "text",
    }  # fmt: skip
    info = {f["id"]: f.get("info") for f in result.fields}
    assert info["orgao"] == {"label": "Órgão", "notes": "Quem gastou"}
    assert info["descricao"] == {"label": "Descrição", "notes": "Objeto"}
    assert (info["valor"] or {})["unit"] == "R$"
    assert result.total == 6
    first = result.records[0]
    assert (
        first["data"] == "2024-01-15" and first["valor"] == 1234.56 and first["codigo"] == "00123"
    )
    assert ids(result) == [1, 2, 3, 4, 5, 6]


def test_include_id_is_the_row_ordinal(version: ResourceVersion) -> None:
    result = query_table(version, TableQuery(include_id=True, sort=[("valor", True)], limit=2))
    assert result.fields[0] == {"id": "_id", "type": "int"}
    assert [(r["_id"], r["id"]) for r in result.records] == [(5, 5), (1, 1)]


def test_equality_list_and_null_filters(version: ResourceVersion) -> None:
    assert ids(query_table(version, TableQuery(filters={"orgao": "Secretaria de Saúde"}))) == [
        1,
        3,
        6,
    ]
    both = TableQuery(filters={"orgao": ["Gabinete", "Secretaria de Obras"]})
    assert ids(query_table(version, both)) == [4, 5]
    assert ids(query_table(version, TableQuery(filters={"valor": None}))) == [4]
    assert ids(query_table(version, TableQuery(filters={"pago": "sim", "valor": "10"}))) == [6]
    assert ids(query_table(version, TableQuery(filters={"data": "10/03/2024"}))) == [3, 6]
    assert ids(query_table(version, TableQuery(filters={"codigo": "00123"}))) == [1]


def test_operators(version: ResourceVersion) -> None:
    def run(*conds: tuple[str, str, Any]) -> list[int]:
        return ids(query_table(version, TableQuery(conditions=list(conds))))

    assert run(("valor", "gt", 500)) == [1, 5]
    assert run(("valor", "gte", "500")) == [1, 2, 5]
    assert run(("valor", "lt", 0)) == [3]
    assert run(("valor", "lte", "10,0")) == [3, 6]
    assert run(("orgao", "ne", "Secretaria de Saúde")) == [2, 4, 5]
    assert run(("id", "in", ["2", "4"])) == [2, 4]
    assert run(("descricao", "contains", "acao")) == [5, 6]
    assert run(("descricao", "contains", "VACINAÇÃO")) == [6]
    assert run(("data", "gte", "2024-02-01"), ("data", "lt", "2024-03-10")) == [2]


def test_full_text_is_accent_and_case_insensitive(version: ResourceVersion) -> None:
    assert ids(query_table(version, TableQuery(q="saude"))) == [1, 3, 6]
    assert ids(query_table(version, TableQuery(q="SAÚDE vacinacao"))) == [6]
    assert ids(query_table(version, TableQuery(q={"descricao": "merenda"}))) == [2]
    assert ids(query_table(version, TableQuery(q="%"))) == []  # no LIKE wildcards


def test_sort_nulls_last_and_paging(version: ResourceVersion) -> None:
    asc = query_table(version, TableQuery(sort=[("valor", False)]))
    assert ids(asc) == [3, 6, 2, 1, 5, 4]
    desc = query_table(version, TableQuery(sort=[("valor", True)], limit=2, offset=1))
    assert ids(desc) == [1, 2] and desc.total == 6
    multi = query_table(version, TableQuery(sort=[("orgao", False), ("id", True)]))
    assert ids(multi) == [4, 2, 5, 6, 3, 1]
    none = query_table(version, TableQuery(limit=0))
    assert none.records == [] and none.total == 6


def test_fields_selection_and_distinct(version: ResourceVersion) -> None:
    result = query_table(
        version, TableQuery(fields=["orgao"], distinct=True, sort=[("orgao", False)])
    )
    assert [r["orgao"] for r in result.records] == [
        "Gabinete", "Secretaria de Educação", "Secretaria de Obras", "Secretaria de Saúde",
    ]  # fmt: skip
    assert result.total == 4
    assert [f["id"] for f in result.fields] == ["orgao"]


@pytest.mark.parametrize("sort", [[], [("valor", True)], [("data", False), ("orgao", True)]])
def test_keyset_pages_cover_every_row_once(version: ResourceVersion, sort: Any) -> None:
    full = query_table(version, TableQuery(sort=sort, include_id=True))
    seen: list[int] = []
    after = None
    while True:
        page = query_table(
            version,
            TableQuery(sort=sort, include_id=True, limit=2, after=after, include_total=False),
        )
        if not page.records:
            break
        seen += ids(page)
        last = page.records[-1]
        after = [last[name] for name, _ in sort] + [last["_id"]]
    assert seen == ids(full)
    assert sorted(seen) == [1, 2, 3, 4, 5, 6]


def test_facets(version: ResourceVersion) -> None:
    counts = facet_counts(version, TableQuery(), "orgao")
    assert counts[0] == {"value": "Secretaria de Saúde", "count": 3}
    assert len(counts) == 4
    filtered = facet_counts(version, TableQuery(conditions=[("valor", "gt", 400)]), "orgao")
    assert {c["value"]: c["count"] for c in filtered} == {
        "Secretaria de Saúde": 1, "Secretaria de Educação": 1, "Secretaria de Obras": 1,
    }  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [
        TableQuery(filters={'orgao" = 1 OR 1=1 --': "x"}),
        TableQuery(fields=["orgao", "nope"]),
        TableQuery(sort=[("valor; DROP TABLE x", False)]),
        TableQuery(filters={"valor": "abc"}),
        TableQuery(filters={"data": "31/02/2024"}),
        TableQuery(conditions=[("valor", "like", "1")]),
        TableQuery(limit=32001),
        TableQuery(offset=-1),
        TableQuery(after=["x"]),
    ],
)
def test_bad_requests_raise_query_error(version: ResourceVersion, query: TableQuery) -> None:
    with pytest.raises(QueryError) as exc:
        query_table(version, query)
    assert exc.value.message


def test_values_are_bound_not_interpolated(version: ResourceVersion) -> None:
    evil = "x' OR '1'='1"
    assert query_table(version, TableQuery(filters={"orgao": evil})).records == []
    assert (
        query_table(version, TableQuery(filters={"descricao": '=HYPERLINK("http://mal")'})).total
        == 1
    )


def test_odd_column_names(town_x: Municipality, unit_x_a: Unit) -> None:
    sql = (
        "SELECT * FROM (VALUES (1, 'a', 'b'), (2, 'c', 'd')) "
        'AS t("Nº do ""empenho""", "Órgão; DROP", "select")'
    )
    version = publish_parquet(town_x, unit_x_a, sql=sql, schema={"fields": []})
    result = query_table(
        version,
        TableQuery(
            filters={"Órgão; DROP": "c"}, sort=[('Nº do "empenho"', True)], fields=["select"]
        ),
    )
    assert result.records == [{"select": "d"}]
