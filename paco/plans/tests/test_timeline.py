"""Bars of the timeline: where they start and end."""

from __future__ import annotations

import datetime
import itertools

from paco.plans.dates import duration_start, parse_date
from paco.plans.models import Stage, Status
from paco.plans.timeline import bar_start, build

D = datetime.date


def test_duration_start():
    assert duration_start("90 dias", D(2023, 4, 3)) == D(2023, 1, 3)
    assert duration_start("Primeiro Semestre de 2025", D(2025, 6, 30)) == D(2025, 1, 1)
    assert duration_start("2º semestre de 2025", D(2025, 12, 31)) == D(2025, 7, 1)
    assert duration_start("2 meses", D(2025, 3, 1)) == D(2024, 12, 31)
    assert duration_start("quando possível", D(2025, 3, 1)) is None


def test_parse_date_formats():
    assert parse_date("17-06-2024") == parse_date("17/06/2024") == parse_date("2024-06-17")
    assert parse_date("") is None


def test_bar_start_priority():
    stage = Stage(number=1, description="x", duration="", deadline=D(2025, 6, 30))
    assert bar_start(stage, D(2025, 3, 1)) == D(2025, 3, 1)
    assert bar_start(stage, None) == D(2025, 5, 31)
    stage.duration = "10 dias"
    assert bar_start(stage, D(2025, 3, 1)) == D(2025, 6, 20)
    stage.start = D(2025, 2, 2)
    assert bar_start(stage, D(2025, 3, 1)) == D(2025, 2, 2)


def test_build_marks_overdue_bars_and_today():
    today = D(2026, 11, 30)
    stages = [
        Stage(
            number=1,
            description="a",
            duration="30 dias",
            deadline=D(2025, 1, 31),
            status=Status.DONE,
        ),
        Stage(
            number=2,
            description="b",
            duration="",
            deadline=D(2025, 6, 30),
            status=Status.IN_PROGRESS,
        ),
        Stage(number=3, description="sem prazo", duration="", deadline=None),
    ]
    chart = build(stages, today)
    assert chart is not None
    assert [b.stage.number for b in chart.bars] == [1, 2]
    done, late = chart.bars
    assert done.late_width == 0 and done.overdue_days == 0
    assert late.overdue_days == 518 and late.late_width > 0
    assert late.start == D(2025, 1, 31)  # previous stage's deadline
    assert chart.today_x is not None and late.late_x + late.late_width <= chart.today_x + 0.2
    assert [t.label for t in chart.ticks] == ["2025", "2026"]
    assert build([stages[2]], today) is None


def test_phone_layout_puts_each_stage_text_above_its_bar():
    today = D(2026, 11, 30)
    stages = [
        Stage(number=n, description="x", deadline=D(2020 + n, 6, 30), status=Status.IN_PROGRESS)
        for n in range(1, 11)
    ]
    chart = build(stages, today)
    assert chart is not None and chart.phone is not None
    phone = chart.phone
    previous_bottom = 0
    for bar in phone.bars:
        # number and deadline, situation, and how late when it is
        assert len(bar.lines) == (3 if bar.overdue_days else 2)
        assert previous_bottom < bar.lines[0] - 13 and bar.lines[-1] < bar.y
        assert bar.x >= 0 and bar.x + bar.width + bar.late_width <= phone.width
        previous_bottom = bar.y + 12
    assert phone.height >= previous_bottom
    labelled = [t for t in phone.ticks if t.label]
    assert labelled[0].label == "2021" and len(labelled) < len(phone.ticks)  # 10 years: some
    gaps = [b.x - a.x for a, b in itertools.pairwise(labelled)]
    assert min(gaps) >= 36  # year labels never overlap
    assert phone.today_x is not None and phone.today_anchor == "end"
