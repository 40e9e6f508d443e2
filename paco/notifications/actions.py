"""Every write to servants' notices goes through here.

:func:`notify` stores one notice per recipient who wants it (their
:class:`~paco.notifications.models.Preference`), once per event (``dedupe_key``),
and queues the e-mails on commit (:mod:`paco.notifications.tasks`): a send never
runs inside, blocks or rolls back the action that caused it. The modules that
create work call the ``notify_*`` helpers with a
:class:`~paco.workspace.work.WorkItem`.

A servant's choices (:func:`set_preferences`) and the town's default
(:func:`set_town_days`) are audited; marking a notice read is not (it is the
servant's own inbox, like reading an e-mail).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from paco.accounts.models import Role, User
from paco.accounts.permissions import has_role, is_staff_of
from paco.audit.services import diff, record, snapshot
from paco.notifications.models import (
    KIND_FIELDS,
    Channel,
    EmailState,
    Kind,
    Notification,
    Preference,
    TownSettings,
)
from paco.notifications.recipients import QUEUE_ROLES, Coverage
from paco.tenancy.models import Municipality
from paco.workspace.work import WorkItem

PREFERENCE_FIELDS = (*KIND_FIELDS.values(), "digest", "days_before")

_no_email: ContextVar[bool] = ContextVar("paco_notifications_no_email", default=False)


@contextmanager
def without_email() -> Iterator[None]:
    """Notices inside this block stay in the app (the demo's fictional servants)."""
    token = _no_email.set(True)
    try:
        yield
    finally:
        _no_email.reset(token)


def preference_for(user: User, town: Municipality) -> Preference:
    """The servant's choices (an unsaved default row when they never chose)."""
    found = Preference.objects.for_municipality(town).filter(user=user).first()
    return found or Preference(municipality=town, user=user)


def notify(
    town: Municipality,
    kind: Kind | str,
    recipient_ids: Iterable[int],
    *,
    item_key: str,
    title: str,
    url: str,
    unit_id: int | None = None,
    due: datetime.date | None = None,
    event: str = "",
) -> list[Notification]:
    """Tell each recipient (who wants it) about one event; returns the notices created.

    ``event`` tells apart two events of the same kind on the same item (the queue
    it entered, the moment of an assignment, the due date); a notice already
    stored for the same event is not created again.
    """
    kind = Kind(kind)
    ids = sorted(set(recipient_ids))
    if not ids:
        return []
    prefs = {
        p.user_id: p for p in Preference.objects.for_municipality(town).filter(user_id__in=ids)
    }
    users = User.objects.filter(pk__in=ids, is_active=True).only("id", "email")
    dedupe_key = f"{kind}:{item_key}:{event}"[:200]
    created: list[Notification] = []
    for user in users:
        pref = prefs.get(user.pk) or Preference(municipality=town, user=user)
        channel = pref.channel(kind)
        if channel == Channel.OFF:
            continue
        state = EmailState.NONE
        if channel == Channel.EMAIL and user.email and not _no_email.get():
            state = EmailState.DIGEST if pref.digest else EmailState.PENDING
        notice = Notification(
            municipality=town,
            recipient=user,
            kind=kind,
            item_key=item_key[:120],
            dedupe_key=dedupe_key,
            title=title[:300],
            url=url[:300],
            unit_id=unit_id,
            due=due,
            email_state=state,
        )
        try:
            with transaction.atomic():
                notice.save()
        except IntegrityError:  # this event was already told to this servant
            continue
        created.append(notice)
    pending = [n.pk for n in created if n.email_state == EmailState.PENDING]
    if pending:
        from paco.notifications.tasks import deliver

        transaction.on_commit(lambda: deliver.enqueue(pending))
    return created


def notify_new_item(
    town: Municipality, item: WorkItem, *, actor: User | None = None, event: str = ""
) -> list[Notification]:
    """A new item in a unit's queue (``item.unit_id``; ``None``: the town-wide queue):
    every servant who handles that queue is told, except who put it there."""
    coverage = Coverage(town, QUEUE_ROLES.get(item.kind, Role.ADMIN))
    recipients = coverage.servants(item.unit_id) - ({actor.pk} if actor else set())
    return notify(
        town,
        Kind.NEW_ITEM,
        recipients,
        item_key=item.key,
        title=item.title,
        url=item.url,
        unit_id=item.unit_id,
        due=item.due,
        event=event or f"unit-{item.unit_id or 'town'}",
    )


def notify_assigned(
    town: Municipality, item: WorkItem, *, actor: User | None, at: datetime.datetime
) -> list[Notification]:
    """``item`` was assigned to ``item.assignee_id`` (not told when they assigned it to
    themselves)."""
    if item.assignee_id is None or (actor is not None and actor.pk == item.assignee_id):
        return []
    return notify(
        town,
        Kind.ASSIGNED,
        [item.assignee_id],
        item_key=item.key,
        title=item.title,
        url=item.url,
        unit_id=item.unit_id,
        due=item.due,
        event=at.isoformat(),
    )


def mark_read(user: User, town: Municipality, ids: Iterable[int] | None = None) -> int:
    """Mark the servant's own notices read (all unread ones when ``ids`` is None)."""
    notices = Notification.objects.for_municipality(town).for_user(user).unread()
    if ids is not None:
        notices = notices.filter(pk__in=list(ids))
    return notices.update(read_at=timezone.now())


@transaction.atomic
def set_preferences(user: User, town: Municipality, **values: Any) -> Preference:
    """The servant's own choice of what they receive, audited (``notifications.preferences``)."""
    if not is_staff_of(user, town):
        raise PermissionDenied("Só servidores do município escolhem os avisos que recebem.")
    unknown = set(values) - set(PREFERENCE_FIELDS)
    if unknown:
        raise ValidationError(f"Preferência desconhecida: {', '.join(sorted(unknown))}.")
    pref = Preference.objects.for_municipality(town).select_for_update().filter(
        user=user
    ).first() or Preference(municipality=town, user=user)
    before = snapshot(pref, exclude=("last_digest_on",))
    for name, value in values.items():
        setattr(pref, name, value)
    pref.full_clean()
    pref.save()
    record(
        user,
        "notifications.preferences",
        pref,
        changes=diff(before, snapshot(pref, exclude=("last_digest_on",))),
    )
    if not pref.digest:  # what waited for the digest goes out now
        waiting = list(
            Notification.objects.for_municipality(town)
            .for_user(user)
            .filter(email_state=EmailState.DIGEST)
            .values_list("pk", flat=True)
        )
        if waiting:
            from paco.notifications.tasks import deliver

            Notification.objects.filter(pk__in=waiting).update(email_state=EmailState.PENDING)
            transaction.on_commit(lambda: deliver.enqueue(waiting))
    return pref


def town_settings(town: Municipality) -> TownSettings:
    found = TownSettings.objects.for_municipality(town).first()
    return found or TownSettings(municipality=town)


@transaction.atomic
def set_town_days(actor: User | None, town: Municipality, days: int | None) -> TownSettings:
    """The town's default number of days before a deadline (administrator; audited)."""
    if actor is not None and not has_role(actor, town, Role.ADMIN, None):
        raise PermissionDenied("Só o administrador do município muda o padrão de avisos.")
    if days is not None and not 0 <= days <= 60:
        raise ValidationError("Informe de 0 a 60 dias.")
    found = TownSettings.objects.for_municipality(town).select_for_update().first()
    current = found or TownSettings(municipality=town)
    before = snapshot(current, exclude=("last_scan_on",))
    current.days_before = days
    current.save()
    record(
        actor,
        "notifications.town_settings",
        current,
        changes=diff(before, snapshot(current, exclude=("last_scan_on",))),
    )
    return current
