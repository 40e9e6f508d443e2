"""Scale-out, proven (issue 9 §5): the topology of docs/deployment.md §7, run for real.

Run by ``make scale-test`` (and ``.ci/run``), never by ``make test``: see
scale/conftest.py and scale/cluster.py. Each test names what it proves; they
share one cluster and run in this file's order.
"""

from __future__ import annotations

import hashlib
import json
import re
import tarfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
import requests
from cluster import TOWN_HOST, Cluster, Node, free_port, wait_for

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

UPLOAD = "bairro,escolas,alunos\nCentro,4,1210\nVila Nova,2,655\nSão Cristóvão,3,987\n".encode()
DATASET = "frota-de-veiculos"
RESOURCE = "escolas-por-bairro"


# --- helpers -------------------------------------------------------------------
class FormFields(HTMLParser):
    """The fields of the first form with a CSRF token: inputs, selected options, textareas."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "checkbox"):
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields[a.get("name", "")] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


class NodeClient:
    """A browser talking to ONE node as the balancer would forward it (TLS ended there).

    The session and CSRF cookies are ``Secure``: requests would not send them over
    the node's plain HTTP, so this client keeps them itself.
    """

    def __init__(self, node: Node, host: str = TOWN_HOST) -> None:
        self.node = node
        self.host = host
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: object) -> requests.Response:
        headers = Cluster.node_headers(self.host)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        answer = requests.request(
            method,
            self.node.url + path,
            headers=headers,
            allow_redirects=False,
            timeout=30,
            **kwargs,  # type: ignore[arg-type]
        )
        self.cookies.update(answer.cookies.get_dict())
        return answer


def anonymous_get(node: Node, path: str) -> requests.Response:
    return requests.get(node.url + path, headers=Cluster.node_headers(), timeout=30)


def upload_version(url: str, token: str, data: bytes, name: str, **kw: object) -> requests.Response:
    return requests.post(
        url + f"/api/v1/datasets/{DATASET}/resources/{RESOURCE}/versions",
        headers={"Authorization": f"Token {token}", **kw.pop("headers", {})},  # type: ignore[dict-item]
        files={"file": (name, data, "text/csv")},
        data={"title": "Escolas por bairro"},
        timeout=60,
        **kw,  # type: ignore[arg-type]
    )


def wait_version(cluster: Cluster, node: Node, status_url: str, token: str) -> dict:
    path = urlsplit(status_url).path
    headers = {**Cluster.node_headers(), "Authorization": f"Token {token}"}

    def finished() -> dict | None:
        node.proc.check_alive()  # type: ignore[union-attr]
        body = requests.get(node.url + path, headers=headers, timeout=10).json()
        return body if body["finished"] else None

    return wait_for(f"version {path} processed by the worker", finished, 90, every=0.2)


# --- (a) -----------------------------------------------------------------------
def test_upload_through_a_is_processed_by_the_worker_and_served_by_b(cluster: Cluster) -> None:
    a, b = cluster.nodes["web_a"], cluster.nodes["web_b"]
    token = cluster.seed["token"]
    answer = upload_version(a.url, token, UPLOAD, "escolas.csv", headers=Cluster.node_headers())
    assert answer.status_code == 202, answer.text
    queued = answer.json()
    assert queued["status"] == "queued", queued  # the web node only queues: the worker imports
    status = wait_version(cluster, b, queued["status_url"], token)
    assert status["status"] == "published" and status["current"], status
    resource_id, number = status["resource_id"], status["version"]
    cluster.seed.update(resource_id=resource_id, version=number)

    # queryable through B (CKAN's datastore_search)
    found = anonymous_get(b, f"/api/3/action/datastore_search?resource_id={resource_id}&q=Vila")
    assert found.status_code == 200, found.text
    result = found.json()["result"]
    assert [r["bairro"] for r in result["records"]] == ["Vila Nova"]
    everything = anonymous_get(b, f"/api/3/action/datastore_search?resource_id={resource_id}")
    assert everything.json()["result"]["total"] == 3

    # downloadable through B, byte for byte
    original = anonymous_get(b, f"/dados/recurso/{resource_id}/v{number}/original")
    assert original.status_code == 200
    assert original.content == UPLOAD

    # the files live in the object store, not on any node's disk
    prefix = f"opendata/santa-rita-do-paco/{resource_id}/v{number}/"
    listed = cluster.s3().list_objects_v2(Bucket=cluster.bucket, Prefix=prefix)
    keys = sorted(o["Key"] for o in listed.get("Contents", []))
    assert keys == [prefix + "data.parquet", prefix + "original.csv"], keys
    stored = cluster.s3().get_object(Bucket=cluster.bucket, Key=prefix + "original.csv")
    assert stored["Body"].read() == UPLOAD
    for name in ("web_a", "web_b", "worker"):
        media = cluster.workdir / name / "media"
        assert not media.exists() or not any(p.is_file() for p in media.rglob("*")), name


# --- (b) -----------------------------------------------------------------------
def test_staff_edit_through_a_invalidates_b_cached_page_at_once(cluster: Cluster) -> None:
    a, b = cluster.nodes["web_a"], cluster.nodes["web_b"]
    marker = f"Revisado no teste de escala {time.time_ns()}"

    def cached_on_b() -> requests.Response | None:
        # the worker may still be finishing (a)'s follow-up tasks, each a change of the town
        answer = anonymous_get(b, "/cronograma/")
        assert answer.status_code == 200
        return answer if answer.headers.get("X-Paco-Cache") == "hit" else None

    before = wait_for("B serving /cronograma/ from the shared cache", cached_on_b, 60, every=0.2)
    assert marker not in before.text

    staff = NodeClient(a)
    login = staff.request("GET", "/conta/entrar/")
    fields = form_fields(login.text)
    fields.update(username="cronograma", password=cluster.credentials["cronograma"])
    signed_in = staff.request("POST", "/conta/entrar/", data=fields)
    assert signed_in.status_code == 302, signed_in.text[:2000]
    edit_path = f"/cronograma/etapas/{cluster.seed['stage']}/editar/"
    form = staff.request("GET", edit_path)
    assert form.status_code == 200, form.text[:2000]
    fields = form_fields(form.text)
    fields["observation"] = marker
    saved = staff.request("POST", edit_path, data=fields)
    assert saved.status_code == 302, saved.text[:2000]

    after = anonymous_get(b, "/cronograma/")  # one request, no waiting: "at once"
    assert after.status_code == 200
    assert marker in after.text
    assert after.headers.get("X-Paco-Cache") == "miss"


# --- (c) -----------------------------------------------------------------------
UPLOADS_UNDER_LOAD = 8
REDISPATCHED = re.compile(r" \d+/\d+/\d+/\d+/\+\d+ ")
LOAD_PATHS = [
    "/",
    "/servicos/",
    "/cronograma/",
    "/dados/",
    f"/dataset/{DATASET}/",
    "/api/bnsp/servicos.json",
    "/api/3/action/package_list",
]


def test_killing_a_web_node_mid_load_loses_no_request_and_no_data(cluster: Cluster) -> None:
    a = cluster.nodes["web_a"]
    token = cluster.seed["token"]
    statuses: list[int] = []
    failures: list[str] = []
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def reader(offset: int) -> None:
        session = requests.Session()
        i = offset
        while not stop.is_set():
            path = LOAD_PATHS[i % len(LOAD_PATHS)]
            i += 1
            try:
                code = cluster.lb_get(path, session=session).status_code
            except requests.RequestException as exc:
                code = 0
                failures.append(f"{path}: {exc!r}")
            with lock:
                statuses.append(code)
                if code != 200:
                    failures.append(f"{path}: {code}")

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < UPLOADS_UNDER_LOAD:
            n += 1
            body = UPLOAD + f"Escrita {n},{n},{n}\n".encode()
            try:
                answer = upload_version(
                    cluster.lb_url,
                    token,
                    body,
                    f"carga-{n}.csv",
                    headers={"Host": TOWN_HOST},
                    verify=str(cluster.ca_file),
                )
            except requests.RequestException:
                continue  # not acknowledged: the client knows it may not have been saved
            if answer.status_code == 202:
                with lock:
                    acknowledged.append(answer.json()["status_url"])

    def answered() -> int:
        with lock:
            return len(statuses)

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(6)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    try:
        wait_for("100 answers before the kill", lambda: answered() >= 100, 60)
        at_kill = answered()
        cluster.kill_node(a)
        wait_for("300 answers after the kill", lambda: answered() >= at_kill + 300, 90)
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        # node A comes back, whatever happened (the last test waits for it)
        cluster.start_node(a, static_from=cluster.nodes["web_b"])
    assert not failures, failures[:20]
    assert all(code == 200 for code in statuses)
    # HAProxy's log marks a request it sent to another server after a failure "/+N"
    redispatched = len(REDISPATCHED.findall(cluster.lb.log.read_text()))
    assert redispatched >= 1  # the kill did hit requests: they were retried, and answered 200
    cluster.figures["c"] = (
        f"{len(statuses)} GETs through HAProxy, all 200 ({at_kill} before the SIGKILL of web_a); "
        f"{redispatched} redispatched by HAProxy; {len(acknowledged)} uploads acknowledged, "
        "all stored and published"
    )

    # no data lost: every upload the balancer acknowledged is stored and gets published
    b = cluster.nodes["web_b"]
    for status_url in acknowledged:
        status = wait_version(cluster, b, status_url, token)
        assert status["status"] == "published", status


# --- (d) -----------------------------------------------------------------------
def test_backup_and_restore_round_trip_postgresql_and_object_store(cluster: Cluster) -> None:
    archive = cluster.workdir / "backup.tar.gz"
    cluster.paco("backup", "backup", str(archive))  # while both nodes serve

    database = cluster.database + "_restored"
    bucket = cluster.bucket + "-restored"
    cluster.create_database(database)
    cluster.create_bucket(bucket)
    env = cluster.paco_env(database, bucket, cluster.workdir / "restored")
    cluster.paco("migrate-restored", "migrate", "--no-input", "-v", "0", env=env)
    cluster.paco("restore", "restore", str(archive), env=env)
    cluster.paco("audit-verify", "audit", "verify", env=env)
    # the source keeps serving (and its worker working): compare with the archive itself
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        dumped = Counter(row["model"] for row in json.load(tar.extractfile("database.json")))  # type: ignore[arg-type]
    restored_rows = cluster.row_counts(database)
    tables = {label: label.replace(".", "_") for label in dumped}
    compared = {label: dumped[label] for label, table in tables.items() if table in restored_rows}
    assert {label: restored_rows[tables[label]] for label in compared} == compared
    assert len(compared) >= 20 and compared["opendata.resourceversion"] >= 2

    s3 = cluster.s3()

    def objects(name: str) -> dict[str, str]:
        pages = s3.get_paginator("list_objects_v2").paginate(Bucket=name)
        found = {}
        for page in pages:
            for item in page.get("Contents", []):
                if not item["Key"].startswith("healthz/"):
                    body = s3.get_object(Bucket=name, Key=item["Key"])["Body"].read()
                    found[item["Key"]] = hashlib.sha256(body).hexdigest()
        return found

    archived = {
        name.removeprefix("media/"): member["sha256"]
        for name, member in manifest["members"].items()
        if name.startswith("media/")
    }
    source, restored = objects(cluster.bucket), objects(bucket)
    assert archived and restored == archived
    assert archived.items() <= source.items()  # fetched from the source bucket, checksums kept

    # a web node on the restored installation serves the published file, identical
    node = Node("web_restored", "127.0.0.15", free_port("127.0.0.15"), env)
    cluster.start_node(node, static_from=cluster.nodes["web_b"])
    try:
        cluster.wait_healthy(node)
        resource_id, number = cluster.seed["resource_id"], cluster.seed["version"]
        original = anonymous_get(node, f"/dados/recurso/{resource_id}/v{number}/original")
        assert original.status_code == 200
        assert original.content == UPLOAD
        found = anonymous_get(
            node, f"/api/3/action/datastore_search?resource_id={resource_id}&q=Centro"
        )
        assert [r["bairro"] for r in found.json()["result"]["records"]] == ["Centro"]
    finally:
        assert node.proc is not None
        node.proc.signal_group(15)
        node.proc.popen.wait(20)


# --- (e) -----------------------------------------------------------------------
TOWNS = 200


def test_200_municipalities_each_answer_on_their_own_host(cluster: Cluster) -> None:
    cluster.wait_healthy(cluster.nodes["web_a"])  # back since the kill: both nodes serve
    started = time.monotonic()
    towns = cluster.seed_step("towns", str(TOWNS), "scale.test")["towns"]
    created = time.monotonic() - started
    assert len(towns) == TOWNS

    def home(town: dict) -> tuple[str, int, str]:
        answer = cluster.lb_get("/", host=town["host"])
        title = re.search(r"<title>(.*?)</title>", answer.text, re.S)
        return town["name"], answer.status_code, title.group(1) if title else answer.text[:200]

    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(home, [*towns, {"name": "Santa Rita do Paço", "host": TOWN_HOST}]))
    served = time.monotonic() - started
    wrong = [
        (name, code, title) for name, code, title in answers if code != 200 or name not in title
    ]
    assert not wrong, wrong[:10]
    unknown = cluster.lb_get("/", host="ninguem.scale.test")
    assert unknown.status_code == 404
    cluster.figures["e"] = (
        f"{TOWNS} towns created through tenancy actions in {created:.1f}s; "
        f"{len(answers)} home pages through HAProxy in {served:.1f}s"
    )
