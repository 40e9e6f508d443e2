"""`paco serve`: gunicorn + the task worker, supervised together, stopped cleanly.

These tests start the real command in a subprocess on a loopback port.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from paco.core.management.commands.serve import gunicorn_argv

ROOT = Path(__file__).resolve().parents[3]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def _get(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read()


def _wait_healthy(port, timeout=40):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, body = _get(f"http://127.0.0.1:{port}/healthz")
            if status == 200:
                return json.loads(body)
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("o servidor não respondeu a tempo")


def _wait(predicate, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def env(tmp_path):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("PACO_", "DATABASE_URL"))
    }
    environment.update(PACO_DATA_DIR=str(tmp_path / "data"), PACO_ENV="development")
    environment.pop("PYTEST_XDIST_WORKER", None)
    return environment


def _paco(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "paco", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


@contextlib.contextmanager
def _serving(env, port, log, *args):
    """`paco serve` in its own process group, killed at the end if the test left it running."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "paco", "serve", *args],
        cwd=ROOT,
        env={**env, "PORT": str(port)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.django_db
def test_start_message_names_the_site_and_the_staff_area(monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from paco.core.management.commands import serve

    started: list[list[str]] = []
    monkeypatch.setattr(serve.os, "execve", lambda path, argv, env: started.append(argv))
    out = StringIO()
    call_command("serve", "--skip-collectstatic", "--port", "8123", stdout=out)
    assert started, "gunicorn was not started"
    line = out.getvalue()
    assert "http://127.0.0.1:8123/ " in line
    assert "área do servidor em http://127.0.0.1:8123/gestao/" in line


def test_gunicorn_command_line_binds_host_and_port():
    argv = gunicorn_argv(
        host="192.0.2.10", port=8123, workers=1, threads=8, forwarded_allow_ips="10.0.0.1"
    )
    assert argv[argv.index("--bind") + 1] == "192.0.2.10:8123"
    assert argv[argv.index("-c") + 1] == "python:paco.core.server"
    assert argv[-1] == "paco.wsgi:application"


def test_serve_runs_web_and_tasks_restarts_them_and_stops_on_sigint(env, tmp_path):
    assert _paco(env, "migrate", "--no-input", "-v", "0").returncode == 0
    port = _free_port()
    with (tmp_path / "serve.log").open("w+") as log, _serving(env, port, log) as proc:
        assert _wait_healthy(port) == {"status": "ok", "database": "ok", "storage": "ok"}
        # `paco serve` became the gunicorn master; one web worker runs the tasks thread.
        workers = _children(proc.pid)
        assert len(workers) == 1
        assert list((tmp_path / "data" / "static").rglob("paco.*.css.gz"))

        # A queued task is run by the thread inside the web worker.
        enqueue = _paco(
            {**env, "PACO_EMAIL_HOST": ""},
            "shell",
            "-c",
            "from paco.core.mail import send_mail_task;"
            "print(send_mail_task.enqueue('Assunto ops', 'corpo', ['a@b.c']).id)",
        )
        task_id = enqueue.stdout.strip().splitlines()[-1]
        assert _wait(lambda: f"id={task_id}" in (tmp_path / "serve.log").read_text())
        assert "state=SUCCESSFUL" in (tmp_path / "serve.log").read_text()

        # If the web worker (and its task thread) dies, gunicorn starts a new pair.
        os.kill(workers[0], signal.SIGKILL)
        assert _wait(lambda: _children(proc.pid) not in ([], workers))
        _wait_healthy(port)
        log_text = (tmp_path / "serve.log").read_text()
        assert log_text.count("Starting worker") == 2

        # Ctrl+C stops everything.
        new_workers = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in new_workers)


def test_serve_refuses_insecure_production_configuration(env):
    result = _paco(
        {**env, "PACO_ENV": "production", "PACO_DEBUG": "1", "PACO_ALLOWED_HOSTS": "*"},
        "serve",
        "--skip-collectstatic",
    )
    assert result.returncode != 0
    assert "paco.E001" in result.stderr
    assert "paco.E003" in result.stderr


def test_with_two_web_processes_only_one_runs_tasks_and_both_stop_quickly(env, tmp_path):
    assert _paco(env, "migrate", "--no-input", "-v", "0").returncode == 0
    port = _free_port()
    log_path = tmp_path / "serve.log"
    args = ("--workers", "2", "--skip-collectstatic")
    with log_path.open("w") as log, _serving(env, port, log, *args) as proc:
        _wait_healthy(port)
        assert _wait(lambda: len(_children(proc.pid)) == 2)
        time.sleep(3)  # the second process keeps polling the lock, without running tasks
        assert log_path.read_text().count("Starting worker") == 1
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert time.monotonic() - started < 10


def test_task_thread_failure_terminates_its_web_process(monkeypatch, tmp_path):
    from django_tasks_db.management.commands import db_worker

    from paco.core import server

    class BrokenWorker:
        def __init__(self, **kwargs):
            self.running = True

        def run(self):
            raise RuntimeError("banco fora do ar")

    signals = []
    monkeypatch.setattr(db_worker, "Worker", BrokenWorker)
    monkeypatch.setattr(server.os, "kill", lambda pid, sig: signals.append((pid, sig)))
    thread = server.TaskThread(tmp_path / "tasks.lock", interval=0.1)
    thread.start()
    thread.join(timeout=10)
    assert signals == [(os.getpid(), signal.SIGTERM)]


def test_task_thread_waits_for_the_lock_and_stops_without_it(tmp_path):
    import fcntl

    from paco.core import server

    lock = tmp_path / "tasks.lock"
    with lock.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another web process runs the tasks
        thread = server.TaskThread(lock, interval=0.1)
        thread.start()
        time.sleep(0.3)
        assert thread.worker is None
        started = time.monotonic()
        thread.stop(timeout=5)
        assert not thread.is_alive()
        assert time.monotonic() - started < 1


def _rss(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _sql(port, sql):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/3/action/datastore_search_sql",
        data=json.dumps({"sql": sql}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_hostile_sql_is_refused_and_the_web_process_keeps_serving(env, tmp_path):
    """Issue 8 §5: `unnest(range(100000000))` took the only web process to 7 GB."""
    assert _paco(env, "migrate", "--no-input", "-v", "0").returncode == 0
    town = _paco(
        env,
        "shell",
        "-c",
        "from paco.tenancy.models import Municipality;"
        "Municipality.objects.create(name='Serve', slug='serve', uf='SC', ibge_code='4219507',"
        "cnpj='11.222.333/0001-81', hosts='127.0.0.1')",
    )
    assert town.returncode == 0, town.stderr
    port = _free_port()
    args = ("--skip-collectstatic", "--no-worker")
    with (tmp_path / "serve.log").open("w") as log, _serving(env, port, log, *args) as proc:
        _wait_healthy(port)
        (web,) = _children(proc.pid)
        assert _sql(port, "SELECT 1 AS um")[1]["result"]["records"] == [{"um": 1}]
        before = _rss(web)
        status, body = _sql(port, "SELECT count(*) FROM unnest(range(100000000))")
        assert status == 409 and body["success"] is False
        assert body["error"]["message"].startswith(
            "A consulta precisou de mais memória do que o limite (512 MB)"
        )
        assert _rss(web) - before < 100 * 1024 * 1024
        assert _children(proc.pid) == [web]  # the same web process, still serving
        assert _sql(port, "SELECT 2 AS dois")[1]["result"]["records"] == [{"dois": 2}]
        assert _wait_healthy(port)["status"] == "ok"
