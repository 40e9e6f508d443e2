"""Outgoing e-mail: always sent by a background task, after the transaction commits.

Call :func:`send_mail_on_commit` from an action or a view. The message is handed
to Django's tasks API (``TASKS`` setting) only once the surrounding transaction
commits, so a rolled-back change never sends mail, and the request never waits
for the SMTP server when a real queue (``django_tasks_db``) runs the task.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


@task()
def send_mail_task(
    subject: str,
    body: str,
    recipients: list[str],
    from_email: str | None = None,
    html_body: str | None = None,
) -> int:
    """Send one message; returns the number of messages delivered (0 or 1)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


def send_mail_on_commit(
    subject: str,
    body: str,
    recipients: Sequence[str],
    *,
    from_email: str | None = None,
    html_body: str | None = None,
) -> None:
    """Queue a message to be sent once the current transaction commits."""
    # Subjects must fit on one header line.
    subject = " ".join(subject.splitlines()).strip()
    to = list(recipients)

    def enqueue() -> None:
        send_mail_task.enqueue(subject, body, to, from_email, html_body)

    transaction.on_commit(enqueue)
