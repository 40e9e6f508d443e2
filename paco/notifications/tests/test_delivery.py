"""Delivery: the daily digest, preferences, and a failed send retried until the server is back."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from paco.audit.models import AuditEntry
from paco.datarequests import actions as dr_actions
from paco.datarequests.models import DataRequest, Status
from paco.notifications import actions
from paco.notifications.models import Channel, EmailState, Kind, Notification
from paco.notifications.tasks import send_digests, tick
from paco.plans.dates import PLAN_TIME_ZONE, today_local
from paco.testing.smtp import free_port

from .conftest import addressees, set_due

pytestmark = pytest.mark.django_db


def local(hour: int, day: datetime.date | None = None) -> datetime.datetime:
    day = day or today_local()
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PLAN_TIME_ZONE)


def test_digest_sends_one_summary_a_day(cast, committed, town_x, request_in_a, smtp_settings):
    actions.set_preferences(cast["editor_a"], town_x, digest=True)
    committed(dr_actions.assign_servant, cast["admin"], request_in_a, cast["editor_a"])
    set_due(request_in_a, today_local() - datetime.timedelta(days=1))
    before = len(smtp_settings.messages)
    committed(tick, local(9), force_scan=True)  # the scan tells, the digest gathers
    mine = [m for m in smtp_settings.messages[before:] if m["To"] == "editor.a@x.gov.br"]
    assert len(mine) == 1
    assert "Resumo do dia: 2 aviso(s)" in mine[0]["Subject"]
    body = smtp_settings.body_of(mine[0])
    assert "Item atribuído a mim" in body and "Prazo vencido" in body
    assert request_in_a.protocol in body
    # once a day
    assert send_digests(local(15)) == 0
    # before the digest hour (7 by default) of the next day: nothing yet
    tomorrow = today_local() + datetime.timedelta(days=1)
    set_due(request_in_a, tomorrow + datetime.timedelta(days=2))
    committed(tick, local(3, tomorrow), force_scan=True)
    assert not [m for m in smtp_settings.messages[before + 1 :] if m["To"] == "editor.a@x.gov.br"]
    assert send_digests(local(7, tomorrow)) == 1
    assert "Prazo se aproximando" in smtp_settings.body_of(smtp_settings.messages[-1])


def test_preferences_are_respected(cast, committed, town_x, request_in_a, smtp_settings):
    actions.set_preferences(cast["editor_a"], town_x, overdue=Channel.OFF)
    actions.set_preferences(cast["town_editor"], town_x, overdue=Channel.APP)
    set_due(request_in_a, today_local() - datetime.timedelta(days=1))
    before = len(smtp_settings.messages)
    committed(tick, local(9), force_scan=True)
    assert addressees(smtp_settings, before) == ["admin@x.gov.br"]
    assert not Notification.objects.filter(recipient=cast["editor_a"], kind=Kind.OVERDUE)
    in_app = Notification.objects.get(recipient=cast["town_editor"], kind=Kind.OVERDUE)
    assert in_app.email_state == EmailState.NONE
    # the servant's choice is audited
    entry = AuditEntry.objects.filter(action="notifications.preferences").latest("pk")
    assert entry.actor == cast["town_editor"]
    assert entry.changes["overdue"] == ["email", "app"]


def test_smtp_down_never_blocks_and_is_retried(
    cast, committed, settings, town_x, unit_x_a, smtp_settings
):
    data_request, _ = committed(
        dr_actions.submit_request,
        town_x,
        title="Frota",
        description="Veículos.",
        name="Maria",
        email="maria@exemplo.org",
    )
    settings.EMAIL_PORT = free_port()  # nothing listens there: the server is down
    committed(dr_actions.assign_unit, cast["admin"], data_request, unit_x_a)
    # the action went through
    assert DataRequest.objects.get(pk=data_request.pk).status == Status.IN_ANALYSIS
    failed = Notification.objects.filter(kind=Kind.NEW_ITEM, unit=unit_x_a)
    assert {n.recipient.email for n in failed} == {"editor.a@x.gov.br", "editor.todo@x.gov.br"}
    for notice in failed:
        assert notice.email_state == EmailState.PENDING
        assert notice.email_attempts == 1
        assert "ConnectionRefusedError" in notice.email_error
        assert notice.email_next_at is not None
    before = len(smtp_settings.messages)
    # still down, and not yet due: the pass leaves them alone
    assert tick(timezone.now())["retried"] == 0
    assert Notification.objects.get(pk=failed[0].pk).email_attempts == 1
    # the server is back; once the backoff has passed the next pass sends them
    settings.EMAIL_PORT = smtp_settings.port
    assert tick(timezone.now() + datetime.timedelta(minutes=2))["retried"] == 2
    assert addressees(smtp_settings, before) == ["editor.a@x.gov.br", "editor.todo@x.gov.br"]
    for notice in Notification.objects.filter(pk__in=[n.pk for n in failed]):
        assert notice.email_state == EmailState.SENT and notice.email_attempts == 2
        assert notice.emailed_at is not None and notice.email_error == ""


def test_attempts_are_bounded(cast, committed, settings, town_x, request_in_a, smtp_settings):
    settings.PACO_NOTIFY_MAX_ATTEMPTS = 3
    settings.EMAIL_PORT = free_port()
    committed(dr_actions.assign_servant, cast["admin"], request_in_a, cast["editor_a"])
    notice = Notification.objects.get(kind=Kind.ASSIGNED)
    now = timezone.now()
    for _ in range(4):
        now += datetime.timedelta(hours=1)
        tick(now)
    notice.refresh_from_db()
    assert notice.email_state == EmailState.FAILED
    assert notice.email_attempts == 3
    assert notice.email_next_at is None


def test_an_interrupted_send_goes_back_to_the_queue(
    cast, committed, town_x, request_in_a, smtp_settings
):
    committed(dr_actions.assign_servant, cast["admin"], request_in_a, cast["editor_a"])
    notice = Notification.objects.get(kind=Kind.ASSIGNED)
    # as if the process died mid-send
    Notification.objects.filter(pk=notice.pk).update(
        email_state=EmailState.SENDING, email_next_at=timezone.now()
    )
    before = len(smtp_settings.messages)
    done = tick(timezone.now() + datetime.timedelta(minutes=1))
    assert done["released"] == 1 and done["retried"] == 1
    assert addressees(smtp_settings, before) == ["editor.a@x.gov.br"]


def test_command_runs_one_pass(cast, town_x, request_in_a, smtp_settings, capsys):
    set_due(request_in_a, today_local() - datetime.timedelta(days=1))
    call_command("notifications_scan", "--force")
    assert "avisos de prazo: 3" in capsys.readouterr().out
    assert Notification.objects.filter(kind=Kind.OVERDUE).count() == 3


def test_without_email_keeps_notices_in_the_app(cast, committed, request_in_a, smtp_settings):
    before = len(smtp_settings.messages)
    with actions.without_email():
        committed(dr_actions.assign_servant, cast["admin"], request_in_a, cast["editor_a"])
    notice = Notification.objects.get(kind=Kind.ASSIGNED)
    assert notice.email_state == EmailState.NONE
    assert addressees(smtp_settings, before) == []


def test_the_ticker_thread_runs_the_pass_until_stopped(monkeypatch):
    import threading

    from paco.notifications import tasks
    from paco.notifications.ticker import Ticker

    passes = threading.Semaphore(0)
    monkeypatch.setattr(tasks, "tick", lambda: passes.release())
    ticker = Ticker(interval=0.01)
    ticker.start()
    try:
        assert passes.acquire(timeout=10) and passes.acquire(timeout=10)  # it keeps running
    finally:
        ticker.stop(timeout=10)
    assert not ticker.is_alive()
