"""Sending notices by e-mail, and the periodic pass (retries, daily digest, deadline scan).

django-tasks (0.12) has no periodic scheduling, so :func:`tick` is run every
``PACO_NOTIFY_TICK_SECONDS`` by a small thread beside the task worker
(:mod:`paco.notifications.ticker`, started by ``paco serve`` and ``paco
db_worker``), or by ``paco notifications-scan`` from cron. Every step is
idempotent: running it twice, or from two places, tells nobody twice.

Delivery: :func:`deliver` (a task queued on commit by
:func:`paco.notifications.actions.notify`) claims each pending notice with a
conditional UPDATE, sends it, and records the outcome. A failed send is kept
with its error and a next attempt (1, 2, 4, 8 … minutes later); :func:`tick`
sends it again once due, up to ``PACO_NOTIFY_MAX_ATTEMPTS`` attempts, then marks
it failed. A notice whose sender died mid-send (``sending`` past its lease) goes
back to the queue.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template import loader
from django.utils import timezone
from django_tasks import task

from paco.accounts.models import User
from paco.core.origin import town_root
from paco.notifications.actions import notify, town_settings
from paco.notifications.models import EmailState, Kind, Notification, Preference, TownSettings
from paco.notifications.recipients import servants_of
from paco.plans.dates import PLAN_TIME_ZONE
from paco.tenancy.models import Municipality
from paco.workspace.reach import Reach
from paco.workspace.work import open_items

logger = logging.getLogger(__name__)

#: how long a claimed notice may stay ``sending`` before it is put back in the queue
LEASE = datetime.timedelta(minutes=15)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before the next attempt: 1, 2, 4, 8 … minutes, at most 12 hours."""
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), datetime.timedelta(hours=12))


def local_now(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()).astimezone(PLAN_TIME_ZONE)


# --- one e-mail -------------------------------------------------------------------
def _claim(ids: Iterable[int], state: str, now: datetime.datetime) -> list[Notification]:
    """Take the notices still in ``state`` for this sender (nobody else sends them)."""
    ids = list(ids)
    with transaction.atomic():
        claimable = list(
            Notification.objects.filter(pk__in=ids, email_state=state).values_list("pk", flat=True)
        )
        taken = Notification.objects.filter(pk__in=claimable, email_state=state).update(
            email_state=EmailState.SENDING, email_next_at=now + LEASE
        )
    if not taken:
        return []
    return list(
        Notification.objects.filter(pk__in=claimable, email_state=EmailState.SENDING)
        .select_related("recipient", "municipality")
        .order_by("created_at", "pk")
    )


def _message(recipient: User, town: Municipality, notices: list[Notification]) -> EmailMessage:
    root = town_root(town)
    digest = len(notices) > 1 or notices[0].email_state == EmailState.DIGEST
    context = {
        "town": town,
        "recipient": recipient,
        "notices": [(n, root + n.url) for n in notices],
        "digest": digest,
        "list_url": root + "/gestao/avisos/",
        "preferences_url": root + "/gestao/avisos/preferencias/",
    }
    if digest:
        subject = f"[{town.name}] Resumo do dia: {len(notices)} aviso(s)"
    else:
        notice = notices[0]
        subject = f"[{town.name}] {notice.get_kind_display()}: {notice.title}"
    body = loader.render_to_string("notifications/email/notices.txt", context)
    return EmailMessage(
        subject=" ".join(subject.splitlines())[:250],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


def _send(notices: list[Notification], now: datetime.datetime, *, back_to: str) -> bool:
    """Send ``notices`` (claimed, one recipient) as one message; record the outcome."""
    first = notices[0]
    ids = [n.pk for n in notices]
    if back_to == EmailState.DIGEST:
        for notice in notices:
            notice.email_state = EmailState.DIGEST  # rendered as a digest
    try:
        _message(first.recipient, first.municipality, notices).send()
    except Exception as exc:  # SMTP down, refused, timed out: retried later
        attempts = max(n.email_attempts for n in notices) + 1
        exhausted = attempts >= settings.PACO_NOTIFY_MAX_ATTEMPTS
        Notification.objects.filter(pk__in=ids).update(
            email_state=EmailState.FAILED if exhausted else back_to,
            email_attempts=attempts,
            email_error=f"{type(exc).__name__}: {exc}"[:300],
            email_next_at=None if exhausted else now + backoff(attempts),
        )
        logger.warning(
            "Aviso(s) %s: envio %d falhou (%s)%s",
            ids,
            attempts,
            exc,
            "; tentativas esgotadas" if exhausted else "",
        )
        return False
    Notification.objects.filter(pk__in=ids).update(
        email_state=EmailState.SENT,
        email_attempts=max(n.email_attempts for n in notices) + 1,
        email_error="",
        email_next_at=None,
        emailed_at=timezone.now(),
    )
    return True


def send_pending(ids: Iterable[int] | None = None, now: datetime.datetime | None = None) -> int:
    """Send every pending notice that is due (or only ``ids``); returns how many went out."""
    now = now or timezone.now()
    due = Notification.objects.filter(email_state=EmailState.PENDING).filter(
        Q(email_next_at__isnull=True) | Q(email_next_at__lte=now)
    )
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    sent = 0
    for notice in _claim(due.values_list("pk", flat=True)[:500], EmailState.PENDING, now):
        sent += _send([notice], now, back_to=EmailState.PENDING)
    return sent


@task()
def deliver(ids: list[int]) -> int:
    """Send the notices just created (queued on commit); failures stay queued for retry."""
    return send_pending(ids)


# --- the daily digest ---------------------------------------------------------------
def send_digests(now: datetime.datetime | None = None) -> int:
    """One e-mail per servant in digest mode, once a day from ``PACO_NOTIFY_DIGEST_HOUR``."""
    now = now or timezone.now()
    local = local_now(now)
    if local.hour < settings.PACO_NOTIFY_DIGEST_HOUR:
        return 0
    today = local.date()
    sent = 0
    prefs = Preference.objects.filter(digest=True).filter(
        Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today)
    )
    for pref in prefs:
        waiting = Notification.objects.filter(
            municipality_id=pref.municipality_id,
            recipient_id=pref.user_id,
            email_state=EmailState.DIGEST,
        )
        if waiting.filter(email_next_at__gt=now).exists():
            continue  # the last attempt failed: wait for the backoff
        notices = _claim(waiting.values_list("pk", flat=True), EmailState.DIGEST, now)
        if notices and not _send(notices, now, back_to=EmailState.DIGEST):
            continue
        sent += bool(notices)
        Preference.objects.filter(pk=pref.pk).update(last_digest_on=today)
    return sent


# --- the deadline scan ----------------------------------------------------------------
def days_before(pref: Preference | None, town_days: int | None) -> int:
    if pref is not None and pref.days_before is not None:
        return pref.days_before
    if town_days is not None:
        return town_days
    return int(settings.PACO_NOTIFY_DAYS_BEFORE)


def scan_town(town: Municipality, today: datetime.date) -> int:
    """Tell each servant of ``town`` about their items due within their days or past due.

    The items are the servant's own open items (:func:`paco.workspace.work.open_items`);
    an item assigned to someone is told to its assignee only. Idempotent: one notice
    per (servant, item, kind, due date).
    """
    town_days = town_settings(town).days_before
    prefs = {p.user_id: p for p in Preference.objects.for_municipality(town)}
    told = 0
    for servant in servants_of(town):
        horizon = days_before(prefs.get(servant.pk), town_days)
        for item in open_items(Reach(servant, town), today):
            if item.due is None:
                continue
            if item.assignee_id is not None and item.assignee_id != servant.pk:
                continue
            left = (item.due - today).days
            if left < 0:
                kind = Kind.OVERDUE
            elif left <= horizon:
                kind = Kind.DUE_SOON
            else:
                continue
            told += len(
                notify(
                    town,
                    kind,
                    [servant.pk],
                    item_key=item.key,
                    title=item.title,
                    url=item.url,
                    unit_id=item.unit_id,
                    due=item.due,
                    event=item.due.isoformat(),
                )
            )
    return told


def scan_deadlines(now: datetime.datetime | None = None, *, force: bool = False) -> int:
    """Run :func:`scan_town` once a day per town (from the digest hour, so the notices
    reach that day's digest); ``force`` runs it again today."""
    local = local_now(now)
    if not force and local.hour < settings.PACO_NOTIFY_DIGEST_HOUR:
        return 0
    today = local.date()
    told = 0
    for town in Municipality.objects.all():
        current = town_settings(town)
        if not force and current.last_scan_on == today:
            continue
        told += scan_town(town, today)
        if current.pk is None:
            current.last_scan_on = today
            current.save()
        else:
            TownSettings.objects.filter(pk=current.pk).update(last_scan_on=today)
    return told


# --- the periodic pass ----------------------------------------------------------------
def release_stale(now: datetime.datetime) -> int:
    """Notices left ``sending`` by a process that died go back to the queue."""
    stale = Notification.objects.filter(email_state=EmailState.SENDING, email_next_at__lte=now)
    by_state: dict[str, list[int]] = defaultdict(list)
    for pk, recipient_id, town_id in stale.values_list("pk", "recipient_id", "municipality_id"):
        digest = Preference.objects.filter(
            user_id=recipient_id, municipality_id=town_id, digest=True
        ).exists()
        by_state[EmailState.DIGEST if digest else EmailState.PENDING].append(pk)
    for state, ids in by_state.items():
        Notification.objects.filter(pk__in=ids).update(email_state=state, email_next_at=now)
    return sum(len(ids) for ids in by_state.values())


def tick(now: datetime.datetime | None = None, *, force_scan: bool = False) -> dict[str, int]:
    """One periodic pass: put back stale sends, retry due ones, scan deadlines, send digests."""
    now = now or timezone.now()
    released = release_stale(now)
    retried = send_pending(now=now)
    scanned = scan_deadlines(now, force=force_scan)
    digests = send_digests(now)
    from paco.atendimento.tasks import retry_due  # the requesters' e-mails (Atendimento)

    citizen_mail = retry_due(now)
    return {
        "released": released,
        "retried": retried,
        "scanned": scanned,
        "digests": digests,
        "citizen_mail": citizen_mail,
    }
