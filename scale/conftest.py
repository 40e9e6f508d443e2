"""The scale test's cluster: started once for the session, stopped whatever happens.

Run with ``make scale-test`` (pytest with ``-p no:django``: this process only
drives the cluster from outside, like a visitor, an operator and a script).
``PACO_SCALE_KEEP=1`` keeps the folder with every process's log after the run.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from cluster import Cluster, running_cluster

_started = time.monotonic()
_report: list[str] = []


@pytest.fixture(scope="session")
def cluster(request: pytest.FixtureRequest) -> Iterator[Cluster]:
    keep = os.environ.get("PACO_SCALE_KEEP") == "1"
    with running_cluster(keep=keep) as running:
        yield running
        if request.session.testsfailed:
            for proc in running.processes:
                _report.append(f"--- {proc.name} ({proc.log}) ---\n{proc.tail(30)}")
                _report.extend(proc.tracebacks())
        _report.extend(f"({key}) {text}" for key, text in sorted(running.figures.items()))
        _report.append(f"timings (s): {running.timings}")
        if keep:
            _report.append(f"logs kept in {running.workdir}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _report:
        terminalreporter.section("scale test")
        for line in [*_report, f"whole run: {time.monotonic() - _started:.1f}s"]:
            terminalreporter.write_line(line)
