"""Who is told about a case's events.

- The unit's servants (Atendentes; the ouvidoria for manifestations) get a workspace
  notice when a case enters their queue or is assigned (:mod:`paco.notifications`);
  the notice's title is the number and kind only, never who asked.
- The requester gets an e-mail on every public event of the timeline, by their
  chosen channel; an anonymous manifestation gets none (there is no address).
  Messages are stored (:class:`~paco.atendimento.models.Outgoing`) and sent by a
  task after the commit; a failed send is retried with a growing wait
  (:mod:`paco.atendimento.tasks`) and never blocks the action.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from paco.accounts.models import Role, User
from paco.atendimento.models import Case, CaseEvent, IdentityMode, Kind, Outgoing
from paco.atendimento.work import item_for
from paco.citizens.actions import profile_of
from paco.citizens.models import Channel
from paco.notifications.actions import notify, notify_assigned, notify_new_item
from paco.notifications.models import Kind as NoticeKind
from paco.notifications.recipients import Coverage

_muted: ContextVar[bool] = ContextVar("paco_atendimento_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No e-mail to requesters inside this block (the demo's fictional citizens)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def new_item(case: Case, actor: User | None, *, event: str = "") -> None:
    town = case.municipality
    item = item_for(case)
    notify_new_item(town, item, actor=actor, event=event or f"unit-{case.unit_id or 'town'}")
    if case.kind == Kind.OMBUDSMAN:
        # the ouvidoria follows every manifestation, whatever unit handles it
        ombudsmen = Coverage(town, Role.OMBUDSMAN).servants(case.unit_id)
        ombudsmen -= {actor.pk} if actor else set()
        notify(
            town,
            NoticeKind.NEW_ITEM,
            ombudsmen,
            item_key=item.key,
            title=item.title,
            url=item.url,
            unit_id=item.unit_id,
            due=item.due,
            event=f"ouvidoria-{event or case.unit_id}",
        )


def assigned(case: Case, actor: User | None) -> None:
    notify_assigned(case.municipality, item_for(case), actor=actor, at=timezone.now())


def base_url(case: Case) -> str:
    hosts = case.municipality.host_list()
    return f"https://{hosts[0]}" if hosts else case.municipality.site_url.rstrip("/")


def address_of(case: Case) -> str:
    """Where the requester is told, by their choice; "" for none."""
    if case.identity_mode == IdentityMode.ANONYMOUS:
        return ""
    citizen = case.citizen
    if citizen is not None:
        profile = profile_of(citizen)
        if profile is not None and profile.preferred_channel != Channel.EMAIL:
            return ""  # the citizen chose to be told in the app only
    return case.requester_email or (citizen.email if citizen is not None else "")


def requester(case: Case, event: CaseEvent) -> Outgoing | None:
    """Queue the e-mail about a public ``event`` to the requester (on commit)."""
    if _muted.get() or not event.public:
        return None
    to = address_of(case)
    if not to:
        return None
    context = {
        "case": case,
        "event": event,
        "town": case.municipality,
        "url": base_url(case) + reverse("atendimento:case", args=[case.slug]),
        "lookup_url": base_url(case) + reverse("atendimento:lookup"),
    }
    subject = loader.render_to_string("atendimento/email/event_subject.txt", context)
    body = loader.render_to_string("atendimento/email/event_body.txt", context)
    message = Outgoing.objects.create(
        municipality_id=case.municipality_id,
        case=case,
        event=event,
        to=to,
        subject=" ".join(subject.split())[:200],
        body=body,
    )
    from paco.atendimento.tasks import send_outgoing

    transaction.on_commit(lambda: send_outgoing.enqueue(message.pk))
    return message
