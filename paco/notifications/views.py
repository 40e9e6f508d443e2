"""Staff pages at ``/gestao/avisos/``: my notices, my choices, and who is told (administrator).

Only servants of the current town reach them (anyone else: 404); the overview of
who is told is for the town administrator (other servants: 403 with the reason).
Every POST goes through :mod:`paco.notifications.actions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from paco.accounts.models import Role, User
from paco.accounts.permissions import has_role, is_staff_of
from paco.notifications import actions
from paco.notifications.forms import PreferenceForm, TownDaysForm
from paco.notifications.models import Channel, Kind, Notification, Preference
from paco.notifications.recipients import QUEUE_LABELS, Coverage, servants_of
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality, Unit

PAGE_SIZE = 50


def _servant(request: HttpRequest) -> tuple[User, Municipality]:
    town = current_municipality(request)
    user = request.user
    if not isinstance(user, User) or not is_staff_of(user, town):
        raise Http404("Página não encontrada.")
    return user, town


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    user, town = _servant(request)
    notices = Notification.objects.for_municipality(town).for_user(user)
    if request.method == "POST":
        if request.POST.get("acao") == "todos":
            done = actions.mark_read(user, town)
        else:
            try:
                ids = [int(request.POST.get("aviso", ""))]
            except ValueError:
                raise Http404("Aviso não encontrado.") from None
            done = actions.mark_read(user, town, ids)
        messages.success(
            request,
            f"{done} aviso{'s' if done != 1 else ''} marcado{'s' if done != 1 else ''} "
            "como lido" + ("s." if done != 1 else "."),
        )
        return redirect("notifications:list")
    view = request.GET.get("ver", "")
    shown = notices.unread() if view == "nao-lidos" else notices
    page = Paginator(
        shown.only("id", "kind", "title", "url", "due", "created_at", "read_at", "email_state"),
        PAGE_SIZE,
    ).get_page(request.GET.get("pagina"))
    context = {
        "page": page,
        "view": view,
        "unread": notices.unread().count(),
        "is_admin": has_role(user, town, Role.ADMIN, None),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user, town = _servant(request)
    pref = actions.preference_for(user, town)
    town_days = actions.town_settings(town).days_before
    if town_days is None:
        town_days = settings.PACO_NOTIFY_DAYS_BEFORE
    form = PreferenceForm(request.POST or None, instance=pref, town_days=town_days)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            actions.set_preferences(
                user, town, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
            messages.success(request, "Preferências de avisos salvas.")
            return redirect("notifications:preferences")
        status = 422
    context = {
        "form": form,
        "has_email": bool(user.email),
        "is_admin": has_role(user, town, Role.ADMIN, None),
    }
    return render(request, "notifications/preferences.html", context, status=status)


@dataclass
class Row:
    unit: Unit | None
    queue: str
    #: per kind: (kind label, [(servant, channel label)])
    cells: list[tuple[str, list[tuple[User, str]]]] = field(default_factory=list)

    @property
    def uncovered(self) -> list[str]:
        return [label for label, told in self.cells if not told]


def _channel_label(pref: Preference, kind: str) -> str:
    channel = pref.channel(kind)
    if channel == Channel.APP:
        return "só no Paço"
    return "resumo diário" if pref.digest else "e-mail"


def overview_rows(town: Municipality) -> list[Row]:
    """For each unit (and the town-wide queue) and each queue, who is told of what."""
    units: list[Unit | None] = [None, *Unit.objects.for_municipality(town).order_by("name")]
    servants = {s.pk: s for s in servants_of(town)}
    prefs = {p.user_id: p for p in Preference.objects.for_municipality(town)}
    rows = []
    for role, queue in QUEUE_LABELS.items():
        coverage = Coverage(town, role)
        for unit in units:
            row = Row(unit, queue)
            handlers = sorted(
                (
                    servants[pk]
                    for pk in coverage.servants(unit.pk if unit else None)
                    if pk in servants
                ),
                key=lambda s: (str(s).lower(), s.pk),
            )
            for kind in Kind:
                told = []
                for servant in handlers:
                    pref = prefs.get(servant.pk) or Preference(municipality=town, user=servant)
                    if pref.channel(kind) != Channel.OFF:
                        told.append((servant, _channel_label(pref, kind)))
                row.cells.append((kind.label, told))
            rows.append(row)
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def overview(request: HttpRequest) -> HttpResponse:
    user, town = _servant(request)
    if not has_role(user, town, Role.ADMIN, None):
        raise PermissionDenied(
            "Só o administrador do município vê quem recebe os avisos de cada unidade."
        )
    current = actions.town_settings(town)
    form = TownDaysForm(request.POST or None, initial={"days_before": current.days_before})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            actions.set_town_days(user, town, form.cleaned_data["days_before"])
            messages.success(request, "Padrão de avisos do município salvo.")
            return redirect("notifications:overview")
        status = 422
    rows = overview_rows(town)
    context: dict[str, Any] = {
        "rows": rows,
        "kinds": [kind.label for kind in Kind],
        "uncovered": [row for row in rows if row.uncovered],
        "form": form,
        "default_days": settings.PACO_NOTIFY_DAYS_BEFORE,
    }
    return render(request, "notifications/overview.html", context, status=status)
