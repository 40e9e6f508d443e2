"""NUP allocation under concurrent submissions on a file SQLite database.

The in-memory SQLite test database cannot show it (one connection), so this test
migrates a real file database in a temporary data directory and has several
processes submit cases at the same time through :func:`open_case`; every number
must be unique and the sequence gap-free. (PostgreSQL: ``test_open_case.py``.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
NUP = re.compile(r"\d{5}\.\d{6}/\d{4}-\d{2}")
PROCESSES = 4
EACH = 25

SETUP = """
from paco.tenancy.models import Municipality
Municipality.objects.create(name="Concorrência", slug="conc", uf="SC", ibge_code="4219507",
    cnpj="11.222.333/0001-81", hosts="conc.test", email="c@conc.test")
"""

SUBMIT = """
import sys
from paco.atendimento.actions import Requester, open_case
from paco.tenancy.models import Municipality
town = Municipality.objects.get(slug="conc")
for i in range(%d):
    case = open_case(town, kind="esic", subject="s", description="d",
        requester=Requester(name="Maria", document="RG"))
    print(case.case.number, flush=True)
"""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only (PostgreSQL: threads)")
def test_processes_on_a_file_sqlite_database_get_unique_gap_free_numbers(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACO_", "DATABASE_URL"))}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.update(
        PACO_DATA_DIR=str(tmp_path / "data"),
        PACO_ENV="development",
        DATABASE_URL=f"sqlite:///{tmp_path / 'nup.sqlite3'}",
    )

    def paco(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "paco", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return done

    paco("migrate", "--noinput")
    paco("shell", "-c", SETUP)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "paco", "shell", "-c", SUBMIT % EACH],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    numbers: list[str] = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err[-3000:]
        numbers += [w for w in out.split() if NUP.fullmatch(w)]
    assert len(numbers) == PROCESSES * EACH, out[-2000:]
    sequences = sorted(int(n.split(".")[1].split("/")[0]) for n in numbers)
    assert sequences == list(range(1, PROCESSES * EACH + 1))
