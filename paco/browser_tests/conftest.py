"""Browser suite: the demo municipality served by a live server, driven by Debian's chromium.

Playwright's own browser download cannot work here, so the suite uses the
``chromium`` package of the distribution. When it is missing the whole suite is
replaced by one skipped test that says how to install it — or, with
``PACO_REQUIRE_BROWSER=1`` (set by ``.ci/run``), by one failing test.
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an event loop on the main thread; Django would
# otherwise refuse ORM calls made from it (fixtures load and flush the demo).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
UNAVAILABLE = (
    "Suíte de navegador ignorada: instale o Chromium do Debian "
    "(apt-get install chromium) para rodá-la; veja docs/accessibility.md."
)


def chromium_path() -> str | None:
    explicit = os.environ.get("PACO_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium")


class BrowserSuiteSkipped(UserWarning):
    """Shown once in the warnings summary so the skip is never silent."""


def _browser_unavailable() -> None:
    if os.environ.get("PACO_REQUIRE_BROWSER") == "1":
        pytest.fail(UNAVAILABLE.replace("ignorada", "obrigatória (PACO_REQUIRE_BROWSER=1)"))
    warnings.warn(UNAVAILABLE, BrowserSuiteSkipped, stacklevel=1)
    pytest.skip(UNAVAILABLE)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without chromium, replace the whole browser suite by one test that skips (or fails)."""
    if chromium_path() is not None:
        return
    ours = [item for item in items if HERE in item.path.parents]
    if not ours:
        return
    placeholder = pytest.Function.from_parent(
        ours[0].parent,
        name="test_browser_suite",
        callobj=_browser_unavailable,
    )
    placeholder.add_marker(pytest.mark.browser)
    config.hook.pytest_deselected(items=ours)
    position = items.index(ours[0])
    items[:] = [item for item in items if item not in ours]
    items.insert(position, placeholder)


# --- fixtures -------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One chromium per worker process."""
    from playwright.sync_api import sync_playwright

    from paco.browser_tests.support import launch_options

    executable = chromium_path()
    assert executable is not None
    driver = sync_playwright().start()
    instance = driver.chromium.launch(**launch_options(executable))  # type: ignore[arg-type]
    yield instance
    instance.close()
    driver.stop()


@contextmanager
def _test_database() -> Iterator[None]:
    """pytest-django only creates the test database when some collected test asks for
    ``db``; when the browser suite runs alone nothing does, so create it here."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    test_name = connection.creation._get_test_db_name()  # type: ignore[attr-defined]
    if connection.settings_dict["NAME"] == test_name:
        yield
        return
    config = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        teardown_databases(config, verbosity=0)


def _wait_for_request_threads() -> None:
    """Let the server's request threads finish before the shared connection is released."""
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=5)


@dataclass
class DemoSite:
    base_url: str


@pytest.fixture(scope="module")
def demo_site(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSite]:
    """The demo municipality on a threaded live server, loaded once per test module.

    The data is written outside any test transaction (the server thread must see
    it) and the database is flushed afterwards, as ``transactional_db`` does.
    """
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.management import call_command
    from django.db import connections
    from django.test.testcases import LiveServerThread

    from paco.tenancy.demo import load_demo
    from paco.tenancy.middleware import forget_hosts

    with django_db_blocker.unblock(), _test_database():
        load_demo()
        forget_hosts()
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()  # type: ignore[attr-defined]
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        # Request threads must not keep database sessions open (PostgreSQL refuses to
        # drop a test database that still has sessions), so no persistent connections.
        db_settings = connections["default"].settings_dict
        max_age = db_settings.get("CONN_MAX_AGE", 0)
        db_settings["CONN_MAX_AGE"] = 0
        server = LiveServerThread("127.0.0.1", StaticFilesHandler, connections_override=shared)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield DemoSite(base_url=f"http://127.0.0.1:{server.port}")
        finally:
            server.terminate()
            _wait_for_request_threads()
            for conn in shared.values():
                conn.dec_thread_sharing()
            db_settings["CONN_MAX_AGE"] = max_age
            call_command("flush", verbosity=0, interactive=False)
            forget_hosts()
