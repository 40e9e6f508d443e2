"""CPU time per request of each page, in process (Django test client, no server).

Unlike wrk's figures, CPU time hardly depends on what else the machine is doing,
so it explains the throughput ratios even on a busy machine. Run by bench/run.py
with the benchmark's environment; prints JSON ``{path: milliseconds}``.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paco.settings")

import django

django.setup()

from django.test import Client  # noqa: E402


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    repeat = 20
    costs = {}
    for path in sys.argv[1:]:
        for _ in range(3):
            client.get(path)
        started = time.process_time()
        for _ in range(repeat):
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        costs[path] = (time.process_time() - started) / repeat * 1000
    print(json.dumps(costs))


if __name__ == "__main__":
    main()
