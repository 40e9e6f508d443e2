"""The scale-out topology of docs/deployment.md §7, started on loopback addresses.

PostgreSQL (the machine's server: a fresh database per run, dropped at the end),
an S3-compatible object store (moto in server mode), Redis as the shared cache,
two web nodes (``paco serve --no-worker``), one task worker (``paco db_worker``)
and HAProxy in front with TLS (``scale/haproxy.cfg``, the file the docs ship).

Every wait is on an event (a port accepting, an HTTP answer, a process exiting),
polled at short intervals with a deadline; nothing sleeps a fixed time. Every
process runs in its own process group and is stopped, with the database and the
bucket, when the cluster closes — whatever happened before.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CFG = ROOT / "scale" / "haproxy.cfg"
BIN = Path(sys.executable).parent
PAGE_CACHE_SECONDS = 300
DOMAIN = "scale.test"
TOWN_HOST = f"santarita.{DOMAIN}"
PORTS = range(8300, 8400)
# One loopback address per role, so each listens where the docs say a machine would.
LB_ADDR, WEB_A_ADDR, WEB_B_ADDR, REDIS_ADDR, S3_ADDR = (
    "127.0.0.10",
    "127.0.0.11",
    "127.0.0.12",
    "127.0.0.13",
    "127.0.0.14",
)
PG_URL = os.environ.get("PACO_SCALE_PG", "postgres://postgres@127.0.0.1:5432")
S3_KEY = "paco-scale"


class ClusterError(RuntimeError):
    pass


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.05) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except ClusterError:
            raise
        except Exception as exc:  # not yet: a refused connection, a 503…
            last = exc
        else:
            if result:
                return result
        time.sleep(every)
    raise ClusterError(f"timed out after {timeout:.0f}s waiting for {what} (last error: {last!r})")


def free_port(host: str) -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise ClusterError(f"no free port in {PORTS.start}-{PORTS.stop - 1} on {host}")


def port_open(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.popen.poll() is None

    def check_alive(self) -> bool:
        if not self.alive():
            raise ClusterError(f"{self.name} exited with {self.popen.returncode}:\n{self.tail()}")
        return True

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def tracebacks(self, most: int = 3) -> list[str]:
        """The last tracebacks the process logged (an error a test saw as a 500)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        blocks = text.split("Traceback (most recent call last):")[1:]
        return [f"--- {self.name}: Traceback\n{b[:4000]}" for b in blocks[-most:]]

    def signal_group(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)


@dataclass
class Node:
    """A web node: ``paco serve --no-worker`` on its own address and data directory."""

    name: str
    host: str
    port: int
    env: dict[str, str]
    proc: Proc | None = None

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"


@dataclass
class Cluster:
    workdir: Path
    processes: list[Proc] = field(default_factory=list)
    databases: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    lb_port: int = 0
    s3_port: int = 0
    redis_port: int = 0
    bucket: str = ""
    database: str = ""
    ca_file: Path = Path()
    seed: dict[str, Any] = field(default_factory=dict)
    credentials: dict[str, str] = field(default_factory=dict)

    # --- processes -------------------------------------------------------------
    def spawn(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Proc:
        log = self.workdir / f"{name}.log"
        handle = log.open("ab")
        popen = subprocess.Popen(
            argv,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env or dict(os.environ),
            cwd=self.workdir,
            start_new_session=True,  # its own process group: stopped whole
        )
        handle.close()
        proc = Proc(name, popen, log)
        self.processes.append(proc)
        return proc

    def run(self, name: str, argv: list[str], env: dict[str, str], timeout: float = 300) -> str:
        """Run a command to completion; its stdout, or ClusterError with its output."""
        done = subprocess.run(
            argv,
            env=env,
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        with (self.workdir / f"{name}.log").open("a") as log:
            log.write(done.stdout + done.stderr)
        if done.returncode != 0:
            raise ClusterError(f"{name} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def paco(self, name: str, *args: str, env: dict[str, str] | None = None) -> str:
        return self.run(name, [str(BIN / "paco"), *args], env or self.env)

    def seed_step(self, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
        out = self.run(
            f"seed-{args[0]}",
            [sys.executable, str(ROOT / "scale" / "seed.py"), *args],
            env or self.env,
        )
        return json.loads(out.strip().splitlines()[-1])

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self.run("psql", ["psql", f"{PG_URL}/{database}", "-qAtc", sql], dict(os.environ))

    def row_counts(self, database: str) -> dict[str, int]:
        """Rows of every table of ``database``, in one query."""
        out = self.psql(
            "SELECT table_name, (xpath('/row/c/text()', query_to_xml("
            "format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text "
            "FROM information_schema.tables WHERE table_schema = 'public' "
            "AND table_type = 'BASE TABLE'",
            database,
        )
        return {
            name: int(count)
            for name, count in (line.split("|") for line in out.splitlines() if line)
        }

    # --- the topology ----------------------------------------------------------
    def timed(self, label: str, started: float) -> None:
        self.timings[label] = round(time.monotonic() - started, 2)

    def start(self) -> None:
        t0 = time.monotonic()
        run_id = f"{os.getpid()}_{secrets.token_hex(3)}"
        self.database = f"paco_scale_{run_id}"
        self.bucket = f"paco-scale-{run_id.replace('_', '-')}"
        self.create_database(self.database)
        self.redis_port = free_port(REDIS_ADDR)
        redis = self.spawn(
            "redis",
            [
                "redis-server",
                "--bind",
                REDIS_ADDR,
                "--port",
                str(self.redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "no",
            ],
        )
        self.s3_port = free_port(S3_ADDR)
        moto = self.spawn(
            "moto", [str(BIN / "moto_server"), "-H", S3_ADDR, "-p", str(self.s3_port)]
        )
        wait_for(
            "redis", lambda: redis.check_alive() and port_open(REDIS_ADDR, self.redis_port), 20
        )
        wait_for("moto", lambda: moto.check_alive() and port_open(S3_ADDR, self.s3_port), 30)
        self.create_bucket(self.bucket)
        self.timed("services", t0)

        self.env = self.paco_env(self.database, self.bucket, self.workdir / "admin")
        t1 = time.monotonic()
        self.paco("migrate", "migrate", "--no-input", "-v", "0")
        self.timed("migrate", t1)

        # The nodes start (static files, checks) while the demo town is loaded.
        t2 = time.monotonic()
        worker_env = self.paco_env(self.database, self.bucket, self.workdir / "worker")
        worker = self.spawn(
            "worker", [str(BIN / "paco"), "db_worker", "--interval", "0.2"], worker_env
        )
        for name, host in (("web_a", WEB_A_ADDR), ("web_b", WEB_B_ADDR)):
            node = Node(name, host, free_port(host), {})
            node.env = self.paco_env(self.database, self.bucket, self.workdir / name)
            self.nodes[name] = node
            self.start_node(node)
        self.start_balancer()
        self.paco("demo", "demo")
        self.credentials = self.read_credentials(self.workdir / "admin")
        self.seed = self.seed_step("prepare", TOWN_HOST)
        self.timed("demo, nodes starting meanwhile", t2)
        t3 = time.monotonic()
        for node in self.nodes.values():
            self.wait_healthy(node)
        wait_for("the worker", worker.check_alive, 1)
        wait_for("the balancer", lambda: self.lb_get("/healthz").status_code == 200, 30)
        self.timed("nodes ready after the demo", t3)
        self.timed("startup", t0)

    def paco_env(self, database: str, bucket: str, data_dir: Path) -> dict[str, str]:
        """One node's environment: exactly the variables docs/deployment.md §7 lists."""
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PACO_", "DJANGO_"))}
        env.pop("DATABASE_URL", None)
        env.update(
            PACO_ENV="production",
            PACO_SECRET_KEY=self.secret_key,
            PACO_BACKUP_KEY=self.backup_key,
            PACO_DATA_DIR=str(data_dir),
            PACO_ALLOWED_HOSTS=f".{DOMAIN},localhost",
            PACO_CSRF_TRUSTED_ORIGINS=f"https://*.{DOMAIN}",
            PACO_BEHIND_PROXY="1",
            PACO_TRUSTED_PROXIES="1",
            PACO_FORWARDED_ALLOW_IPS="127.0.0.1",
            DATABASE_URL=f"{PG_URL}/{database}",
            PACO_STORAGE="s3",
            PACO_S3_BUCKET=bucket,
            PACO_S3_ENDPOINT_URL=f"http://{S3_ADDR}:{self.s3_port}",
            PACO_S3_REGION="us-east-1",
            PACO_S3_ACCESS_KEY=S3_KEY,
            PACO_S3_SECRET_KEY=S3_KEY,
            PACO_CACHE_URL=f"redis://{REDIS_ADDR}:{self.redis_port}/0",
            PACO_PAGE_CACHE_SECONDS=str(PAGE_CACHE_SECONDS),
            PACO_LOG_LEVEL="WARNING",
        )
        return env

    @property
    def secret_key(self) -> str:
        if "secret_key" not in self.__dict__:
            self.__dict__["secret_key"] = secrets.token_urlsafe(64)
        return str(self.__dict__["secret_key"])

    @property
    def backup_key(self) -> str:
        if "backup_key" not in self.__dict__:
            self.__dict__["backup_key"] = secrets.token_urlsafe(48)
        return str(self.__dict__["backup_key"])

    def start_node(self, node: Node, static_from: Node | None = None) -> None:
        """``paco serve --no-worker``; ``static_from``: reuse that node's collected files."""
        argv = [str(BIN / "paco"), "serve", "--no-worker", "--host", node.host]
        argv += ["--port", str(node.port), "--workers", "1", "--threads", "4"]
        if static_from is not None:
            static = Path(node.env["PACO_DATA_DIR"]) / "static"
            shutil.rmtree(static, ignore_errors=True)
            shutil.copytree(Path(static_from.env["PACO_DATA_DIR"]) / "static", static)
            argv.append("--skip-collectstatic")
        node.proc = self.spawn(node.name, argv, node.env)

    def wait_healthy(self, node: Node, timeout: float = 60) -> None:
        assert node.proc is not None
        proc = node.proc

        def healthy() -> bool:
            proc.check_alive()
            answer = requests.get(f"{node.url}/healthz", headers={"Host": "localhost"}, timeout=5)
            return answer.status_code == 200

        wait_for(f"{node.name} /healthz", healthy, timeout)

    def kill_node(self, node: Node) -> None:
        """SIGKILL the whole node (gunicorn master and its workers) at once."""
        assert node.proc is not None
        node.proc.signal_group(signal.SIGKILL)
        node.proc.popen.wait(10)

    def start_balancer(self) -> None:
        cert = self.workdir / "lb.pem"
        key = self.workdir / "lb-key.pem"
        self.ca_file = self.workdir / "lb-cert.pem"
        self.run(
            "openssl",
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=paco-scale",
                "-addext",
                f"subjectAltName=DNS:*.{DOMAIN},IP:{LB_ADDR}",
                "-keyout",
                str(key),
                "-out",
                str(self.ca_file),
            ],
            dict(os.environ),
        )
        cert.write_bytes(self.ca_file.read_bytes() + key.read_bytes())
        self.lb_port = free_port(LB_ADDR)
        env = dict(os.environ)
        env.update(
            PACO_LB_BIND=f"{LB_ADDR}:{self.lb_port}",
            PACO_LB_CERT=str(cert),
            PACO_HEALTH_HOST="localhost",
            PACO_WEB_A=self.nodes["web_a"].address,
            PACO_WEB_B=self.nodes["web_b"].address,
        )
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self.run("haproxy-check", [haproxy, "-c", "-q", "-f", str(HAPROXY_CFG)], env)
        self.lb = self.spawn("haproxy", [haproxy, "-db", "-f", str(HAPROXY_CFG)], env)
        wait_for("haproxy", lambda: self.lb.check_alive() and port_open(LB_ADDR, self.lb_port), 20)

    # --- HTTP helpers ----------------------------------------------------------
    @property
    def lb_url(self) -> str:
        return f"https://{LB_ADDR}:{self.lb_port}"

    def lb_get(
        self, path: str, host: str = TOWN_HOST, session: requests.Session | None = None
    ) -> requests.Response:
        """GET through the balancer (TLS), as a visitor of ``host`` would."""
        return (session or requests).get(
            self.lb_url + path, headers={"Host": host}, verify=str(self.ca_file), timeout=30
        )

    @staticmethod
    def node_headers(host: str = TOWN_HOST) -> dict[str, str]:
        """What the balancer adds: a request straight to one node, as if through it."""
        return {"Host": host, "X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"}

    # --- PostgreSQL and the object store ---------------------------------------
    def create_database(self, name: str) -> None:
        self.psql(f'CREATE DATABASE "{name}"')
        self.databases.append(name)

    def s3(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=f"http://{S3_ADDR}:{self.s3_port}",
            aws_access_key_id=S3_KEY,
            aws_secret_access_key=S3_KEY,
            region_name="us-east-1",
        )

    def create_bucket(self, name: str) -> None:
        self.s3().create_bucket(Bucket=name)

    @staticmethod
    def read_credentials(data_dir: Path) -> dict[str, str]:
        found = {}
        for line in (data_dir / "demo-credenciais.txt").read_text().splitlines():
            user, sep, rest = line.strip().partition(": ")
            if sep and " — " in rest:
                found[user] = rest.split(" — ", 1)[0]
        return found

    # --- teardown --------------------------------------------------------------
    def close(self) -> None:
        for proc in reversed(self.processes):
            if proc.alive():
                proc.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + 5
        for proc in reversed(self.processes):
            remaining = max(0.1, deadline - time.monotonic())
            try:
                proc.popen.wait(remaining)
            except subprocess.TimeoutExpired:
                proc.signal_group(signal.SIGKILL)
                proc.popen.wait(5)
            # whatever a node left behind in its group (SQL workers, import children)
            proc.signal_group(signal.SIGKILL)
        for name in self.databases:
            with contextlib.suppress(Exception):
                self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_cluster(keep: bool = False) -> Iterator[Cluster]:
    workdir = Path(tempfile.mkdtemp(prefix="paco-scale-"))
    cluster = Cluster(workdir)
    try:
        cluster.start()
        yield cluster
    except BaseException:
        for proc in cluster.processes:
            sys.stderr.write(f"\n--- {proc.name} ({proc.log}) ---\n{proc.tail()}\n")
        raise
    finally:
        cluster.close()
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
