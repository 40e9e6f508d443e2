"""Kill the worker mid-import (SIGKILL): what is published stays, and the job resumes.

The import itself runs in a child of the worker (a grandchild, through the fork
server). Killing the worker takes that child with it, and the worker's next
start-up resumes the job at once (its process is gone), not five minutes later.
Killing only the import's child leaves the worker running; it records the
version as FAILED, naming the signal, and nothing retries it.

Everything runs in real child processes against a database they share with
this test: a SQLite file (migrated by a child) or, on PostgreSQL, the test
database itself (``transaction=True`` so the children see committed rows).
"""

from __future__ import annotations

import json
import os
import queue
import select
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 1_000_000  # ~1 s of import on a quiet 2-core machine: the kill lands inside it

SETUP = """
import io, json, sys
import django
django.setup()
from paco.opendata.pipeline.actions import submit_version
from paco.opendata.testing import publish_table
from paco.tenancy.models import Municipality, Unit
town = Municipality.objects.create(name="Kill", slug="kill", uf="SC", ibge_code="4219507",
                                   cnpj="11.222.333/0001-81", hosts="kill.paco.test")
unit = Unit.objects.create(municipality=town, name="Gabinete", acronym="GAB", slug="gab")
resource = publish_table(town, unit)
with open(sys.argv[1], "rb") as fh:
    v2 = submit_version(None, resource, fh, "grande.csv", auto_publish=True, accept_errors=True,
                        enqueue=False)
print(json.dumps({"resource": str(resource.pk), "v1": resource.current_version_id,
                  "v1_parquet": resource.current_version.parquet, "v2": v2.pk}))
"""

WORK = """
import sys
import django
django.setup()
from paco.opendata.pipeline.processing import run_version
run_version(int(sys.argv[1]), echo=lambda percent, message: print(percent, message, flush=True))
print("terminou")
"""

RECOVER = """
import json
import django
django.setup()
from paco.audit.models import AuditEntry
from paco.opendata.pipeline.processing import recover_on_worker_start
recover_on_worker_start()  # what the worker does when it starts
resumed = AuditEntry.objects.filter(action="version.resume").values_list("object_id", flat=True)
print(json.dumps([int(pk) for pk in resumed]))
"""


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process visible in /proc."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        table[int(entry.name)] = (int(fields[1]), fields[0])
    return table


def _grandchildren(pid: int) -> list[int]:
    """The import's child: forked by the fork server, itself a child of ``pid``."""
    table = _processes()
    children = {p for p, (parent, _) in table.items() if parent == pid}
    return [p for p, (parent, state) in table.items() if parent in children and state != "Z"]


#: what the worker prints (its progress echo) when the import's child reports from inside
#: the conversion: the child exists and is converting
CONVERTING = "convertendo"


def _output(proc: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The process's stdout lines as they come (``None`` at its end), read by a thread."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines


def _wait_for_line(lines: queue.Queue[str | None], marker: str, timeout: float = 120) -> str:
    """Block until a line containing ``marker`` arrives; fail if the output ends first."""
    while True:
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no line with {marker!r} within {timeout} s") from None
        if line is None:
            raise AssertionError(f"the process ended before printing {marker!r}")
        if marker in line:
            return line


def _wait_for_exit(pid: int, timeout: float = 30) -> None:
    """Block until process ``pid`` (not a child of ours) has exited: its pidfd turns readable."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return  # already gone
    try:
        readable, _, _ = select.select([fd], [], [], timeout)
        assert readable, f"process {pid} still running after {timeout} s"
    finally:
        os.close(fd)


def _big_csv(path: Path) -> None:
    with path.open("w", encoding="cp1252", newline="") as out:
        out.write("data;credor;histórico;valor\r\n")
        for n in range(ROWS):
            out.write(
                f'{n % 28 + 1:02d}/03/2024;Fornecedor {n % 977} Ltda;"Empenho nº {n} – '
                f'serviço “contínuo”";{n % 9000 + 1}.{n % 1000:03d},{n % 100:02d}\r\n'
            )


class Shared:
    """The database the children use, seen from this process."""

    def __init__(self, tmp: Path) -> None:
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            s = connection.settings_dict
            auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
            self.url = (
                f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
            )
        else:
            self.path = tmp / "db.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def one(self, sql: str, *params: Any) -> tuple[Any, ...] | None:
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchone()
        with sqlite3.connect(self.path, timeout=10) as con:
            return con.execute(sql, params).fetchone()


def _env(data_dir: Path, url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="paco.settings",
        PACO_ENV="test",
        PACO_DATA_DIR=str(data_dir),
        DATABASE_URL=url,
        PACO_SECRET_KEY="chave-do-teste-de-interrupcao-" + "x" * 30,
    )
    return env


def _run(script: str, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_sigkill_mid_import_keeps_published_version_and_job_resumes(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = Shared(tmp_path)
    env = _env(data_dir, db.url)
    if db.vendor != "postgresql":
        paco = str(Path(sys.executable).with_name("paco"))
        subprocess.run([paco, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=300)
    big = tmp_path / "grande.csv"
    _big_csv(big)
    ids = json.loads(_run(SETUP, str(big), env=env))

    with (tmp_path / "worker.err").open("w") as errors:
        worker = subprocess.Popen(
            [sys.executable, "-c", WORK, str(ids["v2"])],
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    status_sql = "SELECT status, attempts FROM opendata_resourceversion WHERE id = ?"
    try:
        _wait_for_line(_output(worker), CONVERTING)  # the child reports from the conversion
    except AssertionError:
        raise AssertionError((tmp_path / "worker.err").read_text()[-3000:]) from None
    (child,) = _grandchildren(worker.pid)
    assert db.one(status_sql, ids["v2"]) == ("processing", 1)
    assert worker.poll() is None, "the import ended before the kill: make the file bigger"
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    # the import's child died with its worker: nothing keeps writing for a dead attempt
    _wait_for_exit(child)

    # what is published did not move, and its file is intact
    current_sql = "SELECT current_version_id FROM opendata_resource WHERE id = ?"
    resource_key = (
        ids["resource"] if db.vendor == "postgresql" else ids["resource"].replace("-", "")
    )
    assert db.one(current_sql, resource_key) == (ids["v1"],)
    assert db.one(status_sql, ids["v2"]) == ("processing", 1)
    parquet = data_dir / "media" / ids["v1_parquet"]
    with duckdb.connect() as con:
        assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(parquet)]).fetchone() == (
            5,
        )

    # the worker starting again (right away: no five-minute wait) resumes it to completion
    assert json.loads(_run(RECOVER, env=env)) == [ids["v2"]]
    final = db.one(
        "SELECT status, attempts, rows FROM opendata_resourceversion WHERE id = ?", ids["v2"]
    )
    assert final == ("published", 2, ROWS)
    assert db.one(current_sql, resource_key) == (ids["v2"],)


def test_killing_the_import_child_fails_the_version_and_the_worker_lives(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = Shared(tmp_path)
    env = _env(data_dir, db.url)
    if db.vendor != "postgresql":
        paco = str(Path(sys.executable).with_name("paco"))
        subprocess.run([paco, "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=300)
    big = tmp_path / "grande.csv"
    _big_csv(big)
    ids = json.loads(_run(SETUP, str(big), env=env))

    with (tmp_path / "worker.err").open("w") as errors:
        worker = subprocess.Popen(
            [sys.executable, "-c", WORK, str(ids["v2"])],
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    output = _output(worker)
    _wait_for_line(output, CONVERTING)  # the import's child is converting
    (child,) = _grandchildren(worker.pid)
    os.kill(child, signal.SIGKILL)  # as the kernel's OOM killer would
    worker.wait(timeout=120)
    assert worker.returncode == 0, (tmp_path / "worker.err").read_text()[-3000:]
    assert _wait_for_line(output, "terminou") == "terminou"  # the worker went on

    row = db.one(
        "SELECT status, attempts, error, parquet FROM opendata_resourceversion WHERE id = ?",
        ids["v2"],
    )
    assert row is not None
    status, attempts, error, parquet = row
    assert (status, attempts, parquet) == ("failed", 1, "")
    assert error.startswith(
        "A importação foi interrompida: o processo terminou de forma anormal (sinal 9 – SIGKILL)"
    )
    resource_key = (
        ids["resource"] if db.vendor == "postgresql" else ids["resource"].replace("-", "")
    )
    current_sql = "SELECT current_version_id FROM opendata_resource WHERE id = ?"
    assert db.one(current_sql, resource_key) == (ids["v1"],)
    # a worker starting later does not retry it
    assert json.loads(_run(RECOVER, env=env)) == []
    assert db.one(
        "SELECT status, attempts FROM opendata_resourceversion WHERE id = ?", ids["v2"]
    ) == ("failed", 1)
