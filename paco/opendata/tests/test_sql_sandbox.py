"""datastore_search_sql: one SELECT over the town's published tables, nothing else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from paco.opendata import storage
from paco.opendata.ckan.errors import NotAuthorized, ValidationError
from paco.opendata.datastore import sandbox
from paco.opendata.datastore.ckan_handlers import datastore_search_sql
from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import hidden_tables, publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a)


def sql_for(town: Municipality, sql: str) -> dict[str, Any]:
    request = RequestFactory().get("/api/3/action/datastore_search_sql")
    request.municipality = town  # type: ignore[attr-defined]
    return datastore_search_sql(request, {"sql": sql})


def refused(town: Municipality, sql: str) -> str:
    with pytest.raises(ValidationError) as exc:
        sql_for(town, sql)
    message = exc.value.errors["query"][0]
    assert message == exc.value.errors["message"]
    return str(message)


def test_select_over_a_published_table(version: ResourceVersion, town_x: Municipality) -> None:
    rid = version.resource_id
    result = sql_for(
        town_x,
        f'SELECT orgao, sum(valor) AS total FROM "{rid}" '  # noqa: S608
        "GROUP BY orgao ORDER BY total DESC NULLS LAST",
    )
    assert result["records"][0] == {"orgao": "Secretaria de Obras", "total": 98000.0}
    assert result["fields"] == [{"id": "orgao", "type": "text"}, {"id": "total", "type": "numeric"}]
    assert result["records_truncated"] is False
    # CTEs, upper-case ids, joins of a table with itself and trailing semicolons are fine
    cte = sql_for(
        town_x,
        f'WITH s AS (SELECT * FROM "{str(rid).upper()}" WHERE pago) '  # noqa: S608
        f'SELECT count(*) AS n FROM s JOIN "{rid}" b USING (id);',
    )
    assert cte["records"] == [{"n": 3}]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELECT * FROM read_csv('/etc/passwd')",
            "Funções de tabela não são permitidas (read_csv)",
        ),
        ("SELECT * FROM read_parquet('/tmp/x.parquet')", "Funções de tabela não são permitidas"),
        ("SELECT * FROM glob('/etc/*')", "Funções de tabela não são permitidas (glob)"),
        ("SELECT * FROM '/etc/passwd'", "Tabela não encontrada"),
        ("SELECT * FROM duckdb_settings()", "Funções de tabela não são permitidas"),
        ("SELECT * FROM query('SELECT 1')", "Funções de tabela não são permitidas"),
        ("SELECT getenv('HOME')", "Função não permitida: getenv"),
        ("SELECT current_setting('memory_limit')", "Função não permitida: current_setting"),
        ("SELECT * FROM information_schema.tables", "Tabela não encontrada"),
        ("SELECT * FROM duckdb_views", "Tabela não encontrada"),
        ("COPY (SELECT 1) TO '/tmp/x.csv'", "Somente consultas SELECT"),
        ("ATTACH '/tmp/x.db' AS x", "Somente consultas SELECT"),
        ("INSTALL httpfs", "Somente consultas SELECT"),
        ("LOAD httpfs", "Somente consultas SELECT"),
        ("SET threads = 8", "Somente consultas SELECT"),
        ("PRAGMA version", "Somente consultas SELECT"),
        ("CALL duckdb_settings()", "Somente consultas SELECT"),
        ("CREATE TABLE t AS SELECT 1", "Somente consultas SELECT"),
        ("SELECT 1; SELECT 2", "exatamente uma instrução"),
        ("SELECT 1; DROP TABLE x", "exatamente uma instrução"),
        ("DESCRIBE SELECT 1", "não são permitidos"),
        ("SELEC 1", "Erro de sintaxe"),
        ("", "Valor ausente"),
    ],
)
def test_refused(version: ResourceVersion, town_x: Municipality, sql: str, expected: str) -> None:
    if not sql:
        with pytest.raises(ValidationError) as exc:
            sql_for(town_x, sql)
        assert exc.value.errors == {"sql": ["Valor ausente"]}
        return
    assert expected in refused(town_x, sql)


def test_other_towns_and_unpublished_tables_do_not_exist(
    version: ResourceVersion,
    town_x: Municipality,
    town_y: Municipality,
    unit_y: Unit,
    unit_x_a: Unit,
) -> None:
    hidden = hidden_tables(town_x, unit_x_a, town_y, unit_y)
    for table in hidden:
        rid = table.resource_id
        assert "Tabela não encontrada" in refused(town_x, f'SELECT * FROM "{rid}"')  # noqa: S608
    # the same table is reachable from its own town
    other = hidden.other_town.resource_id
    assert len(sql_for(town_y, f'SELECT * FROM "{other}"')["records"]) == 6  # noqa: S608


def test_engine_lockdown_holds_without_the_parser_checks(version: ResourceVersion) -> None:
    """Even if the syntax check missed something, the locked database refuses it."""
    path = str(storage.local_path(version.parquet))
    tables = {"t": path}
    original = sandbox.check
    try:
        sandbox.check = lambda sql, allowed: (sql, set(allowed))
        for sql in (
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM read_text('/etc/hostname')",
            "COPY (SELECT 1) TO '/tmp/paco-sandbox-escape.csv'",
            "ATTACH '/tmp/paco-sandbox.db' AS x",
            "SET enable_external_access = true",
            "SET lock_configuration = false",
            "LOAD httpfs",
        ):
            with pytest.raises(sandbox.SqlRefused):
                sandbox.run(sql, tables, timeout=5, max_rows=10)
        ok = sandbox.run("SELECT count(*) AS n FROM t", tables, timeout=5, max_rows=10)
        assert ok.records == [{"n": 6}]
    finally:
        sandbox.check = original


def test_row_cap(version: ResourceVersion, town_x: Municipality, settings: Any) -> None:
    settings.PACO_SQL_MAX_ROWS = 4
    result = sql_for(town_x, f'SELECT * FROM "{version.resource_id}"')  # noqa: S608
    assert len(result["records"]) == 4 and result["records_truncated"] is True
    big = sql_for(town_x, "SELECT * FROM range(10)")
    assert big["records_truncated"] is True


def test_time_limit_interrupts_a_pathological_query(
    version: ResourceVersion, town_x: Municipality, settings: Any
) -> None:
    settings.PACO_SQL_TIMEOUT_SECONDS = 1
    # hours of work: only the interruption at the limit ends it, and its message says so
    message = refused(town_x, "SELECT count(*) FROM range(1000000000000) r WHERE hash(r.range) = 0")
    assert message.startswith("A consulta excedeu o limite de 1 s")


def test_memory_limit(version: ResourceVersion, town_x: Municipality) -> None:
    message = refused(town_x, "SELECT list(repeat('x', 1000)) FROM range(2000000)")
    assert message.startswith("A consulta precisou de mais memória do que o limite")


def test_switched_off(version: ResourceVersion, town_x: Municipality, settings: Any) -> None:
    settings.PACO_SQL_API = False
    with pytest.raises(NotAuthorized) as exc:
        sql_for(town_x, "SELECT 1")
    assert "desativada" in exc.value.message


def test_error_messages_do_not_leak_paths(version: ResourceVersion, town_x: Municipality) -> None:
    message = refused(town_x, f'SELECT nope FROM "{version.resource_id}"')  # noqa: S608
    assert "nope" in message and "/" not in message.replace("A/", "")


def test_size_cap_refuses_the_whole_result(
    version: ResourceVersion, town_x: Municipality, settings: Any
) -> None:
    sql = f'SELECT * FROM "{version.resource_id}" ORDER BY id'  # noqa: S608
    whole = sql_for(town_x, sql)
    exact = sandbox.json_size(whole["fields"]) + sandbox.json_size(whole["records"])
    settings.PACO_SQL_MAX_BYTES = exact
    assert sql_for(town_x, sql)["records"] == whole["records"]
    settings.PACO_SQL_MAX_BYTES = exact - 1
    message = refused(town_x, sql)
    assert "tamanho máximo de resposta" in message and "LIMIT" in message
    # a small answer over the same table still fits
    count = sql_for(town_x, f'SELECT count(*) AS n FROM "{version.resource_id}"')  # noqa: S608
    assert count["records"] == [{"n": 6}]


def test_size_cap_over_http_is_a_ckan_error_without_records(
    anon_x: Any, version: ResourceVersion, settings: Any
) -> None:
    settings.PACO_SQL_MAX_BYTES = 2_500_000
    sql = "SELECT repeat('ç', 1000) AS texto FROM range(2000)"  # ~4 MB of JSON
    response = anon_x.get("/api/3/action/datastore_search_sql", {"sql": sql})
    body = response.json()
    assert response.status_code == 409 and body["success"] is False
    assert "result" not in body
    assert "(2,5 MB)" in body["error"]["message"]
    settings.PACO_SQL_MAX_BYTES = 5_000_000
    ok = anon_x.get("/api/3/action/datastore_search_sql", {"sql": sql}).json()
    assert ok["success"] is True and len(ok["result"]["records"]) == 2000
