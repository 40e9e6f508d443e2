"""Fixtures of the plans tests: the seed bytes and plans built through the actions."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from paco.plans.importer import ParsedPlan, ParsedStage
from paco.plans.models import Plan, Stage, Status

SEED = Path(__file__).resolve().parents[1] / "data" / "seed_cronograma.txt"


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


def parsed_plan(n: int, *, start: datetime.date = datetime.date(2025, 1, 1)) -> ParsedPlan:
    stages = [
        ParsedStage(
            line=i + 2,
            number=i + 1,
            description=f"Etapa de teste {i + 1}",
            duration="30 dias",
            deadline=start + datetime.timedelta(days=30 * i),
            start=None,
            status=[Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.SUSPENDED][i % 4],
            observation=f"obs {i + 1}",
        )
        for i in range(n)
    ]
    return ParsedPlan(updated_on=datetime.date(2026, 1, 10), stages=stages)


@pytest.fixture
def make_plan():
    from paco.plans.actions import import_plan

    def build(town, n=3, unit=None, **kwargs) -> Plan:
        return import_plan(None, town, parsed_plan(n), unit=unit, **kwargs)

    return build


@pytest.fixture
def fixed_today(monkeypatch):
    """Pin "today" for views and actions; returns a setter."""

    def pin(day: datetime.date) -> datetime.date:
        monkeypatch.setattr("paco.plans.views.today_local", lambda: day)
        monkeypatch.setattr("paco.plans.actions.today_local", lambda: day)
        return day

    return pin


def stages_of(plan: Plan) -> list[Stage]:
    return list(Stage.objects.for_municipality(plan.municipality).filter(plan=plan))
