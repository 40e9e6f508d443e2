"""Issue 9 §4: every process of one installation shares the cache, with no Redis.

The default cache (diskcache, SQLite files under the data directory) is what makes
two web processes agree: an edit makes every process's cached pages stale at once
(the content version), and rate-limit counters add up, atomically. These tests run
a second OS process with the same cache directory and talk to it line by line over
its stdin/stdout (each answer is awaited, never slept for).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from paco.core import ratelimit
from paco.core.cache import content_version, invalidate_public_pages

ROOT = Path(__file__).resolve().parents[3]

# The other process: Django with the same settings and cache directory, answering
# "version <town>", "invalidate <town>", "hit <scope> <limit>" and "hits <n>".
PEER = """
import sys
import django
django.setup()
from paco.core import ratelimit
from paco.core.cache import content_version, invalidate_public_pages
print("ready", flush=True)
for line in sys.stdin:
    command, *args = line.split()
    if command == "version":
        print(content_version(int(args[0])), flush=True)
    elif command == "invalidate":
        invalidate_public_pages(int(args[0]))
        print("done", flush=True)
    elif command == "hit":
        print(ratelimit.hit(args[0], "203.0.113.9", limit=int(args[1])), flush=True)
    elif command == "hits":
        for _ in range(int(args[0])):
            ratelimit.hit("contagem", "x", limit=10**6, window_seconds=10**9)
        print("done", flush=True)
"""


class Peer:
    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc

    def ask(self, line: str) -> str:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        assert answer, f"the other process stopped: {self.proc.stderr and self.proc.stderr.read()}"
        return answer


@pytest.fixture
def peer() -> Iterator[Peer]:
    assert settings.CACHES["default"]["BACKEND"] == "paco.core.diskcache.SharedDiskCache"
    env: dict[str, str] = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "paco.settings",
        "PACO_CACHE_DIR": str(settings.CACHES["default"]["LOCATION"]),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", PEER],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        yield Peer(proc)
    finally:
        proc.kill()
        proc.wait()


def test_the_default_cache_lives_in_the_data_directory_and_is_shared() -> None:
    assert settings.CACHES["default"]["BACKEND"] == "paco.core.diskcache.SharedDiskCache"
    # outside tests (no PACO_CACHE_DIR), the cache directory is PACO_DATA_DIR/cache
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup();"
            "from django.conf import settings; print(settings.CACHES['default']['LOCATION'])",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("PACO_")},
            "PACO_DATA_DIR": str(settings.DATA_DIR),
            "PACO_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "paco.settings",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == str(settings.DATA_DIR / "cache")


def test_an_edit_in_one_process_makes_the_other_process_pages_stale(peer: Peer) -> None:
    before = content_version(7)
    assert peer.ask("version 7") == before

    invalidate_public_pages(7)  # an edit committed here…
    after = content_version(7)
    assert after != before
    assert peer.ask("version 7") == after  # …is seen there at once

    assert peer.ask("invalidate 7") == "done"  # and the other way round
    assert content_version(7) not in (before, after)
    assert peer.ask("version 8") == content_version(8)  # other towns are untouched


def test_rate_limit_counters_add_up_across_processes(peer: Peer) -> None:
    assert ratelimit.hit("senha", "203.0.113.9", limit=3)
    assert ratelimit.hit("senha", "203.0.113.9", limit=3)
    assert peer.ask("hit senha 3") == "True"  # the third attempt, counted there
    assert not ratelimit.hit("senha", "203.0.113.9", limit=3)  # the fourth, refused here
    assert peer.ask("hit senha 3") == "False"


def test_increments_from_two_processes_at_once_are_all_counted(peer: Peer) -> None:
    answer: list[str] = []
    other = threading.Thread(target=lambda: answer.append(peer.ask("hits 300")))
    other.start()
    for _ in range(300):
        ratelimit.hit("contagem", "x", limit=10**6, window_seconds=10**9)
    other.join(timeout=60)
    assert answer == ["done"]
    # exactly 600 counted: the 601st attempt is within a limit of 601, the 602nd is not
    assert ratelimit.hit("contagem", "x", limit=601, window_seconds=10**9)
    assert not ratelimit.hit("contagem", "x", limit=601, window_seconds=10**9)
