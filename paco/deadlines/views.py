"""Staff pages at ``/gestao/prazos/``: the town's calendar (holidays) and its clock rules.

Only the town administrator uses them (other servants: 403 with the reason; anyone else:
404). Every POST goes through :mod:`paco.deadlines.actions`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from paco.accounts.models import Role, User
from paco.accounts.permissions import has_role, refuse
from paco.deadlines import actions, clock
from paco.deadlines.calendar import WEEKDAYS, Calendar, federal_optional_days
from paco.deadlines.forms import ClockSettingsForm, HolidayForm
from paco.deadlines.models import ClockSettings, Holiday, HolidayKind
from paco.plans.dates import today_local
from paco.tenancy.access import current_municipality
from paco.tenancy.models import Municipality

#: the policies the rules page shows as examples (the same periods as Atendimento's)
EXAMPLES = (
    clock.Policy("esic", "Acesso à informação (LAI, art. 11)", days=20, extension_days=10),
    clock.Policy("ouvidoria", "Ouvidoria (Lei 13.460, art. 16)", days=30, extension_days=30),
)


def _admin(request: HttpRequest) -> tuple[User, Municipality]:
    town = current_municipality(request)
    user = request.user
    if not isinstance(user, User) or not has_role(user, town, Role.ADMIN, None):
        refuse(user, town, Role.ADMIN, None)
    return user, town


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("ano", "")
    if raw.isdigit() and 1990 <= int(raw) <= 2100:
        return int(raw)
    return today_local().year


def _add(request: HttpRequest, user: User, town: Municipality, form: HolidayForm) -> bool:
    if not form.is_valid():
        return False
    try:
        actions.add_holiday(user, town, **form.cleaned_data)
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    messages.success(
        request,
        f"{form.cleaned_data['date']:%d/%m/%Y} incluído no calendário. Os prazos em aberto "
        "afetados foram recalculados.",
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def holidays(request: HttpRequest) -> HttpResponse:
    user, town = _admin(request)
    year = _year(request)
    form = HolidayForm(request.POST if request.POST.get("acao") == "incluir" else None)
    status = 200
    if request.method == "POST":
        target = f"{reverse('deadlines:holidays')}?ano={year}"
        if request.POST.get("acao") == "excluir":
            raw = request.POST.get("feriado", "")
            holiday = get_object_or_404(
                Holiday.objects.for_municipality(town), pk=int(raw) if raw.isdigit() else 0
            )
            actions.remove_holiday(user, holiday)
            messages.success(
                request,
                f"{holiday.date:%d/%m/%Y} ({holiday.name}) excluído do calendário. Os prazos em "
                "aberto afetados foram recalculados.",
            )
            return redirect(target)
        if request.POST.get("acao") == "incluir" and _add(request, user, town, form):
            return redirect(target)
        status = 422
    calendar = Calendar.for_town(town)
    days = calendar.year(year)
    taken = {off.date for off in days}
    suggestions = [
        {"date": day, "name": name, "weekday": WEEKDAYS[day.weekday()]}
        for day, name in federal_optional_days(year)
        if day not in taken and day.weekday() < 5
    ]
    context: dict[str, Any] = {
        "year": year,
        "years": [year - 1, year + 1],
        "days": [{"off": off, "weekday": WEEKDAYS[off.date.weekday()]} for off in days],
        "municipal_count": sum(1 for off in days if off.holiday_id is not None),
        "suggestions": suggestions,
        "form": form,
        "optional_kind": HolidayKind.OPTIONAL,
        "uf": town.uf,
    }
    return render(request, "deadlines/holidays.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def clock_settings(request: HttpRequest) -> HttpResponse:
    user, town = _admin(request)
    current = ClockSettings.for_town(town)
    form = ClockSettingsForm(request.POST or None, instance=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.update_clock_settings(
                    user, town, **{name: form.cleaned_data[name] for name in form.Meta.fields}
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, "Regras de prazo salvas.")
                return redirect("deadlines:settings")
        status = 422
        current = ClockSettings.for_town(town)  # the examples use the stored rules
    calendar = Calendar.for_town(town)
    now = datetime.datetime.now(datetime.UTC)
    received = clock.received_on(town, now, calendar=calendar)
    examples = [
        clock.compute(town, policy, received, calendar=calendar, submitted_at=now)
        for policy in EXAMPLES
    ]
    context: dict[str, Any] = {"form": form, "examples": examples, "current": current}
    return render(request, "deadlines/settings.html", context, status=status)
