"""Issue 12's page shapes, its mixed load and its export checks, against a running ``paco serve``.

Shapes (100 rows a page, every request a different query, offsets spread from 0 to
100,000, so no cache can answer for the engine):

* ``filtrada``: ``datastore_search`` with ``filters={"secretaria": …}``, ``sort=valor_pago desc``
  (offsets up to 100,000 or the secretaria's last page);
* ``data``: the whole table sorted by ``data_empenho``;
* ``valor``: the whole table sorted by ``valor_pago desc``;
* ``cursor``: the native API (``/api/v1/tables/<id>``) sorted by ``valor_pago desc``, pages
  reached through ``after=<cursor>`` (keyset) at the same depths.

``mixed`` runs 8 clients at once (pages of every shape, ``datastore_search_sql`` queries
and whole-table exports) plus stalled clients that asked for an export and read nothing.
"""

from __future__ import annotations

import base64
import http.client
import json
import random
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import procs

SORT = "valor_pago"
DATE = "data_empenho"
MAX_OFFSET = 100_000
SHAPES = ("filtrada", "data", "valor", "cursor")


def get_json(host: str, port: int, path: str) -> Any:
    conn = http.client.HTTPConnection(host, port, timeout=120)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return json.loads(response.read())
    finally:
        conn.close()


def search_path(resource_id: str, **params: Any) -> str:
    return "/api/3/action/datastore_search?" + urllib.parse.urlencode(
        {"resource_id": resource_id, **params}
    )


def filtered_path(resource_id: str, secretaria: str, offset: int, limit: int = 100) -> str:
    return search_path(
        resource_id,
        filters=json.dumps({"secretaria": secretaria}),
        sort=f"{SORT} desc",
        limit=limit,
        offset=offset,
    )


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def shape_paths(
    host: str, port: int, resource_id: str, secretarias: list[str], count: int, seed: int = 12
) -> dict[str, list[str]]:
    """``count`` different paths per shape (the cursors are read from the server first)."""
    rng = random.Random(seed)
    totals = {}
    for name in secretarias:
        body = get_json(host, port, filtered_path(resource_id, name, 0, limit=0))
        totals[name] = int(body["result"]["total"])
    rows = int(get_json(host, port, search_path(resource_id, limit=0))["result"]["total"])

    def offsets(top: int) -> list[int]:
        chosen = {0, max(0, min(MAX_OFFSET, top - 100))}
        while len(chosen) < count:
            chosen.add(rng.randrange(0, max(1, min(MAX_OFFSET, top - 100) + 1)))
        values = sorted(chosen)
        rng.shuffle(values)
        return values[:count]

    paths: dict[str, list[str]] = {}
    filtered = []
    per = -(-count // len(secretarias))
    for name in secretarias:
        filtered += [filtered_path(resource_id, name, o) for o in offsets(totals[name])[:per]]
    rng.shuffle(filtered)
    paths["filtrada"] = filtered[:count]
    paths["data"] = [
        search_path(resource_id, sort=DATE, limit=100, offset=o) for o in offsets(rows)
    ]
    paths["valor"] = [
        search_path(resource_id, sort=f"{SORT} desc", limit=100, offset=o) for o in offsets(rows)
    ]
    # keyset: the cursor of the row just before each depth (read once, untimed)
    cursors = []
    depths = offsets(rows)[:30]
    for depth in depths:
        if depth == 0:
            cursors.append(None)
            continue
        body = get_json(
            host,
            port,
            search_path(resource_id, sort=f"{SORT} desc", limit=1, offset=depth - 1),
        )
        last = body["result"]["records"][0]
        cursors.append(encode_cursor([last[SORT], last["_id"]]))
    native = []
    for index in range(count):
        cursor = cursors[index % len(cursors)]
        params = {"sort": f"-{SORT}", "limit": 100 - (index // len(cursors)) % 50}
        if cursor:
            params["after"] = cursor
        native.append(f"/api/v1/tables/{resource_id}?" + urllib.parse.urlencode(params))
    paths["cursor"] = native
    return paths


def measure_shapes(
    base: str, paths: dict[str, list[str]], connections: int, seconds: int, work: Path
) -> dict[str, procs.Load]:
    return {
        shape: procs.wrk_latency(base, paths[shape], connections, seconds, work) for shape in SHAPES
    }


# --- the mixed load ---------------------------------------------------------------
@dataclass
class Client:
    kind: str
    paths: list[str]
    times: list[float] = field(default_factory=list)
    errors: int = 0
    bytes: int = 0


def _client_loop(host: str, port: int, client: Client, stop: threading.Event) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=120)
    index = 0
    while not stop.is_set():
        path = client.paths[index % len(client.paths)]
        index += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Host": host})
            response = conn.getresponse()
            while chunk := response.read(1024 * 1024):
                client.bytes += len(chunk)
            status = response.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=120)
            status = 0
        if stop.is_set() and client.kind != "pagina":
            break
        client.times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            client.errors += 1
    conn.close()


def stalled_download(host: str, port: int, path: str, until: float) -> dict[str, Any]:
    """Ask for an export, read only the headers, then nothing until ``until`` (monotonic).

    Then drain what the kernel still holds: the server closed the connection when the
    stream ends (EOF or reset) instead of more of the file.
    """
    sock = socket.create_connection((host, port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
    first = sock.recv(1024)
    time.sleep(max(0.0, until - time.monotonic()))
    sock.settimeout(10)
    closed, drained = False, 0
    try:
        while drained < 64 * 1024 * 1024:
            data = sock.recv(1 << 20)
            if not data:
                closed = True
                break
            drained += len(data)
    except ConnectionResetError:
        closed = True
    except OSError:
        pass
    sock.close()
    return {
        "answered": first.startswith(b"HTTP/1.1 200"),
        "closed_by_server": closed,
        "drained_mb": round(drained / 1e6, 1),
    }


def mixed(
    host: str,
    port: int,
    paths: dict[str, list[str]],
    sql_paths: list[str],
    export_path: str,
    seconds: int,
    stalled: int = 2,
    stall_seconds: float = 40,
) -> dict[str, Any]:
    """8 clients: 5 pages (every shape), 2 SQL, 1 whole-table export, plus stalled readers.

    The stalled readers stop reading at once and stay ``stall_seconds`` (longer than the
    server's send timeout, ``PACO_SEND_TIMEOUT_SECONDS``): the server should have cut them.
    """
    pages = [p for shape in SHAPES for p in paths[shape][-200:]]
    random.Random(8).shuffle(pages)
    clients = [Client("pagina", pages[i::5]) for i in range(5)]
    clients += [Client("sql", sql_paths[i::2]) for i in range(2)]
    clients.append(Client("exportacao", [export_path]))
    until = time.monotonic() + max(stall_seconds, seconds + 2)
    stall_results: list[dict[str, Any]] = []
    stall_threads = [
        threading.Thread(
            target=lambda: stall_results.append(stalled_download(host, port, export_path, until))
        )
        for _ in range(stalled)
    ]
    for thread in stall_threads:
        thread.start()
    time.sleep(1)
    stop = threading.Event()
    threads = [threading.Thread(target=_client_loop, args=(host, port, c, stop)) for c in clients]
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=600)
    for thread in stall_threads:
        thread.join(timeout=stall_seconds + 120)
    out: dict[str, Any] = {"seconds": seconds, "stalled": stall_results}
    for kind in ("pagina", "sql", "exportacao"):
        group = [c for c in clients if c.kind == kind]
        times = [t for c in group for t in c.times]
        out[kind] = {
            "clients": len(group),
            "count": len(times),
            "p50_ms": procs.percentile(times, 50),
            "p99_ms": procs.percentile(times, 99),
            "errors": sum(c.errors for c in group),
            "mb": sum(c.bytes for c in group) / 1e6,
        }
    return out


def sql_paths(resource_id: str, secretarias: list[str]) -> list[str]:
    paths = []
    for index, name in enumerate(secretarias * 4):
        where = f"secretaria = '{name}' AND exercicio >= {2020 + index % 5}"
        sql = f'SELECT modalidade, count(*) AS n, sum({SORT}) AS total FROM "{resource_id}" '  # noqa: S608
        sql += f"WHERE {where} GROUP BY modalidade"
        paths.append("/api/3/action/datastore_search_sql?" + urllib.parse.urlencode({"sql": sql}))
    return paths


# --- exports ---------------------------------------------------------------------
def head(host: str, port: int, path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """HEAD (no ``headers``) or a GET with ``headers`` read to the end."""
    conn = http.client.HTTPConnection(host, port, timeout=120)
    try:
        method = "GET" if headers else "HEAD"
        conn.request(method, path, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        body = response.read() if headers else b""
        return {
            "status": response.status,
            "length": response.getheader("Content-Length"),
            "range": response.getheader("Content-Range"),
            "accept": response.getheader("Accept-Ranges"),
            "body": len(body),
        }
    finally:
        conn.close()


def range_check(host: str, port: int, path: str, size: int) -> dict[str, Any]:
    """A middle range and a suffix range: 206, the right bytes count and Content-Range."""
    middle = head(host, port, path, {"Range": "bytes=1000-1999"})
    suffix = head(host, port, path, {"Range": "bytes=-500"})
    ok = (
        middle["status"] == 206
        and middle["body"] == 1000
        and middle["range"] == f"bytes 1000-1999/{size}"
        and suffix["status"] == 206
        and suffix["body"] == 500
    )
    return {"ok": ok, "middle": middle, "suffix": suffix}
