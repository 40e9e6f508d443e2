"""A servant's work: every open item of every module, in one shape.

Each app that gives servants something to do has a ``work.py`` with an
``open_items(reach, today)`` function returning :class:`WorkItem` objects for the
units the servant reaches (:class:`paco.workspace.reach.Reach`), in a bounded
number of queries whatever the data size. The workspace's "my work" list, its
counters and the deadline notifications all read :func:`open_items` here, so a
new module (Atendimento, Processos) appears everywhere by adding its source to
:data:`SOURCES`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import import_module

from paco.workspace.reach import Reach

#: ``module:function`` of every source of work items, in the order of the counters
SOURCES = (
    "paco.atendimento.work:open_items",
    "paco.datarequests.work:open_items",
    "paco.opendata.work:open_items",
    "paco.plans.work:open_items",
)


@dataclass(frozen=True)
class WorkItem:
    #: the source's code, e.g. ``"data_request"``; one counter per kind
    kind: str
    #: the kind in pt-BR, singular ("Pedido de abertura de dados")
    kind_label: str
    #: stable identity across requests, e.g. ``"data_request:42"`` (notifications dedupe on it)
    key: str
    title: str
    #: the task page where the servant acts on it
    url: str
    #: what is awaited, in pt-BR ("Responder ao pedido", "Decidir sobre dados pessoais")
    action_label: str
    unit_id: int | None
    unit_name: str
    #: the deadline, if the item has one
    due: datetime.date | None
    #: when the item entered the queue (new-item notifications, ordering)
    since: datetime.datetime | None = None
    #: the servant the item is assigned to, if any
    assignee_id: int | None = None

    def is_late(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today

    def days_left(self, today: datetime.date) -> int | None:
        return None if self.due is None else (self.due - today).days


Source = Callable[[Reach, datetime.date], Iterable[WorkItem]]


def _source(dotted: str) -> Source:
    module, _, name = dotted.partition(":")
    function: Source = getattr(import_module(module), name)
    return function


def by_deadline(items: Iterable[WorkItem], today: datetime.date) -> list[WorkItem]:
    """Late items first, then by deadline, items without one last (oldest first)."""
    far = datetime.date.max

    def order(item: WorkItem) -> tuple[int, datetime.date, str]:
        since = item.since.isoformat() if item.since else ""
        return (0 if item.is_late(today) else 1, item.due or far, since)

    return sorted(items, key=order)


def open_items(reach: Reach, today: datetime.date) -> list[WorkItem]:
    """Everything open that ``reach`` covers, by deadline (late first)."""
    items: list[WorkItem] = []
    for dotted in SOURCES:
        items.extend(_source(dotted)(reach, today))
    return by_deadline(items, today)
