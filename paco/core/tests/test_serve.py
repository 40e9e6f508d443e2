"""`paco serve`: gunicorn + the task worker, supervised together, stopped cleanly.

These tests start the real command in a subprocess on a loopback port.
"""

import concurrent.futures
import contextlib
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
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


def _get(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def _health(port):
    """/healthz once: gunicorn listens before it forks, so this waits for a web process."""
    status, body = _get(f"http://127.0.0.1:{port}/healthz")
    assert status == 200
    return json.loads(body)


class Log:
    """The server's output, line by line, as it comes (a thread reads the pipe)."""

    def __init__(self, stream, copy):
        self.lines = queue.Queue()
        self.seen = []
        self.copy = copy
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in iter(stream.readline, ""):
            self.copy.write(line)
            self.copy.flush()
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, predicate, count=1, timeout=60):
        """The lines of the whole output for which ``predicate`` is true, once there are
        ``count`` of them; fails on timeout or when the server exits first."""
        deadline = time.monotonic() + timeout
        while True:
            found = [line for line in self.seen if predicate(line)]
            if len(found) >= count:
                return found
            line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            if line is None:
                raise AssertionError("o servidor parou antes do esperado")
            self.seen.append(line)

    def drain(self):
        """Every line so far (reads those that arrived without waiting for more)."""
        while True:
            try:
                line = self.lines.get_nowait()
            except queue.Empty:
                return self.seen
            if line is not None:
                self.seen.append(line)


BOOTED = re.compile(r"Booting worker with pid: (\d+)")


def _booted(line):
    return BOOTED.search(line) is not None


def _pids(pattern, lines):
    return {int(pattern.search(line).group(1)) for line in lines}


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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        text=True,
    )
    try:
        yield proc, Log(proc.stdout, log)
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


TASKS_STARTED = re.compile(r"Starting worker worker_id=paco-(\d+)-")
ANSWERED = re.compile(r'"GET /healthz[^"]*" 200 .* pid=<(\d+)>')


def _enqueue_mail(env):
    enqueue = _paco(
        {**env, "PACO_EMAIL_HOST": ""},
        "shell",
        "-c",
        "from paco.core.mail import send_mail_task;"
        "print(send_mail_task.enqueue('Assunto ops', 'corpo', ['a@b.c']).id)",
    )
    return enqueue.stdout.strip().splitlines()[-1]


def _finished(task_id):
    return lambda line: f"id={task_id}" in line and "state=SUCCESSFUL" in line


def _answering(port, out, expected, timeout=60):
    """Concurrent requests, round after round, until every process in ``expected`` answered."""
    seen: set[int] = set()
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/healthz"
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        while seen != expected:
            assert time.monotonic() < deadline, f"só responderam {seen} de {expected}"
            assert all(status == 200 for status, _ in pool.map(_get, [url] * 16))
            for line in out.drain():
                if match := ANSWERED.search(line):
                    seen.add(int(match.group(1)))
    return seen


def test_serve_runs_both_cores_and_tasks_restarts_them_and_stops_on_sigint(env, tmp_path):
    from paco.core import server

    assert _paco(env, "migrate", "--no-input", "-v", "0").returncode == 0
    port = _free_port()
    expected = server.default_workers()  # one web process per core, up to two
    assert expected == min(2, len(os.sched_getaffinity(0)))
    with (tmp_path / "serve.log").open("w") as log, _serving(env, port, log) as (proc, out):
        booted = _pids(BOOTED, out.wait_for(_booted, expected))
        assert _health(port) == {"status": "ok", "database": "ok", "storage": "ok"}
        # `paco serve` became the gunicorn master of the web processes, and each answers.
        assert set(_children(proc.pid)) == booted
        assert _answering(port, out, booted) == booted
        assert list((tmp_path / "data" / "static").rglob("paco.*.css.gz"))

        # One web process runs the task thread; a queued task is run by it.
        (tasks_pid,) = _pids(TASKS_STARTED, out.wait_for(TASKS_STARTED.search))
        assert tasks_pid in booted
        out.wait_for(_finished(_enqueue_mail(env)))

        # If that process (and its task thread) dies, gunicorn starts a new one, and a
        # process (the other one, or the new one) takes over the tasks.
        os.kill(tasks_pid, signal.SIGKILL)
        (new,) = _pids(BOOTED, out.wait_for(_booted, expected + 1)) - booted
        taken_by = _pids(TASKS_STARTED, out.wait_for(TASKS_STARTED.search, 2)) - {tasks_pid}
        assert taken_by <= (booted - {tasks_pid}) | {new} and len(taken_by) == 1
        out.wait_for(_finished(_enqueue_mail(env)))
        assert _health(port)["status"] == "ok"

        # Ctrl+C stops everything.
        workers = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


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
    import fcntl

    assert _paco(env, "migrate", "--no-input", "-v", "0").returncode == 0
    port = _free_port()
    env = {**env, "PACO_SERVE_TASKS_INTERVAL": "0.2"}  # the other process polls the lock often
    args = ("--workers", "2", "--skip-collectstatic")
    with (tmp_path / "serve.log").open("w") as log, _serving(env, port, log, *args) as (proc, out):
        booted = _pids(BOOTED, out.wait_for(_booted, 2))
        (tasks_pid,) = _pids(TASKS_STARTED, out.wait_for(TASKS_STARTED.search))
        assert tasks_pid in booted
        out.wait_for(_finished(_enqueue_mail(env)))
        assert "".join(out.drain()).count("Starting worker") == 1  # the other one is still waiting
        lock = tmp_path / "data" / "tasks-worker.lock"
        with lock.open("a") as handle, pytest.raises(BlockingIOError):  # the task thread's
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc.send_signal(signal.SIGTERM)
        # both stop without waiting out the graceful timeout (25 s)
        assert proc.wait(timeout=15) == 0


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
        assert thread.waiting.wait(timeout=10)  # it tried the lock and found it held
        assert thread.worker is None
        thread.stop(timeout=5)
        assert not thread.is_alive()


def test_task_thread_hands_over_once_its_process_has_grown(monkeypatch, tmp_path):
    """After a heavy task (DuckDB…) the web process is retired and forked afresh."""
    from django_tasks_db.management.commands import db_worker

    from paco.core import server

    sizes = iter([100.0, 110.0, 150.0])  # MB: at the start, after task 1, after task 2

    class TwoTasks:
        def __init__(self, **kwargs):
            self.running = True
            self.ran = []

        def run_task(self, result):
            self.ran.append(result)

        def run(self):
            for task in ("leve", "pesada", "seguinte"):
                if not self.running:
                    return
                self.run_task(task)

    retired = threading.Event()
    monkeypatch.setattr(db_worker, "Worker", TwoTasks)
    monkeypatch.setattr(server, "resident_mb", lambda: next(sizes))
    monkeypatch.setattr("paco.opendata.pipeline.processing.recover_on_worker_start", lambda: None)
    thread = server.TaskThread(
        tmp_path / "tasks.lock", interval=0.1, recycle_mb=40, on_recycle=retired.set
    )
    thread.start()
    assert retired.wait(timeout=10)
    thread.join(timeout=10)
    assert thread.worker.ran == ["leve", "pesada"]  # the third is left for the next process


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
    args = ("--skip-collectstatic", "--no-worker", "--workers", "1")
    with (tmp_path / "serve.log").open("w") as log, _serving(env, port, log, *args) as (proc, out):
        out.wait_for(lambda line: "Listening at" in line)
        _health(port)
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
        assert _health(port)["status"] == "ok"


def test_an_idle_web_process_that_grew_is_retired_and_a_busy_one_is_not(monkeypatch):
    """A cold dataset page loads DuckDB (~50 MB); once idle, the process is forked afresh."""
    from types import SimpleNamespace

    from paco.core import server

    size = {"mb": 100.0}
    monkeypatch.setattr(server, "resident_mb", lambda: size["mb"])
    monkeypatch.setattr(server, "_task_thread", None)
    worker = SimpleNamespace(alive=True)

    recycler = server.IdleRecycler(worker, limit_mb=40, idle_seconds=0)
    assert not recycler.should_retire()  # idle, but not grown
    size["mb"] = 150.0
    recycler.request_started()
    assert not recycler.should_retire()  # grown, but a request is in flight
    recycler.request_finished()
    assert recycler.should_retire()

    patient = server.IdleRecycler(worker, limit_mb=40, idle_seconds=3600)
    size["mb"] = 200.0
    assert not patient.should_retire()  # grown, but served a request a moment ago

    recycler.idle_seconds = 0.02
    recycler.start()
    recycler.join(timeout=10)  # the thread ends once it has retired the process
    assert not recycler.is_alive()
    assert worker.alive is False
