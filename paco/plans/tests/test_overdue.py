"""Overdue stages, computed for an injected "today"."""

from __future__ import annotations

import datetime

import pytest

from paco.plans.dates import today_local
from paco.plans.models import Stage, Status

D = datetime.date
TODAY = D(2026, 11, 30)


@pytest.fixture
def stages(town_x, make_plan):
    plan = make_plan(town_x, 0)

    def add(number, status, deadline):
        return Stage.objects.create(
            municipality=town_x,
            plan=plan,
            number=number,
            description=f"e{number}",
            status=status,
            deadline=deadline,
        )

    return {
        "open_late": add(1, Status.IN_PROGRESS, D(2025, 6, 30)),
        "not_started_late": add(2, Status.NOT_STARTED, D(2026, 11, 29)),
        "due_today": add(3, Status.IN_PROGRESS, TODAY),
        "future": add(4, Status.NOT_STARTED, D(2027, 1, 1)),
        "done_late": add(5, Status.DONE, D(2024, 1, 1)),
        "suspended_late": add(6, Status.SUSPENDED, D(2024, 1, 1)),
        "no_deadline": add(7, Status.IN_PROGRESS, None),
    }


def test_days_overdue(stages):
    got = {key: stage.days_overdue(TODAY) for key, stage in stages.items()}
    assert got == {
        "open_late": (TODAY - D(2025, 6, 30)).days,
        "not_started_late": 1,
        "due_today": 0,
        "future": 0,
        "done_late": 0,
        "suspended_late": 0,
        "no_deadline": 0,
    }
    assert got["open_late"] == 518
    assert stages["open_late"].is_overdue(TODAY)
    assert not stages["suspended_late"].is_overdue(TODAY)


def test_queryset_overdue_and_summary_agree(stages, town_x):
    qs = Stage.objects.for_municipality(town_x)
    overdue = set(qs.overdue(TODAY).values_list("number", flat=True))
    assert overdue == {1, 2}
    assert overdue == {s.number for s in stages.values() if s.is_overdue(TODAY)}
    assert qs.summary(TODAY) == {
        "total": 7,
        "concluida": 1,
        "em_andamento": 3,
        "nao_iniciada": 2,
        "suspensa": 1,
        "atrasadas": 2,
    }
    # a day later the stage due today is late too
    assert set(qs.overdue(TODAY + datetime.timedelta(days=1)).values_list("number", flat=True)) == {
        1,
        2,
        3,
    }


def test_overdue_is_scoped_by_municipality(stages, town_y):
    assert not Stage.objects.for_municipality(town_y).overdue(TODAY).exists()


def test_today_is_sao_paulo_date(monkeypatch):
    # 01:30 UTC on Dec 1st is still Nov 30th in São Paulo (UTC-3)
    class Frozen(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.datetime(2026, 12, 1, 1, 30, tzinfo=datetime.UTC).astimezone(tz)

    monkeypatch.setattr("paco.plans.dates.datetime.datetime", Frozen)
    assert today_local() == D(2026, 11, 30)


@pytest.mark.parametrize(
    ("status", "completed_on", "text"),
    [
        ("concluida", datetime.date(2026, 3, 2), "Concluída com 1 dia de atraso"),
        ("concluida", datetime.date(2026, 3, 11), "Concluída com 10 dias de atraso"),
        ("concluida", datetime.date(2026, 3, 1), "Concluída"),
        ("concluida", None, "Concluída"),
        ("em_andamento", None, "Em andamento"),
    ],
)
def test_status_text_says_a_stage_was_finished_late(status, completed_on, text):
    stage = Stage(deadline=datetime.date(2026, 3, 1), status=status, completed_on=completed_on)
    assert stage.status_text == text
