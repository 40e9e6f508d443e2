"""``make bench`` (second part): the open-data benchmark of issues 3 §8 and 12.

In one run, in a temporary directory (temporary ``PACO_DATA_DIR``, removed at the end):

1. a generated 1,000,000-row municipal-expenses CSV (``gen_expenses.py``: Windows-1252,
   ``;``, decimal commas, ``dd/mm/aaaa``, quoted free text with ``“ ” –``);
2. the import limit: ``iconv -f cp1252 -t utf-8`` + DuckDB ``read_csv`` → Parquet
   (``duck.py import``), against ``paco import-resource`` to published (typed,
   validated, screened), both under GNU ``time -v`` (peak RSS);
3. the export limits: DuckDB ``COPY`` of the published Parquet to CSV, JSON and Parquet;
4. ``paco serve --no-worker`` in production mode (``pages.py``): the four page shapes of
   issue 12 (filtered + sorted, whole table by a date, by a money column, keyset cursors of
   the native API; offsets 0–100,000, every request a different query) with wrk at 4
   connections and a streamed CSV export — today's path, the Parquet file — then the
   version's files are built (``artifacts.build``, timed: what the worker does after
   publication) and everything again: pages, whole-table CSV/JSON/Parquet downloads
   (``Content-Length``, ``Range``), CKAN's dump, one client, and the mixed load (8 clients:
   pages, SQL, an export; plus clients that stall on a download);
5. the same table on a PostgreSQL deployment (``--postgres URL``; ``''`` skips it);
6. Datasette on the same rows (own venv ``bench/.venv-peers``; ``--no-peers`` skips it);
7. the peak RSS of the import of a ~1 GB file of the same shape;
8. the table, the commands and the machine into ``bench/RESULTS.md`` (its open-data
   section only).

Options: ``--rows N``, ``--big-bytes N`` (0 skips step 7), ``--no-peers``, ``--keep``,
``--requests N``, ``--paths N``, ``--stalled N``, ``--no-baseline``, ``--postgres URL``,
``--output FILE``. ``PACO_BENCH_PORTS=first-last`` keeps the servers in a port range.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path[:0] = [str(HERE), str(ROOT)]  # this folder's modules, and bench/run.py as bench.run

import pages  # noqa: E402
import peers  # noqa: E402
import procs  # noqa: E402
import report  # noqa: E402
from gen_expenses import SECRETARIAS, generate  # noqa: E402

from bench.run import (  # noqa: E402
    free_port,
    loadavg,
    machine,
    production_env,
    write_section,
)

PYTHON = sys.executable
DUCK = [PYTHON, str(HERE / "duck.py")]
SLUG = "despesas-bench"
SORT_COLUMN = "valor_pago"


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message} (carga {loadavg()})", flush=True)


def paco(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PYTHON, "-m", "paco", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def last_json(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return {}


def limit_import(csv_path: Path, work: Path, label: str, repeat: int = 1) -> dict[str, Any]:
    """iconv to UTF-8, then DuckDB read_csv → typed Parquet; each under GNU time.

    Run ``repeat`` times: the best total counts (like the exports), every run is listed.
    """
    runs = [_limit_once(csv_path, work, label) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    return {
        **best,
        "times": [r["seconds"] for r in runs],
        "rss_mb": max(r["rss_mb"] for r in runs),
        "duckdb_rss_mb": max(r["duckdb_rss_mb"] for r in runs),
    }


def _limit_once(csv_path: Path, work: Path, label: str) -> dict[str, Any]:
    utf8 = work / f"{label}.utf8.csv"
    parquet = work / f"{label}.limit.parquet"
    iconv = procs.timed(
        ["sh", "-c", f'iconv -f cp1252 -t utf-8 "{csv_path}" > "{utf8}"'],
    )
    duck = procs.timed([*DUCK, "import", str(utf8), str(parquet)])
    if iconv.returncode or duck.returncode:
        sys.exit(f"limite falhou:\n{iconv.stderr}\n{duck.stderr}")
    utf8.unlink()
    inside = float(last_json(duck.stdout)["seconds"])  # without Python's start: a stricter limit
    return {
        "iconv_s": iconv.seconds,
        "duckdb_s": inside,
        "duckdb_wall_s": duck.seconds,
        "seconds": iconv.seconds + inside,
        "rss_mb": max(iconv.rss_mb, duck.rss_mb),
        "duckdb_rss_mb": duck.rss_mb,
        "duckdb": last_json(duck.stdout).get("duckdb", "?"),
        "parquet": parquet,
    }


PUBLISH = """
from paco.opendata.actions import set_dataset_state
from paco.opendata.models import Dataset, Resource
from paco.opendata import storage
ds = Dataset.objects.get(name={slug!r})
if ds.state != "published":
    set_dataset_state(None, ds, "published")
res = Resource.objects.select_related("current_version").get(pk={rid!r})
v = res.current_version
print(storage.local_path(v.parquet) if v is not None and v.parquet else "")
"""

#: the files built once per published version (what the worker does after publication)
BUILD = """
import json, time
from paco.opendata.datastore import artifacts
from paco.opendata.models import Resource
v = Resource.objects.select_related("current_version").get(pk={rid!r}).current_version
started = time.monotonic()
folder = artifacts.build(v)
ready = json.loads((folder / "READY").read_text())
print(json.dumps({{**ready, "total_s": time.monotonic() - started}}))
"""


def paco_import(env: dict[str, str], csv_path: Path, slug: str, repeat: int = 1) -> dict[str, Any]:
    """``paco import-resource`` ``repeat`` times (each a new version): best time, peak RSS."""
    command = [PYTHON, "-m", "paco", "import-resource", slug, str(csv_path), "--title", "Despesas"]
    runs = [procs.timed(command, env=env, cwd=ROOT) for _ in range(repeat)]
    run = runs[-1]
    result = last_json(run.stdout)
    failed = [r for r in runs if r.returncode]
    info: dict[str, Any] = {
        "seconds": min(r.seconds for r in runs),
        "times": [r.seconds for r in runs],
        "rss_mb": max(r.rss_mb for r in runs),
        "returncode": failed[0].returncode if failed else 0,
        "result": result,
        "parquet": None,
    }
    if failed:
        run = failed[0]
    if run.returncode or not result:
        info["failure"] = (run.stderr or run.stdout)[-2000:]
        return info
    script = PUBLISH.format(slug=slug, rid=result.get("resource_id"))
    published = paco(env, "shell", "-c", script)
    path = published.stdout.strip().splitlines()[-1] if published.stdout.strip() else ""
    if published.returncode or not path:
        info["failure"] = f"publicação: {published.stderr[-2000:] or 'sem Parquet publicado'}"
    else:
        info["parquet"] = Path(path)
    return info


def duck_export(parquet: Path, work: Path, repeat: int, extension: str = "csv") -> dict[str, Any]:
    target = work / f"limit-export.{extension}"
    times = []
    for _ in range(repeat):
        target.unlink(missing_ok=True)
        run = procs.timed([*DUCK, "export", str(parquet), str(target)])
        if run.returncode:
            sys.exit(f"DuckDB COPY falhou: {run.stderr}")
        times.append(float(last_json(run.stdout)["seconds"]))  # inside DuckDB (stricter)
    out = {"seconds": min(times), "times": times, "bytes": target.stat().st_size, "csv": target}
    if extension != "csv":
        target.unlink()
    return out


def page_paths_paco(resource_id: str, count: int) -> list[str]:
    paths = []
    for i in range(count):
        filters = json.dumps({"secretaria": SECRETARIAS[i % len(SECRETARIAS)][0]})
        query = urllib.parse.urlencode(
            {
                "resource_id": resource_id,
                "filters": filters,
                "sort": f"{SORT_COLUMN} desc",
                "limit": 100,
                "offset": (i // len(SECRETARIAS)) * 100,
            }
        )
        paths.append(f"/api/3/action/datastore_search?{query}")
    return paths


def page_paths_datasette(count: int) -> list[str]:
    paths = []
    for i in range(count):
        query = urllib.parse.urlencode(
            {
                "secretaria": SECRETARIAS[i % len(SECRETARIAS)][0],
                "_sort_desc": SORT_COLUMN,
                "_size": 100,
                "_shape": "objects",
            }
        )
        paths.append(f"/peers/despesas.json?{query}")
    return paths


def first_pages(bodies: list[bytes], key: str) -> list[list[float]]:
    """valor_pago of the first page of each secretaria (to check both serve the same rows)."""
    pages = []
    for body in bodies[: len(SECRETARIAS)]:
        try:
            data = json.loads(body)
        except ValueError:
            pages.append([])
            continue
        rows = data.get("result", {}).get("records", []) if key == "paco" else data.get("rows", [])
        pages.append([round(float(r[SORT_COLUMN]), 2) for r in rows if isinstance(r, dict)])
    return pages


EXPORT_FORMATS = ("csv", "json", "parquet")


def measure_paco_server(
    env: dict[str, str], port: int, resource_id: str, work: Path, args: argparse.Namespace
) -> dict[str, Any]:
    """Issue 12's figures from one server (no task worker: the files are built by the bench).

    First today's path (the Parquet file, streamed exports), then the version's files
    are built (timed, as the worker would after publication) and everything again.
    """
    base = f"http://127.0.0.1:{port}"
    host = "127.0.0.1"
    out: dict[str, Any] = {}
    names = [s[0] for s in SECRETARIAS]
    with procs.server(
        [PYTHON, "-m", "paco", "serve", "--no-worker"],
        base + "/healthz",
        work / "serve.log",
        env=env,
        cwd=ROOT,
    ):
        step("caminhos das páginas (offsets 0–100.000, cursores)")
        paths = pages.shape_paths(host, port, resource_id, names, args.paths)
        export_url = f"{base}/dados/recurso/{resource_id}/dados.csv"
        out["export_url"] = export_url.replace(base, "")
        out["sample_paths"] = {shape: paths[shape][0] for shape in pages.SHAPES}
        if not args.no_baseline:
            step(f"antes: formatos de página, wrk {args.connections} conexões (Parquet)")
            out["before"] = pages.measure_shapes(base, paths, args.connections, args.duration, work)
            step("antes: exportação CSV completa (streaming)")
            out["before_export"], _ = procs.best_download(export_url, 1)
        step("arquivos da versão (o que o processador faz após a publicação)")
        build = procs.timed(
            [PYTHON, "-m", "paco", "shell", "-c", BUILD.format(rid=resource_id)],
            env=env,
            cwd=ROOT,
        )
        out["build"] = {**last_json(build.stdout), "wall_s": build.seconds, "rss_mb": build.rss_mb}
        if build.returncode:
            out["build"]["failure"] = build.stderr[-2000:]
        step(f"depois: formatos de página, wrk {args.connections} conexões")
        out["after"] = pages.measure_shapes(base, paths, args.connections, args.duration, work)
        out["exports"] = {}
        for fmt in EXPORT_FORMATS:
            url = f"{base}/dados/recurso/{resource_id}/dados.{fmt}"
            step(f"exportação {fmt} completa (arquivo, curl)")
            best, times = procs.best_download(url, args.repeat)
            path = url.replace(base, "")
            headers = pages.head(host, port, path)
            out["exports"][fmt] = {
                "download": best,
                "times": times,
                "content_length": headers["length"],
                "accept_ranges": headers["accept"],
                "range": pages.range_check(host, port, path, best.size),
            }
        step("dump CKAN (streaming, informativo)")
        dump_url = f"{base}/datastore/dump/{resource_id}?format=csv"
        out["dump"], _ = procs.best_download(dump_url, 1)
        step("latência datastore_search filtrada (1 cliente)")
        first = page_paths_paco(resource_id, len(SECRETARIAS))
        warm = procs.sequential_latency(host, port, first, 0)
        out["pages"] = first_pages(warm.bodies, "paco")
        out["sequential"] = procs.sequential_latency(host, port, paths["filtrada"][-240:], 0)
        step(f"carga mista: 8 clientes + {args.stalled} parados, {args.duration} s")
        out["mixed"] = pages.mixed(
            host,
            port,
            paths,
            pages.sql_paths(resource_id, names),
            out["export_url"],
            args.duration,
            args.stalled,
        )
    return out


def paco_cpu_cost(env: dict[str, str], resource_id: str, work: Path, count: int) -> dict[str, Any]:
    """The same kind of pages in process (cpu_cost.py): CPU ms, nearly load-independent."""
    paths = page_paths_paco(resource_id, count + 2)
    listing = work / "cpu-paths.json"
    listing.write_text(json.dumps(paths))
    run = subprocess.run(
        [PYTHON, str(HERE / "cpu_cost.py"), str(listing)],
        cwd=ROOT,
        env={**env, "PACO_LOG_LEVEL": "ERROR"},
        capture_output=True,
        text=True,
    )
    return last_json(run.stdout) or {"failure": run.stderr[-500:]}


def measure_datasette(
    bin_dir: Path, database: Path, work: Path, args: argparse.Namespace
) -> dict[str, Any]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PACO_")}
    with procs.server(
        peers.serve_command(bin_dir, database, port),
        base + "/-/versions.json",
        work / "datasette.log",
        env=env,
        cwd=work,
    ):
        url = f"{base}/peers/despesas.csv?_stream=on&_size=max"
        step("exportação CSV em streaming do Datasette (curl)")
        out["export"], out["export_times"] = procs.best_download(url, 1)
        out["export_url"] = url.replace(base, "")
        step("latência da API JSON do Datasette (1 cliente)")
        paths = page_paths_datasette(args.requests // 2 + len(SECRETARIAS))
        warm = procs.sequential_latency("127.0.0.1", port, paths[: len(SECRETARIAS)], 0)
        out["pages"] = first_pages(warm.bodies, "datasette")
        out["sequential"] = procs.sequential_latency(
            "127.0.0.1", port, paths[len(SECRETARIAS) :], 0
        )
        out["sample_path"] = paths[0]
        step(f"latência da API JSON do Datasette (wrk, {args.connections} conexões)")
        out["load"] = procs.wrk_latency(base, paths, args.connections, args.duration, work)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-bytes", type=int, default=1024**3)
    parser.add_argument("--requests", type=int, default=240)
    parser.add_argument(
        "--repeat", type=int, default=3, help="repetições das importações e exportações"
    )
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--no-peers", action="store_true", help="sem Datasette")
    parser.add_argument("--paths", type=int, default=1500, help="caminhos por formato de página")
    parser.add_argument("--stalled", type=int, default=2, help="clientes parados na carga mista")
    parser.add_argument(
        "--no-baseline", action="store_true", help="sem a medida antes dos arquivos da versão"
    )
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432/paco_bench_opendata",
        help="banco PostgreSQL da segunda implantação ('' para pular)",
    )
    parser.add_argument("--keep", action="store_true", help="não apaga o diretório temporário")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()

    procs.ensure_tools()
    facts = machine()
    loads: list[tuple[str, str]] = [("início", loadavg())]
    work = Path(tempfile.mkdtemp(prefix="paco-bench-opendata-"))
    data = {"args": args, "machine": facts, "loads": loads, "work": str(work)}
    try:
        run_all(work, args, data)
    finally:
        if args.keep:
            print(f"diretório mantido: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    loads.append(("fim", loadavg()))
    section = report.render(data)
    write_section(Path(args.output), "opendata", section)
    print(section)


def run_all(work: Path, args: argparse.Namespace, data: dict[str, Any]) -> None:
    loads = data["loads"]
    csv_path = work / "despesas.csv"
    step(f"gerando {args.rows} linhas")
    data["input"] = generate(csv_path, rows_wanted=args.rows)

    step("limite da importação: iconv + DuckDB read_csv → Parquet")
    loads.append(("limite da importação", loadavg()))
    data["limit"] = limit_import(csv_path, work, "1m", args.repeat)

    port = free_port()
    env = production_env(work / "data", port)
    step("paco migrate + demo")
    for args_ in (("migrate", "--no-input", "-v", "0"), ("demo",)):
        done = paco(env, *args_)
        if done.returncode:
            sys.exit(f"paco {' '.join(args_)} falhou:\n{done.stderr}")
    data["has_import"] = paco(env, "help", "import-resource").returncode == 0
    startup = procs.timed([PYTHON, "-m", "paco", "help", "import-resource"], env=env, cwd=ROOT)
    data["startup_s"] = startup.seconds  # Python + Django + the command, doing nothing
    if data["has_import"]:
        step(f"paco import-resource ({args.rows} linhas)")
        loads.append(("importação Paço", loadavg()))
        data["paco"] = paco_import(env, csv_path, SLUG, args.repeat)
    parquet = (data.get("paco") or {}).get("parquet") or data["limit"]["parquet"]
    data["export_source"] = "Paço" if parquet != data["limit"]["parquet"] else "limite"

    step("limite da exportação: DuckDB COPY … TO csv")
    loads.append(("exportações", loadavg()))
    data["duck_export"] = duck_export(parquet, work, args.repeat)
    data["duck_exports"] = {
        "csv": data["duck_export"],
        **{ext: duck_export(parquet, work, args.repeat, ext) for ext in ("json", "parquet")},
    }
    count = procs.timed([*DUCK, "count", str(parquet)])
    data["parquet_rows"] = last_json(count.stdout).get("rows")

    if (data.get("paco") or {}).get("parquet"):
        resource_id = data["paco"]["result"]["resource_id"]
        data["server"] = measure_paco_server(env, port, resource_id, work, args)
        step("CPU por página datastore_search, em processo")
        data["cpu"] = paco_cpu_cost(env, resource_id, work, min(args.requests, 100))

    if not args.no_peers:
        bin_dir = peers.ensure_venv()
        data["peers_versions"] = [peers.version(bin_dir, t) for t in ("datasette", "sqlite-utils")]
        database = work / "peers.db"
        step("sqlite-utils insert (mesmas linhas, tipos detectados)")
        load = procs.timed(peers.load_command(bin_dir, database, data["duck_export"]["csv"]))
        if load.returncode:
            sys.exit(f"sqlite-utils falhou:\n{load.stderr[-2000:]}")
        data["peers_load"] = load
        data["datasette"] = measure_datasette(bin_dir, database, work, args)
        database.unlink()
    data["duck_export"]["csv"].unlink(missing_ok=True)

    if args.postgres and (data.get("paco") or {}).get("parquet"):
        data["postgres"] = postgres_deployment(args, work, csv_path)

    if args.big_bytes:
        big = work / "despesas-1gb.csv"
        csv_path.unlink()
        step(f"gerando arquivo de {args.big_bytes / 1024**3:.2f} GiB")
        data["big_input"] = generate(big, bytes_wanted=args.big_bytes)
        step("limite da importação do arquivo grande")
        loads.append(("arquivo grande", loadavg()))
        data["big_limit"] = limit_import(big, work, "big")
        if data["has_import"]:
            step("paco import-resource (arquivo grande)")
            data["big_paco"] = paco_import(env, big, SLUG + "-grande")
        big.unlink()


def postgres_deployment(args: argparse.Namespace, work: Path, csv_path: Path) -> dict[str, Any]:
    """The same table on a PostgreSQL deployment: import, build, the four page shapes."""
    import psycopg

    url = urllib.parse.urlsplit(args.postgres)
    name = url.path.lstrip("/")
    admin = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}"')
            con.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        return {"skipped": f"PostgreSQL indisponível: {exc}"}
    port = free_port()
    env = {**production_env(work / "data-pg", port), "DATABASE_URL": args.postgres}
    step("PostgreSQL: paco migrate + demo")
    for args_ in (("migrate", "--no-input", "-v", "0"), ("demo",)):
        done = paco(env, *args_)
        if done.returncode:
            return {"skipped": f"paco {' '.join(args_)} falhou: {done.stderr[-500:]}"}
    step("PostgreSQL: paco import-resource")
    imported = paco_import(env, csv_path, SLUG, 1)
    if not imported.get("parquet"):
        return {"skipped": imported.get("failure", "importação falhou")}
    resource_id = imported["result"]["resource_id"]
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {"import": imported}
    with procs.server(
        [PYTHON, "-m", "paco", "serve", "--no-worker"],
        base + "/healthz",
        work / "serve-pg.log",
        env=env,
        cwd=ROOT,
    ):
        names = [s[0] for s in SECRETARIAS]
        paths = pages.shape_paths("127.0.0.1", port, resource_id, names, args.paths)
        step("PostgreSQL: arquivos da versão")
        build = procs.timed(
            [PYTHON, "-m", "paco", "shell", "-c", BUILD.format(rid=resource_id)],
            env=env,
            cwd=ROOT,
        )
        out["build"] = {**last_json(build.stdout), "wall_s": build.seconds}
        step(f"PostgreSQL: formatos de página, wrk {args.connections} conexões")
        out["after"] = pages.measure_shapes(base, paths, args.connections, args.duration, work)
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return out


if __name__ == "__main__":
    main()
