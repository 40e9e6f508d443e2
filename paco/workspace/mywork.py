"""``/gestao/``: the servant's first screen, "Minha mesa".

Counters per kind (late, due in 7 days, total), then every open item by deadline
(late first) from :func:`paco.workspace.work.open_items`, then the tools: the work
areas and the configuration pages of the admin the servant may use. The number of
queries does not grow with the number of items (pinned by the workspace tests).

A new module (Atendimento, Processos) appears here by adding its source to
:data:`paco.workspace.work.SOURCES` and its kind to :data:`KINDS`: it gets a
counter card linking to its own inbox, and its items join the list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from paco.accounts.models import Role
from paco.plans.dates import today_local
from paco.workspace.reach import Reach, reach_for
from paco.workspace.shell import areas
from paco.workspace.work import WorkItem, open_items

#: days ahead that count as "vence em breve"
SOON_DAYS = 7
#: the list shows this many items; the counters count them all
LIST_LIMIT = 100


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    #: the role that handles this kind (its counter shows even at zero for that role)
    role: str
    #: the url name of the kind's own list (its inbox)
    inbox: str


#: the kinds of work, in the order of the counters
KINDS = (
    Kind("case", "Atendimentos", Role.ATTENDANT, "atendimento:inbox"),
    Kind(
        "data_request", "Pedidos de abertura de dados", Role.DATA_EDITOR, "datarequests:staff_list"
    ),
    Kind("version_review", "Versões de dados a revisar", Role.DATA_EDITOR, "pipeline:home"),
    Kind("dataset_update", "Conjuntos com atualização atrasada", Role.DATA_EDITOR, "pipeline:home"),
    Kind("plan_stage", "Etapas do cronograma", Role.PLAN_EDITOR, "plans:main"),
)


@dataclass
class Counter:
    kind: Kind
    url: str
    late: int = 0
    soon: int = 0
    total: int = 0


@dataclass
class Row:
    item: WorkItem
    days_left: int | None
    #: "atrasado", "breve" or "" (the CSS class of the deadline)
    urgency: str
    deadline_text: str


@dataclass
class MyWork:
    today: datetime.date
    counters: list[Counter]
    rows: list[Row]
    total: int
    late: int
    #: filter links: (label, query string, current)
    filters: list[tuple[str, str, bool]] = field(default_factory=list)


def deadline_text(days_left: int | None) -> str:
    """ "atrasado há 5 dias", "vence hoje", "vence em 3 dias", "sem prazo"."""
    if days_left is None:
        return "sem prazo"
    if days_left < 0:
        late = -days_left
        return f"atrasado há {late} dia" + ("s" if late > 1 else "")
    if days_left == 0:
        return "vence hoje"
    if days_left == 1:
        return "vence amanhã"
    return f"vence em {days_left} dias"


def _row(item: WorkItem, today: datetime.date) -> Row:
    left = item.days_left(today)
    urgency = (
        "" if left is None else "atrasado" if left < 0 else "breve" if left <= SOON_DAYS else ""
    )
    return Row(item, left, urgency, deadline_text(left))


def _own_units(reach: Reach) -> list[tuple[int, str]]:
    """The units the servant's memberships name (for the "minha unidade" filter)."""
    ids = sorted({unit for _, unit in reach._memberships() if unit is not None})
    return [(pk, reach.unit_name(pk)) for pk in ids]


def my_work(reach: Reach, today: datetime.date, unit: str = "") -> MyWork:
    items = open_items(reach, today)
    own = _own_units(reach)
    filters = [("Todas as unidades", "", not unit)]
    chosen: int | None = None
    if unit.isdigit() and int(unit) in dict(own):
        chosen = int(unit)
    for pk, name in own:
        filters.append((f"Só {name}", f"?unidade={pk}", chosen == pk))
    if chosen is not None:
        items = [i for i in items if i.unit_id == chosen]
    counters = {
        k.code: Counter(k, reverse(k.inbox))
        for k in KINDS
        if reach.has(k.role) or any(i.kind == k.code for i in items)
    }
    for item in items:
        counter = counters.get(item.kind)
        if counter is None:  # a source without a declared kind still counts
            fallback = Kind(item.kind, item.kind_label, "", "admin:index")
            counter = counters[item.kind] = Counter(fallback, reverse("admin:index"))
        counter.total += 1
        left = item.days_left(today)
        if left is not None and left < 0:
            counter.late += 1
        elif left is not None and left <= SOON_DAYS:
            counter.soon += 1
    rows = [_row(item, today) for item in items[:LIST_LIMIT]]
    return MyWork(
        today=today,
        counters=list(counters.values()),
        rows=rows,
        total=len(items),
        late=sum(c.late for c in counters.values()),
        filters=filters if own else [],
    )


def context(request: HttpRequest, app_list: list[dict[str, Any]]) -> dict[str, Any]:
    """What ``workspace/home.html`` shows (``app_list``: the admin's, already filtered)."""
    reach = reach_for(request)
    work = my_work(reach, today_local(), request.GET.get("unidade", ""))
    tools = [a for a in areas(reach) if a.description and not a.prefix.endswith("#")]
    return {"work": work, "tools": tools, "config_apps": app_list}
