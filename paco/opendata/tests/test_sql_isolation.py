"""User SQL runs in capped worker processes: no query can take the web process down.

Issue 8 §5 reproduction: an anonymous ``datastore_search_sql`` with
``SELECT count(*) FROM unnest(range(100000000))`` ran for a minute (limit 10 s)
and took the web process to 7 GB (limit 256 MB). Here each hostile query is
refused in pt-BR, the test process's own resident memory does not grow, and the
next normal query answers.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from paco.opendata.datastore import sandbox
from paco.opendata.isolation import resident_size
from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage  # noqa: F401
from paco.opendata.tests.datastore_support import publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")

URL = "/api/3/action/datastore_search_sql"
TIME = "A consulta excedeu o limite de 2 s"
MEMORY = "A consulta precisou de mais memória do que o limite (256 MB)"
#: growth of this process allowed by a refused query (a leak would be gigabytes)
RSS_SLACK = 64 * 1024 * 1024


@pytest.fixture
def version(town_x: Municipality, unit_x_a: Unit) -> ResourceVersion:
    return publish_parquet(town_x, unit_x_a)


@pytest.fixture
def limits(settings: Any) -> Any:
    settings.PACO_SQL_TIMEOUT_SECONDS = 2
    settings.PACO_SQL_MEMORY_MB = 256
    settings.PACO_SQL_CONCURRENCY = 2
    settings.PACO_SQL_QUEUE_SECONDS = 2
    return settings


def peak_since_reset() -> Any:
    """A function giving this process's peak resident memory since now (VmHWM, reset here)."""
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark restarts from VmRSS
    start = _status("VmRSS")
    return lambda: _status("VmHWM") - start


def _status(key: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
    raise AssertionError(key)


def post(client: Client, sql: str) -> tuple[int, dict[str, Any]]:
    response = client.post(URL, json.dumps({"sql": sql}), content_type="application/json")
    return response.status_code, response.json()


def normal_query_answers(client: Client, version: ResourceVersion) -> None:
    status, body = post(client, f'SELECT count(*) AS n FROM "{version.resource_id}"')  # noqa: S608
    assert status == 200 and body["result"]["records"] == [{"n": 6}]


def workers() -> list[int]:
    pool = sandbox.pool(sandbox.pool_settings())
    return [w.process.pid for w in pool.idle if w.process.pid is not None]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # the exact reproduction of the issue
        ("SELECT count(*) FROM unnest(range(100000000))", (MEMORY,)),
        ("SELECT length(repeat('x', 2000000000)) AS n", (MEMORY,)),
        ("SELECT count(*) FROM range(1000000) a, range(1000000) b", (TIME,)),
        (
            "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) "
            "SELECT count(*) FROM t",
            (TIME, MEMORY),
        ),
        ("SELECT length(string_agg(repeat('x', 1000), ',')) FROM range(10000000)", (TIME, MEMORY)),
        ("SELECT list(repeat('x', 1000)) FROM generate_series(1, 2000000)", (TIME, MEMORY)),
    ],
)
def test_generators_cannot_outgrow_the_limits(
    anon_x: Client, version: ResourceVersion, limits: Any, sql: str, expected: tuple[str, ...]
) -> None:
    normal_query_answers(anon_x, version)  # the pool is up
    before = resident_size()
    peak = peak_since_reset()
    status, body = post(anon_x, sql)
    grown, peaked = resident_size() - before, peak()
    assert status == 409 and body["success"] is False
    message = body["error"]["message"]
    assert any(message.startswith(e) for e in expected), message
    assert grown < RSS_SLACK, f"the web process grew {grown / 2**20:.0f} MB"
    assert peaked < RSS_SLACK, f"the web process peaked {peaked / 2**20:.0f} MB higher"
    normal_query_answers(anon_x, version)


def test_a_worker_past_its_time_is_killed_and_replaced(
    anon_x: Client, version: ResourceVersion, limits: Any
) -> None:
    normal_query_answers(anon_x, version)
    before = set(workers())
    status, body = post(anon_x, "SELECT count(*) FROM range(1000000) a, range(1000000) b")
    assert status == 409 and body["error"]["message"].startswith(TIME)
    after = set(workers())
    killed = before - after
    assert len(killed) == 1 and len(after) == len(before)
    (pid,) = killed
    assert not Path(f"/proc/{pid}").exists()  # killed and reaped, not left running
    normal_query_answers(anon_x, version)


def test_workers_run_under_an_address_space_cap(
    anon_x: Client, version: ResourceVersion, limits: Any
) -> None:
    normal_query_answers(anon_x, version)
    for pid in workers():
        assert pid != os.getpid()
        limits_text = Path(f"/proc/{pid}/limits").read_text()
        line = next(x for x in limits_text.splitlines() if x.startswith("Max address space"))
        soft = line.split()[3]
        assert soft != "unlimited" and int(soft) > 256 * 1024 * 1024


def test_a_worker_killed_while_idle_is_replaced(
    anon_x: Client, version: ResourceVersion, limits: Any
) -> None:
    normal_query_answers(anon_x, version)
    pool = sandbox.pool(sandbox.pool_settings())
    for worker in pool.idle:
        os.kill(worker.process.pid, signal.SIGKILL)
        assert worker.conn.poll(10)  # its end of the pipe closed: it is gone
    normal_query_answers(anon_x, version)
    normal_query_answers(anon_x, version)


def test_beyond_the_concurrency_the_answer_is_try_again(
    anon_x: Client, version: ResourceVersion, limits: Any
) -> None:
    limits.PACO_SQL_CONCURRENCY = 1
    limits.PACO_SQL_QUEUE_SECONDS = 0
    pool = sandbox.pool(sandbox.pool_settings())
    assert pool.slots.acquire(timeout=5)  # the only worker is busy with another query
    try:
        status, body = post(anon_x, "SELECT 1 AS um")
    finally:
        pool.slots.release()
    assert status == 503 and body["success"] is False
    assert body["error"]["__type"] == "Service Unavailable"
    assert "tente novamente" in body["error"]["message"]
    normal_query_answers(anon_x, version)
