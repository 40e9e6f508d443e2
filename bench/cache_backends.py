"""What one cached public page costs to serve with each candidate shared cache.

Run by ``bench/run.py`` with the benchmark's environment (its data directory and
database). For each cache it fills the page cache with one request, then times
``REPEAT`` hits through the Django test client (the whole middleware chain up to
the page-cache middleware, no server) in CPU time per request, and prints JSON:
``[{"name", "shared", "atomic", "costs": {path: ms}}]``.

The candidates (issue 9 §4, docs/decisions.md "Both cores"):

* Django's LocMemCache — per process: the reference, but two web processes would
  not agree (an edit would leave the other process's pages stale);
* diskcache's DjangoCache — SQLite files, shared by processes, atomic ``incr``;
  as it comes, and as Paço uses it (:mod:`paco.core.diskcache`: the SQLite
  connections kept open between requests);
  as it comes, and as Paço uses it (:mod:`paco.core.diskcache`: the SQLite
  connections kept open between requests);
* Django's FileBasedCache — one file per key, shared, ``incr`` is get + set;
* Django's DatabaseCache — a table in the main database, shared, ``incr`` is
  get + set.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

REPEAT = 300


def candidates(scratch: Path) -> list[tuple[str, str, str, dict[str, object]]]:
    return [
        (
            "LocMemCache (por processo)",
            "não",
            "—",
            {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            },
        ),
        (
            "diskcache.DjangoCache (como vem)",
            "sim",
            "sim",
            {
                "BACKEND": "diskcache.DjangoCache",
                "LOCATION": str(scratch / "diskcache-plain"),
                "SHARDS": 4,
                "DATABASE_TIMEOUT": 0.05,
                "OPTIONS": {"size_limit": 2**28, "sqlite_cache_size": 2**10},
            },
        ),
        (
            "**diskcache, conexões mantidas** (escolhido: paco.core.diskcache)",
            "sim",
            "sim",
            {
                "BACKEND": "paco.core.diskcache.SharedDiskCache",
                "LOCATION": str(scratch / "diskcache"),
                "SHARDS": 4,
                "DATABASE_TIMEOUT": 0.05,
                "OPTIONS": {"size_limit": 2**28, "sqlite_cache_size": 2**10},
            },
        ),
        (
            "FileBasedCache",
            "sim",
            "não",
            {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(scratch / "files"),
            },
        ),
        (
            "DatabaseCache (SQLite do Paço)",
            "sim",
            "não",
            {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "paco_bench_cache",
            },
        ),
    ]


def main() -> None:
    paths = sys.argv[1:]
    results = []
    with tempfile.TemporaryDirectory(prefix="paco-cache-bench-") as scratch:
        for name, shared, atomic, config in candidates(Path(scratch)):
            with override_settings(CACHES={"default": config}, PACO_PAGE_CACHE_SECONDS=300):
                if "DatabaseCache" in str(config["BACKEND"]):
                    call_command("createcachetable", verbosity=0)
                client = Client(HTTP_HOST="127.0.0.1")
                costs = {}
                for path in paths:
                    first = client.get(path)
                    assert first.status_code == 200, (path, first.status_code)
                    hit = client.get(path)
                    assert hit["X-Paco-Cache"] == "hit", (name, path)
                    started = time.process_time()
                    for _ in range(REPEAT):
                        client.get(path)
                    costs[path] = (time.process_time() - started) / REPEAT * 1000
            results.append({"name": name, "shared": shared, "atomic": atomic, "costs": costs})
    print(json.dumps(results))


if __name__ == "__main__":
    main()
