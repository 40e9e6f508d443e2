"""CPU time of ``datastore_search`` pages, in process (Django test client, no server).

CPU time (every thread of the process, DuckDB's included) hardly depends on what
else the machine runs, so it explains the latency figures on a busy machine.
Usage (with the benchmark's environment): ``python cpu_cost.py PATHS.json`` where
the file holds a list of paths; each is requested once after two warm-ups.
Prints JSON ``{"count", "cpu_ms_p50", "cpu_ms_p99", "wall_ms_p50", "wall_ms_p99"}``.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")

import django

django.setup()

from django.test import Client  # noqa: E402


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def main() -> None:
    paths = json.loads(Path(sys.argv[1]).read_text())
    client = Client(HTTP_HOST="127.0.0.1")
    for path in paths[:2]:
        client.get(path)
    cpu: list[float] = []
    wall: list[float] = []
    for path in paths[2:]:
        started_cpu, started = time.process_time(), time.perf_counter()
        response = client.get(path)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{path} respondeu {response.status_code}")
    print(
        json.dumps(
            {
                "count": len(cpu),
                "cpu_ms_p50": percentile(cpu, 50),
                "cpu_ms_p99": percentile(cpu, 99),
                "wall_ms_p50": percentile(wall, 50),
                "wall_ms_p99": percentile(wall, 99),
            }
        )
    )


if __name__ == "__main__":
    main()
