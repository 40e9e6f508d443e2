"""Processes, servers and HTTP measurements for the open-data benchmark.

The small helpers it shares with the page benchmark come from ``bench/run.py``
(imported as ``bench.run``: the repository root must be on ``sys.path``).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.run import get as http_get
from bench.run import parse_wrk

TIME = "/usr/bin/time"


@dataclass
class Run:
    """A finished command: wall seconds, peak RSS (MB, from GNU time), output."""

    seconds: float
    rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    command: list[str] = field(default_factory=list)


def ensure_tools() -> None:
    """GNU time and wrk come from Debian packages; curl and iconv are expected."""
    missing = [pkg for pkg, path in (("time", TIME), ("wrk", "wrk")) if not shutil.which(path)]
    if missing:
        print(f"instalando {' '.join(missing)} com apt-get …", flush=True)
        subprocess.run(["apt-get", "install", "-y", *missing], check=True)
    for tool in ("curl", "iconv"):
        if not shutil.which(tool):
            sys.exit(f"{tool} não encontrado")


def timed(command: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``command`` under GNU ``time -v``; the peak RSS is the largest process's."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.monotonic()
        proc = subprocess.run(
            [TIME, "-v", "-o", report.name, *command],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - started
        text = Path(report.name).read_text()
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    rss = int(match.group(1)) / 1024 if match else float("nan")
    return Run(seconds, rss, proc.returncode, proc.stdout, proc.stderr, command)


@contextmanager
def server(
    command: list[str], health_url: str, log: Path, *, env: dict[str, str], cwd: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server in its own process group, wait for ``health_url``, always stop it."""
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"{command[0]} terminou antes de responder (veja {log})")
                try:
                    if http_get(health_url, timeout=5)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} não respondeu a tempo (veja {log})")
                time.sleep(0.3)
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


@dataclass
class Download:
    status: int
    size: int
    seconds: float
    first_byte: float


def curl(url: str, timeout: int = 1800) -> Download:
    """Fetch ``url`` to /dev/null with curl; status, bytes, total and first-byte seconds."""
    out = subprocess.run(
        [
            "curl",
            "-s",
            "-o",
            "/dev/null",
            "--max-time",
            str(timeout),
            "-w",
            "%{http_code} %{size_download} %{time_total} %{time_starttransfer}",
            url,
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    if len(out) != 4:
        return Download(0, 0, float("nan"), float("nan"))
    return Download(int(out[0]), int(out[1]), float(out[2]), float(out[3]))


def best_download(url: str, repeat: int) -> tuple[Download, list[float]]:
    """The fastest of ``repeat`` downloads (all must answer 200) and every time."""
    runs = [curl(url) for _ in range(repeat)]
    times = [r.seconds for r in runs]
    good = [r for r in runs if r.status == 200]
    if len(good) != len(runs):
        return min(runs, key=lambda r: r.status), times
    return min(good, key=lambda r: r.seconds), times


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


@dataclass
class Latency:
    count: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    bodies: list[bytes]


def sequential_latency(host: str, port: int, paths: list[str], warmup: int) -> Latency:
    """One client, one keep-alive connection, each request timed until its body is read."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    times: list[float] = []
    errors = 0
    bodies: list[bytes] = []
    try:
        for index, path in enumerate(paths):
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": host})
                response = conn.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
                status, body = 0, b""
            elapsed = (time.perf_counter() - started) * 1000
            if index < warmup:
                continue
            times.append(elapsed)
            bodies.append(body)
            if status != 200:
                errors += 1
    finally:
        conn.close()
    return Latency(
        len(times), percentile(times, 50), percentile(times, 99), max(times), errors, bodies
    )


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


@dataclass
class Load:
    connections: int
    seconds: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def wrk_latency(base: str, paths: list[str], connections: int, seconds: int, tmp: Path) -> Load:
    """wrk with a Lua script rotating over ``paths`` (so each request is a different query)."""
    script = tmp / f"paths-{connections}.lua"
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    script.write_text(WRK_SCRIPT % quoted)
    threads = str(min(2, connections))
    out = subprocess.run(
        [
            *("wrk", "-t", threads, "-c", str(connections), "-d", f"{seconds}s"),
            *("--timeout", "30s", "--latency", "-s", str(script), base),
        ],
        capture_output=True,
        text=True,
    ).stdout
    return Load(connections, seconds, *parse_wrk(out))
