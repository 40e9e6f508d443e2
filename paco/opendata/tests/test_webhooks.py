"""Outgoing webhooks on publication, against a real HTTP server on the loopback interface."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from paco.opendata import actions, signals
from paco.opendata.models import Dataset, DatasetState
from paco.opendata.portal import webhooks
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]
SECRET = "segredo-dos-webhooks"


class Receiver:
    """A loopback HTTP receiver; ``hold=True`` answers only once the test ends (``released``)."""

    def __init__(self, status: int = 204, hold: bool = False) -> None:
        self.received: list[dict[str, Any]] = []
        self.status, self.hold = status, hold
        self.released = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append({"headers": dict(self.headers), "body": body})
                if outer.hold:
                    outer.released.wait(60)  # bounded, so a broken timeout fails, never hangs
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/gancho"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def _loopback_receivers_allowed(settings) -> None:
    """These receivers listen on 127.0.0.1: the first hop may (test_webhook_safety checks
    that it may not by default, and that redirects never may)."""
    settings.PACO_WEBHOOK_ALLOW_INTERNAL = True


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    with Receiver() as r:
        settings.PACO_WEBHOOK_URLS = [r.url]
        settings.PACO_WEBHOOK_SECRET = SECRET
        yield r


def test_publishing_a_version_posts_a_signed_notice(
    receiver, town_x, unit_x_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = publish_table(town_x, unit_x_a, title="Despesas")
    notices = [json.loads(r["body"]) for r in receiver.received]
    version_notices = [n for n in notices if n["event"] == "resource.version_published"]
    assert len(version_notices) == 1
    notice = version_notices[0]
    assert notice["dataset"] == "despesas" and notice["title"] == "Despesas"
    assert notice["url"] == "http://x.paco.test/dataset/despesas/"
    assert notice["municipality"] == "town-x"
    assert notice["resource"] == str(resource.pk) and notice["version"] == 1
    assert notice["modified"].startswith(
        str(Dataset.objects.get(name="despesas").modified_at.date())
    )
    for item in receiver.received:
        expected = "sha256=" + hmac.new(SECRET.encode(), item["body"], hashlib.sha256).hexdigest()
        assert hmac.compare_digest(item["headers"]["X-Paco-Signature"], expected)
        assert item["headers"]["Content-Type"].startswith("application/json")
        assert item["headers"]["X-Paco-Event"] == json.loads(item["body"])["event"]


def test_a_tampered_body_fails_verification(receiver, town_x, unit_x_a):
    ds = actions.create_dataset(None, town_x, title="Obras", unit=unit_x_a)
    actions.set_dataset_state(None, ds, DatasetState.PUBLISHED)
    signals.dataset_changed.send(sender=Dataset, dataset=ds)
    (item,) = receiver.received
    forged = item["body"].replace(b"Obras", b"Falso")
    good = "sha256=" + hmac.new(SECRET.encode(), forged, hashlib.sha256).hexdigest()
    assert item["headers"]["X-Paco-Signature"] != good


def test_drafts_are_never_announced(receiver, town_x, unit_x_a):
    ds = actions.create_dataset(None, town_x, title="Rascunho", unit=unit_x_a)
    signals.dataset_changed.send(sender=Dataset, dataset=ds)
    assert receiver.received == []


def test_the_same_event_is_sent_once(receiver, town_x, unit_x_a):
    ds = actions.create_dataset(None, town_x, title="Obras", unit=unit_x_a)
    actions.set_dataset_state(None, ds, DatasetState.PUBLISHED)
    for _ in range(5):
        signals.dataset_changed.send(sender=Dataset, dataset=ds)
    assert len(receiver.received) == 1


def test_no_configuration_no_request(settings, town_x, unit_x_a):
    settings.PACO_WEBHOOK_URLS = []
    ds = actions.create_dataset(None, town_x, title="Obras", unit=unit_x_a)
    actions.set_dataset_state(None, ds, DatasetState.PUBLISHED)
    assert webhooks.notify("dataset.changed", ds) == 0


def test_no_secret_no_signature_header(settings, town_x, unit_x_a):
    with Receiver() as r:
        settings.PACO_WEBHOOK_URLS = [r.url]
        settings.PACO_WEBHOOK_SECRET = ""
        ds = actions.create_dataset(None, town_x, title="Obras", unit=unit_x_a)
        actions.set_dataset_state(None, ds, DatasetState.PUBLISHED)
        webhooks.notify("dataset.changed", ds)
    (item,) = r.received
    assert "X-Paco-Signature" not in item["headers"]


def test_slow_down_or_failing_receivers_do_not_break_publication(settings, town_x, unit_x_a):
    settings.PACO_WEBHOOK_TIMEOUT_SECONDS = 1
    with Receiver(hold=True) as slow, Receiver(status=500) as failing:
        closed = Receiver()  # bound, never started: connections are not answered
        closed.server.server_close()
        settings.PACO_WEBHOOK_URLS = [slow.url, failing.url, closed.url]
        ds = actions.create_dataset(None, town_x, title="Obras", unit=unit_x_a)
        actions.set_dataset_state(None, ds, DatasetState.PUBLISHED)
        assert webhooks.notify("dataset.changed", ds) == 3  # ImmediateBackend: runs now
        # the slow receiver answers only when the test ends: a delivery that returned while it
        # still holds its answer gave up on its own timeout (without one it would get the 204)
        assert webhooks.deliver.call(slow.url, "x", "{}") == 0
        assert not slow.released.is_set()
        assert webhooks.deliver.call(failing.url, "x", "{}") == 500
        assert webhooks.deliver.call(closed.url, "x", "{}") == 0
    assert len(slow.received) == 2 and len(failing.received) == 2  # one attempt each, no retry
