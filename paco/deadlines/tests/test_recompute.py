"""A holiday added while a case is open moves its deadline, and the timeline says so."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paco.atendimento.actions import Requester, open_case
from paco.atendimento.deadline import deadline_of
from paco.atendimento.models import Case, CasePause, Status
from paco.audit.models import AuditEntry
from paco.deadlines import actions
from paco.deadlines.models import CountingRule, HolidayKind

SP = ZoneInfo("America/Sao_Paulo")
D = datetime.date
pytestmark = pytest.mark.django_db


def _ask(town, when: datetime.datetime, kind: str = "esic") -> Case:
    return open_case(
        town,
        kind=kind,
        subject="Contratos",
        description="Quero os contratos.",
        requester=Requester(name="Maria", document="RG 1"),
        submitted_at=when,
    ).case


def _add(
    admin, town, day, name="Aniversário do município", kind=HolidayKind.MUNICIPAL, capture=None
):
    with capture(execute=True):
        return actions.add_holiday(admin, town, date=day, name=name, kind=kind)


def test_adding_a_holiday_moves_open_deadlines_and_tells_the_citizen(
    town_x, admin_x, django_capture_on_commit_callbacks
) -> None:
    # LAI received Fri 01/08/2025: due Thu 21/08
    case = _ask(town_x, datetime.datetime(2025, 8, 1, 10, tzinfo=SP))
    assert case.due_on == D(2025, 8, 21)
    early = _ask(town_x, datetime.datetime(2025, 7, 1, 10, tzinfo=SP))  # due 21/07: untouched
    done = _ask(town_x, datetime.datetime(2025, 8, 1, 11, tzinfo=SP))
    Case.objects.filter(pk=done.pk).update(status=Status.CONCLUDED)
    holiday = _add(admin_x, town_x, D(2025, 8, 21), capture=django_capture_on_commit_callbacks)

    case.refresh_from_db()
    assert case.due_on == D(2025, 8, 22)
    event = case.events.get(code="deadline_moved")
    assert event.public
    assert event.text == (
        "Prazo alterado de 21/08/2025 para 22/08/2025: feriado municipal «Aniversário do "
        "município» incluído"
    )
    assert event.actor == admin_x
    assert "Aniversário do município" in "\n".join(event.data["steps"])
    audit = AuditEntry.objects.get(action="case.deadline_moved")
    assert audit.changes["due_on"] == ["2025-08-21", "2025-08-22"]
    assert audit.object_repr == case.number  # no personal data in the trail
    for other in (early, done):
        assert Case.objects.get(pk=other.pk).due_on == other.due_on
        assert not other.events.filter(code="deadline_moved").exists()

    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_holiday(admin_x, holiday)
    case.refresh_from_db()
    assert case.due_on == D(2025, 8, 21)
    last = case.events.filter(code="deadline_moved").last()
    assert last is not None
    assert last.text.endswith("feriado municipal «Aniversário do município» excluído")


def test_a_holiday_inside_the_count_moves_nothing_under_calendar_days(
    town_x, admin_x, django_capture_on_commit_callbacks
) -> None:
    case = _ask(town_x, datetime.datetime(2025, 8, 1, 10, tzinfo=SP))
    _add(admin_x, town_x, D(2025, 8, 12), capture=django_capture_on_commit_callbacks)
    assert Case.objects.get(pk=case.pk).due_on == D(2025, 8, 21)  # days in between count
    assert not case.events.filter(code="deadline_moved").exists()


def test_recompute_keeps_pauses_and_the_extension(
    town_x, admin_x, django_capture_on_commit_callbacks
) -> None:
    case = _ask(town_x, datetime.datetime(2025, 8, 1, 10, tzinfo=SP))  # due 21/08
    CasePause.objects.create(
        municipality=town_x,
        case=case,
        started_on=D(2025, 8, 5),
        ended_on=D(2025, 8, 8),
        citizen_due_on=D(2025, 8, 25),
        question="Qual contrato?",
    )
    Case.objects.filter(pk=case.pk).update(
        extended_at=datetime.datetime(2025, 8, 20, tzinfo=SP), due_on=D(2025, 9, 3)
    )
    # 20 + 3 paused = Sun 24/08 legal day; +10 = Wed 03/09, which the town now closes
    _add(admin_x, town_x, D(2025, 9, 3), capture=django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.due_on == D(2025, 9, 4)
    recomputed = deadline_of(case)
    assert recomputed is not None and recomputed.due_on == D(2025, 9, 4)


def test_changing_the_counting_rule_recomputes_open_deadlines(
    town_x, admin_x, django_capture_on_commit_callbacks
) -> None:
    case = _ask(town_x, datetime.datetime(2025, 5, 30, 15, tzinfo=SP), kind="ouvidoria")
    assert case.due_on == D(2025, 6, 30)
    with django_capture_on_commit_callbacks(execute=True):
        actions.update_clock_settings(admin_x, town_x, counting_rule=CountingRule.BUSINESS_ENDS)
    case.refresh_from_db()
    assert case.due_on == D(2025, 7, 1)
    assert case.events.get(code="deadline_moved").text.endswith(
        "regras de contagem de prazo do município alteradas"
    )


def test_recompute_queries_do_not_grow_with_unaffected_cases(
    town_x, admin_x, django_capture_on_commit_callbacks
) -> None:
    def measure(day: datetime.date) -> int:
        with CaptureQueriesContext(connection) as queries:
            _add(
                admin_x, town_x, day, name=f"Dia {day}", capture=django_capture_on_commit_callbacks
            )
        return len(queries)

    for hour in range(8, 12):
        _ask(town_x, datetime.datetime(2025, 8, 1, hour, tzinfo=SP))  # due 21/08
    few = measure(D(2025, 8, 12))  # inside the count: none moves
    for hour in range(12, 18):
        _ask(town_x, datetime.datetime(2025, 8, 1, hour, tzinfo=SP))
    many = measure(D(2025, 8, 13))
    assert many == few
    moved = measure(D(2025, 8, 21))  # ten cases move: per case only its audit entry
    per_case = (moved - few) / 10
    assert per_case <= 6
