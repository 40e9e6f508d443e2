"""Sending the requesters' e-mails after commit, and retrying the failed ones.

:func:`send_outgoing` (queued on commit by :mod:`paco.atendimento.notify`) claims
one stored message with a conditional UPDATE, sends it through Django's mail
machinery and records the outcome; a failure keeps the message with its error and
a next attempt 1, 2, 4 … minutes later. :func:`retry_due` (run by the periodic pass
of :func:`paco.notifications.tasks.tick`) sends the due ones again, up to
``PACO_NOTIFY_MAX_ATTEMPTS`` attempts.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from paco.atendimento.models import Outgoing

logger = logging.getLogger(__name__)
#: a claimed message not finished after this long goes back to the queue
LEASE = datetime.timedelta(minutes=10)


def _backoff(attempts: int) -> datetime.timedelta:
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), datetime.timedelta(hours=12))


def send_one(pk: int, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    claimed = (
        Outgoing.objects.filter(pk=pk, sent_at__isnull=True)
        .filter(Q(next_at__isnull=True) | Q(next_at__lte=now))
        .filter(attempts__lt=settings.PACO_NOTIFY_MAX_ATTEMPTS)
        .update(next_at=now + LEASE)
    )
    if not claimed:
        return False
    message = Outgoing.objects.get(pk=pk)
    try:
        EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
        ).send()
    except Exception as exc:  # any SMTP or network failure: keep it for a retry
        attempts = message.attempts + 1
        Outgoing.objects.filter(pk=pk).update(
            attempts=attempts,
            next_at=now + _backoff(attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        logger.warning("E-mail do atendimento %s não enviado (tentativa %s).", pk, attempts)
        return False
    Outgoing.objects.filter(pk=pk).update(
        sent_at=timezone.now(), attempts=message.attempts + 1, last_error=""
    )
    return True


@task()
def send_outgoing(pk: int) -> bool:
    return send_one(pk)


def retry_due(now: datetime.datetime | None = None) -> int:
    """Send every unsent message whose next attempt is due; returns how many went out."""
    now = now or timezone.now()
    due = Outgoing.objects.filter(
        sent_at__isnull=True,
        next_at__lte=now,
        attempts__lt=settings.PACO_NOTIFY_MAX_ATTEMPTS,
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(due[:500]) if send_one(pk, now))
