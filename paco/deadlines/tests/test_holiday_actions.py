"""Adding and removing the town's holidays, and changing its rules: administrator, audited,
and ``calendar_changed`` sent on commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from paco.audit.labels import describe
from paco.audit.models import AuditEntry
from paco.deadlines import actions
from paco.deadlines.models import ClockSettings, CountingRule, Holiday, HolidayKind
from paco.deadlines.signals import calendar_changed
from paco.deadlines.tests.conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent() -> Any:
    calls: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        calls.append(kwargs)

    calendar_changed.connect(listen, dispatch_uid="test-listen")
    yield calls
    calendar_changed.disconnect(dispatch_uid="test-listen")


def test_add_and_remove_are_audited_and_signal_on_commit(
    town_x, admin_x, sent, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        holiday = actions.add_holiday(
            admin_x,
            town_x,
            date=D(2025, 8, 21),
            name="  Aniversário   do município ",
            kind=HolidayKind.MUNICIPAL,
        )
    assert holiday.name == "Aniversário do município"
    assert sent == [
        {
            "signal": calendar_changed,
            "town": town_x,
            "dates": (D(2025, 8, 21),),
            "reason": "feriado municipal «Aniversário do município» incluído",
            "actor": admin_x,
        }
    ]
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_holiday(admin_x, holiday)
    assert not Holiday.objects.exists()
    assert sent[-1]["reason"] == "feriado municipal «Aniversário do município» excluído"
    entries = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert entries[-2:] == ["deadlines.holiday_add", "deadlines.holiday_remove"]
    last = AuditEntry.objects.order_by("seq").last()
    assert last is not None and "21/08/2025 Aniversário do município" in describe(last)


def test_only_the_town_administrator_edits_the_calendar(
    town_x, admin_y, plain_staff_x, data_editor_x
) -> None:
    for user in (plain_staff_x, data_editor_x, admin_y):
        with pytest.raises(PermissionDenied):
            actions.add_holiday(user, town_x, date=D(2025, 8, 21), name="Aniversário")
    holiday = Holiday.objects.create(municipality=town_x, date=D(2025, 8, 21), name="A")
    with pytest.raises(PermissionDenied):
        actions.remove_holiday(admin_y, holiday)
    with pytest.raises(PermissionDenied):
        actions.update_clock_settings(plain_staff_x, town_x, cutoff_hour=17)


def test_a_day_already_off_is_refused_with_its_name(town_x, admin_x) -> None:
    with pytest.raises(ValidationError, match="já é feriado nacional: Tiradentes"):
        actions.add_holiday(admin_x, town_x, date=D(2025, 4, 21), name="Outro")
    actions.add_holiday(admin_x, town_x, date=D(2025, 8, 21), name="Aniversário")
    with pytest.raises(ValidationError, match="já é feriado municipal"):
        actions.add_holiday(admin_x, town_x, date=D(2025, 8, 21), name="De novo")
    with pytest.raises(ValidationError):
        actions.add_holiday(admin_x, town_x, date=D(2025, 8, 22), name="   ")


def test_rules_are_audited_and_only_counting_changes_move_deadlines(
    town_x, admin_x, sent, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_clock_settings(admin_x, town_x, cutoff_hour=17)
    assert sent == []  # the cut-off only matters for new submissions
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_clock_settings(admin_x, town_x, counting_rule=CountingRule.BUSINESS_ENDS)
    assert [call["dates"] for call in sent] == [None]
    settings = ClockSettings.for_town(town_x)
    assert (settings.cutoff_hour, settings.counting_rule) == (17, CountingRule.BUSINESS_ENDS)
    entry = AuditEntry.objects.filter(action="deadlines.settings").order_by("seq").last()
    assert entry is not None and entry.changes == {
        "counting_rule": [CountingRule.CALENDAR, CountingRule.BUSINESS_ENDS]
    }
    with pytest.raises(ValidationError):
        actions.update_clock_settings(admin_x, town_x, cutoff_hour=30)
