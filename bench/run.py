"""``make bench``: throughput and latency of the public pages, as served in production.

What it does:

1. a temporary data directory with the demo municipality and a generated
   catalogue of 500 services (``bench/gen_services.py``, federal BNSP detail
   shape, loaded with ``paco import-services``);
2. ``paco serve`` with its defaults (one web process per core, up to 2) in
   production mode (``PACO_ENV=production``, real secret key,
   ``PACO_ALLOWED_HOSTS=127.0.0.1``; ``PACO_SSL_REDIRECT=0`` because wrk speaks
   plain HTTP locally);
3. the baseline: a bare Django view in a minimal separate project
   (``bench/hello``: no middleware, no database) served by gunicorn with 2 sync
   workers on the same machine;
4. the idle memory (PSS and RSS from ``/proc/PID/smaps_rollup``, summed over the
   process tree) of ``paco serve`` once the queued tasks are done;
5. ``wrk`` (installed with apt-get when missing) at 32 connections, interleaved:
   each round runs hello, page 1, hello, page 2, … hello, so load drift on the
   machine hits both; a page's throughput is reported as a fraction of the mean
   of the hello runs just before and after it, the median over the rounds;
6. what one cached-page hit costs with each candidate shared cache
   (``bench/cache_backends.py``);
7. the results, with the machine, in ``bench/RESULTS.md``, between its
   ``<!-- pages:start -->`` and ``<!-- pages:end -->`` markers (:func:`write_section`).

Options: ``--workers N`` (gunicorn processes), ``--duration S`` (per wrk run),
``--rounds N``, ``--services N``, ``--connections N``, ``--data-dir DIR`` (reuse a
prepared directory).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TARGET_FRACTION = 0.5
TARGET_P99_MS = 100.0
TARGET_MEMORY_MB = 150.0
IDLE_WAIT_SECONDS = 45
MACHINE: dict[str, str] = {}
RESULTS_TITLE = "# Resultados do benchmark (`make bench`)"


@dataclass
class Result:
    name: str
    path: str
    rps: float  # median over the rounds
    fraction: float  # median over the rounds of rps / the hello runs around it
    p50_ms: float  # median over the rounds
    p99_ms: float  # the worst round
    errors: int
    size: int


def write_section(path: Path, name: str, section: str) -> None:
    """Put ``section`` between ``<!-- name:start -->`` and ``<!-- name:end -->`` in ``path``.

    Each benchmark owns one such section of ``bench/RESULTS.md``; everything outside
    its markers (the other benchmark's section, hand-written analysis) is kept as it
    is. A section not there yet is appended; a missing file starts with the title.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else RESULTS_TITLE + "\n"
    block = f"{start}\n{section.strip()}\n{end}"
    if start in text:
        head, rest = text.split(start, 1)
        if end not in rest:
            sys.exit(f"{path}: {start} sem {end}; corrija o arquivo à mão")
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk não encontrado; instalando com apt-get …")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def free_port() -> int:
    """A free local port; within ``PACO_BENCH_PORTS`` (``first-last``) when it is set."""
    wanted = os.environ.get("PACO_BENCH_PORTS", "")
    candidates = [0]
    if wanted:
        first, _, last = wanted.partition("-")
        candidates = list(range(int(first), int(last or first) + 1))
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError(f"nenhuma porta livre em {wanted}")


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def production_env(data_dir: Path, port: int) -> dict[str, str]:
    """``paco serve`` as in production, on 127.0.0.1 over plain HTTP, with its own data dir."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACO_")}
    env.pop("DATABASE_URL", None)
    env.update(
        PACO_DATA_DIR=str(data_dir),
        PACO_ENV="production",
        PACO_SECRET_KEY=secrets.token_urlsafe(64),
        PACO_ALLOWED_HOSTS="127.0.0.1",
        PACO_SSL_REDIRECT="0",
        PACO_EMAIL_HOST="localhost",
        PACO_LOG_LEVEL="WARNING",
        PORT=str(port),
    )
    return env


def paco(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "-m", "paco", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"paco {' '.join(args)} falhou:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare(env: dict[str, str], services: int) -> None:
    paco(env, "migrate", "--no-input", "-v", "0")
    paco(env, "demo")
    catalogue = Path(env["PACO_DATA_DIR"]) / "servicos-bench.json"
    subprocess.run(
        [PYTHON, str(ROOT / "bench" / "gen_services.py"), str(services), str(catalogue)],
        check=True,
    )
    started = time.monotonic()
    paco(env, "import-services", str(catalogue))
    print(f"{services} serviços importados em {time.monotonic() - started:.0f} s")


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_healthy(base: str, proc: subprocess.Popen[bytes], path: str = "/healthz") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"o servidor de {base} terminou antes de responder")
        try:
            if get(base + path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"{base} não respondeu a tempo")


def wait_tasks_done(data_dir: Path, timeout: float = 600) -> int:
    """Wait until the task queue of the bench's SQLite database is empty; the tasks left."""
    deadline = time.monotonic() + timeout
    with sqlite3.connect(data_dir / "paco.sqlite3") as db:
        while True:
            (left,) = db.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING')"
            ).fetchone()
            if not left or time.monotonic() > deadline:
                return int(left)
            time.sleep(1)


def start_hello(port: int, log: Path) -> subprocess.Popen[bytes]:
    """The baseline: ``bench/hello`` (bare Django) under gunicorn, 2 sync workers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PACO_", "DJANGO_"))}
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "bench.hello.wsgi:application",
        ],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "bench.hello.settings"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


def process_tree(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True)
    children: dict[int, list[int]] = {}
    for line in out.stdout.splitlines():
        child, parent = (int(x) for x in line.split())
        children.setdefault(parent, []).append(child)
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def memory_mb(pids: list[int]) -> tuple[float, float]:
    """(RSS, PSS) in MB summed over ``pids``."""
    rss = pss = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        rss += int(re.search(r"^Rss:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
        pss += int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
    return rss / 1024, pss / 1024


def to_ms(value: str) -> float:
    """wrk's "1.23ms" / "850.00us" / "1.20s" in milliseconds (NaN if wrk had no sample)."""
    match = re.match(r"([\d.]+)(us|ms|s|m)\b", value)
    if not match:
        return float("nan")
    number, unit = match.groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out: str) -> tuple[float, float, float, int]:
    """(req/s, p50 ms, p99 ms, errors) from wrk ``--latency`` output; errors are non-2xx/3xx
    responses plus socket errors."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50_match = re.search(r"^\s+50%\s+(\S+)", out, re.M)  # the "Latency Distribution" lines
    p99_match = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    p50 = to_ms(p50_match.group(1)) if p50_match else float("nan")
    p99 = to_ms(p99_match.group(1)) if p99_match else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(bad.group(1)) if bad else 0
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return float(rps.group(1)) if rps else 0.0, p50, p99, errors


def run_wrk(wrk: str, url: str, connections: int, duration: int) -> tuple[float, float, float, int]:
    out = subprocess.run(
        [
            wrk,
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return parse_wrk(out)


def machine() -> dict[str, str]:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
    return {
        "Data": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Núcleos (nproc)": str(os.cpu_count()),
        "CPU": cpu,
        "RAM": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "Python": platform.python_version(),
        "Sistema": platform.platform(),
    }


def pick_path(base: str, listing: str, pattern: str, skip: tuple[str, ...] = ()) -> str:
    """The first link of ``listing`` that matches ``pattern`` (one group: the rest of the path)."""
    status, body = get(base + listing)
    if status != 200:
        sys.exit(f"{listing} respondeu {status}")
    for rest in re.findall(pattern, body.decode()):
        if not rest.startswith(skip):
            return listing.split("?")[0] + rest
    sys.exit(f"nenhum link encontrado em {listing}")


def public_pages(base: str) -> list[tuple[str, str]]:
    service = pick_path(
        base, "/servicos/", r'href="/servicos/([^"/?]+/)"', ("categoria/", "publico/", "evento/")
    )
    dataset = pick_path(base, "/dataset/", r'href="/dataset/([^"/?]+/)"')
    return [
        ("início", "/"),
        ("lista de serviços", "/servicos/"),
        ("página de um serviço", service),
        ("API BNSP (lista)", "/api/bnsp/servicos.json"),
        ("cronograma", "/cronograma/"),
        ("dados abertos: início", "/dados/"),
        ("dados abertos: busca", "/dataset/?q=dados"),
        ("dados abertos: um conjunto", dataset),
        ("pedidos de abertura de dados", "/dados/pedidos/"),
    ]


def measure(
    wrk: str,
    hello_url: str,
    base: str,
    pages: list[tuple[str, str]],
    sizes: dict[str, int],
    args: argparse.Namespace,
) -> tuple[list[Result], list[tuple[float, float]]]:
    """wrk, interleaved: each round is hello, page 1, hello, page 2, …, hello."""
    runs: dict[str, list[tuple[float, float, float, float, int]]] = {p: [] for _, p in pages}
    hellos: list[tuple[float, float]] = []  # (req/s, p99 ms) of every hello run
    for round_number in range(1, args.rounds + 1):
        before = run_wrk(wrk, hello_url, args.connections, args.duration)
        hellos.append((before[0], before[2]))
        print(f"rodada {round_number}: hello {before[0]:.0f} req/s, p99 {before[2]:.1f} ms")
        for name, path in pages:
            rps, p50, p99, errors = run_wrk(wrk, base + path, args.connections, args.duration)
            after = run_wrk(wrk, hello_url, args.connections, args.duration)
            hellos.append((after[0], after[2]))
            fraction = rps / statistics.mean([before[0], after[0]]) if after[0] else 0.0
            runs[path].append((rps, fraction, p50, p99, errors))
            print(
                f"  {name:30} {rps:7.0f} req/s ({fraction:4.0%} do hello)  "
                f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  | hello {after[0]:.0f}"
            )
            before = after
    results = []
    for name, path in pages:
        r = runs[path]
        results.append(
            Result(
                name,
                path,
                statistics.median(x[0] for x in r),
                statistics.median(x[1] for x in r),
                statistics.median(x[2] for x in r),
                max(x[3] for x in r),
                sum(x[4] for x in r),
                sizes[path],
            )
        )
    return results, hellos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--data-dir", help="diretório já preparado (não recria os dados)")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()

    wrk = ensure_wrk()
    MACHINE.update(machine())
    MACHINE["Carga da máquina antes (loadavg 1/5/15 min)"] = loadavg()
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="paco-bench-"))
    port, hello_port = free_port(), free_port()
    env = production_env(data_dir, port)
    if args.workers:
        env["PACO_WEB_WORKERS"] = str(args.workers)
    if args.threads:
        env["PACO_WEB_THREADS"] = str(args.threads)
    if not args.data_dir:
        prepare(env, args.services)

    base = f"http://127.0.0.1:{port}"
    hello_base = f"http://127.0.0.1:{hello_port}"
    log = (data_dir / "serve.log").open("w")
    server = subprocess.Popen(
        [PYTHON, "-m", "paco", "serve"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    hello = start_hello(hello_port, data_dir / "hello.log")
    try:
        wait_healthy(base, server)
        wait_healthy(hello_base, hello, "/hello")
        left = wait_tasks_done(data_dir)
        print(f"tarefas na fila: {left}")
        pages = public_pages(base)
        sizes = {}
        for _, path in pages:  # warm up every page (and check it answers 200)
            for _ in range(20):
                status, body = get(base + path)
            if status != 200:
                sys.exit(f"{path} respondeu {status}")
            sizes[path] = len(body)
        time.sleep(3)
        _, warm_pss = memory_mb(process_tree(server.pid))
        print(f"memória logo depois de aquecer as páginas: PSS {warm_pss:.0f} MB")
        # idle: a web process that a cold page made grow (DuckDB for a dataset's preview)
        # is forked afresh after PACO_RECYCLE_IDLE_SECONDS (30) without requests
        time.sleep(IDLE_WAIT_SECONDS)
        pids = process_tree(server.pid)
        idle_rss, idle_pss = memory_mb(pids)
        _, hello_pss = memory_mb(process_tree(hello.pid))
        print(
            f"memória ociosa: RSS {idle_rss:.0f} MB, PSS {idle_pss:.0f} MB ({len(pids)} processos)"
            f"; hello: PSS {hello_pss:.0f} MB"
        )
        results, hellos = measure(wrk, hello_base + "/hello", base, pages, sizes, args)
        time.sleep(3)
        after_rss, after_pss = memory_mb(process_tree(server.pid))
    finally:
        stop(server)
        stop(hello)
        log.close()
    cpu = cpu_costs(env, [path for _, path in pages])
    caches = cache_costs(env, [path for _, path in pages[:2]])

    memory = Memory(len(pids), idle_rss, idle_pss, warm_pss, after_rss, after_pss, hello_pss)
    report = render(results, hellos, cpu, caches, memory, args, env)
    write_section(Path(args.output), "pages", report)
    print(report)
    if not args.data_dir:
        shutil.rmtree(data_dir, ignore_errors=True)


@dataclass
class Memory:
    processes: int
    idle_rss: float
    idle_pss: float
    warm_pss: float
    after_rss: float
    after_pss: float
    hello_pss: float


def cache_costs(env: dict[str, str], paths: list[str]) -> list[dict[str, object]]:
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "cache_backends.py"), *paths],
        cwd=ROOT,
        env={**env, "PACO_ALLOWED_HOSTS": "127.0.0.1", "PACO_LOG_LEVEL": "ERROR"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return list(json.loads(out.strip().splitlines()[-1]))


def cpu_costs(env: dict[str, str], paths: list[str]) -> dict[str, float]:
    out = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "cpu_cost.py"), *paths],
        cwd=ROOT,
        env={**env, "PACO_ALLOWED_HOSTS": "127.0.0.1", "PACO_LOG_LEVEL": "ERROR"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def render(
    results: list[Result],
    hellos: list[tuple[float, float]],
    cpu: dict[str, float],
    caches: list[dict[str, object]],
    memory: Memory,
    args: argparse.Namespace,
    env: dict[str, str],
) -> str:
    lines = [f"- **{k}:** {v}" for k, v in MACHINE.items()]
    first_costs = caches[0]["costs"]
    assert isinstance(first_costs, dict)
    cache_paths = list(first_costs)
    workers = env.get("PACO_WEB_WORKERS", "padrão: um por núcleo, até 2 →")
    threads = env.get("PACO_WEB_THREADS", "4 (padrão)")
    default_workers = min(2, len(os.sched_getaffinity(0)))
    lines += [
        f"- **Paço:** `paco serve` em modo produção (PACO_ENV=production, "
        f"PACO_SSL_REDIRECT=0), gunicorn gthread, {workers} {default_workers} processo(s) web "
        f"× {threads} threads, código carregado uma vez no mestre (`preload_app`), tarefas "
        "numa thread de um processo web; SQLite (WAL); cache compartilhado padrão "
        "(diskcache em PACO_DATA_DIR/cache).",
        "- **Referência (hello):** uma view Django nua num projeto mínimo à parte "
        "(`bench/hello`: sem middleware, sem banco), gunicorn com 2 workers sync, na mesma "
        f"máquina: {statistics.median(h[0] for h in hellos):.0f} req/s (mediana de "
        f"{len(hellos)} execuções, de {min(h[0] for h in hellos):.0f} a "
        f"{max(h[0] for h in hellos):.0f}); p99 mediano "
        f"{statistics.median(h[1] for h in hellos):.1f} ms, o pior "
        f"{max(h[1] for h in hellos):.1f} ms — o p99 do hello mostra quanto a própria "
        "máquina atrasa as respostas.",
        f"- **Carga:** wrk, 2 threads, {args.connections} conexões, {args.duration} s por "
        f"execução, {args.rounds} rodadas intercaladas (hello, página, hello, página, …, "
        "hello), na mesma máquina (disputa os núcleos com os servidores); catálogo de "
        f"{args.services} serviços gerados + os da demonstração.",
        "",
        "| Página | Caminho | req/s | fração do hello | p50 (ms) | p99 (ms) | erros | bytes "
        "| CPU/req (ms) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    failures = []
    for r in results:
        lines.append(
            f"| {r.name} | `{r.path}` | {r.rps:.0f} | {r.fraction:.0%} | {r.p50_ms:.1f} | "
            f"{r.p99_ms:.1f} | {r.errors} | {r.size} | {cpu.get(r.path, 0.0):.1f} |"
        )
        if r.fraction < TARGET_FRACTION:
            failures.append(f"{r.name}: {r.fraction:.0%} do hello (meta ≥ 50%)")
        if not r.p99_ms < TARGET_P99_MS:
            failures.append(f"{r.name}: p99 {r.p99_ms:.0f} ms (meta < 100 ms)")
        if r.errors:
            failures.append(f"{r.name}: {r.errors} respostas com erro")
    if memory.idle_pss > TARGET_MEMORY_MB:
        failures.append(f"memória ociosa (PSS) {memory.idle_pss:.0f} MB (meta ≤ 150 MB)")
    lines += [
        "",
        f"**Memória ociosa** (servidor web + tarefas, {memory.processes} processos: mestre "
        "gunicorn + processos web, um com a thread de tarefas; a fila de tarefas vazia, cada "
        f"página aquecida, {IDLE_WAIT_SECONDS} s sem requisições): **PSS "
        f"{memory.idle_pss:.0f} MB** (RSS somado {memory.idle_rss:.0f} MB, que conta uma vez "
        "por processo as páginas compartilhadas). Logo depois de aquecer as páginas, antes "
        "de o processo que carregou o DuckDB (pré-visualização de um conjunto) ser trocado "
        f"por um novo: PSS {memory.warm_pss:.0f} MB. Depois da carga (sem esperar): PSS "
        f"{memory.after_pss:.0f} MB (RSS {memory.after_rss:.0f} MB). Meta: ≤ 150 MB ociosa. "
        f"O hello (2 workers sync) ocupa PSS {memory.hello_pss:.0f} MB.",
        "",
        "*fração do hello*: req/s da página ÷ média das duas execuções do hello em volta dela; "
        "mediana das rodadas. *p99*: a pior rodada. *CPU/req*: tempo de CPU por requisição "
        "medido no próprio processo (cliente de teste do Django, sem servidor) — quase "
        "independe da carga da máquina. *erros*: respostas não-2xx e erros de socket do wrk.",
        "",
        "**Custo de um acerto do cache de páginas, por cache** (`bench/cache_backends.py`: "
        "cliente de teste, mesma página já em cache, CPU por requisição; *compartilhado* = "
        "vale entre processos; *incr atômico* = contadores de limite sem perda):",
        "",
        "| Cache | Compartilhado | incr atômico | "
        + " | ".join(f"`{p}` (ms)" for p in cache_paths)
        + " |",
        "|---|---|---|" + "---:|" * len(cache_paths),
    ]
    for c in caches:
        costs = c["costs"]
        assert isinstance(costs, dict)
        lines.append(
            f"| {c['name']} | {c['shared']} | {c['atomic']} | "
            + " | ".join(f"{v:.2f}" for v in costs.values())
            + " |"
        )
    lines += [
        "",
        "**Metas:** cada página ≥ 50% do hello; p99 < 100 ms com 32 conexões; memória "
        "ociosa ≤ 150 MB (PSS).",
        "",
    ]
    lines += (
        ["**Abaixo da meta:**", *[f"- {f}" for f in failures]]
        if failures
        else ["**Todas as metas atingidas.**"]
    )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
