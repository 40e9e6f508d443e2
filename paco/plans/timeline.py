"""Geometry of the Gantt-style timeline, drawn by the template as inline SVG (no JS)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from paco.plans.dates import duration_start
from paco.plans.models import Stage

WIDTH = 960
LABEL_WIDTH = 70
RIGHT_PAD = 240
ROW_HEIGHT = 26
TOP = 34
BAR_HEIGHT = 16
MIN_BAR = 4.0
DEFAULT_DAYS = 30

# The phone layout: a narrow chart where each stage's words sit above its bar, so text is
# never squeezed beside it. Drawn at 300 units wide and shown at 288 px or more (a 320 px
# screen), 13-unit text never renders below 12 px.
PHONE_WIDTH = 300
PHONE_PAD = 6
PHONE_TOP = 40
PHONE_LINE = 17
PHONE_BAR = 12
PHONE_GAP = 14
PHONE_MIN_SLOT = 36  # horizontal room a year label needs (“2025” at 13 units)


@dataclass
class Bar:
    stage: Stage
    y: int
    x: float
    width: float
    late_width: float
    label_x: float
    start: datetime.date
    end: datetime.date
    overdue_days: int

    @property
    def late_x(self) -> float:
        return round(self.x + self.width, 1)

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class PhoneBar:
    """One stage in the phone layout: its text lines, then its bar."""

    stage: Stage
    lines: list[int]  # baselines of the text lines (number and deadline, status, lateness)
    y: int  # top of the bar
    x: float
    width: float
    late_width: float
    end: datetime.date
    overdue_days: int

    @property
    def late_x(self) -> float:
        return round(self.x + self.width, 1)


@dataclass
class PhoneChart:
    bars: list[PhoneBar]
    ticks: list[Tick]
    width: int
    height: int
    today_x: float | None
    today_anchor: str  # "start" or "end": the “hoje” label stays inside the chart

    @property
    def axis_bottom(self) -> int:
        return self.height - 4


@dataclass
class Timeline:
    bars: list[Bar]
    ticks: list[Tick]
    width: int
    height: int
    today_x: float | None
    today: datetime.date
    first: datetime.date
    last: datetime.date
    phone: PhoneChart | None = None

    @property
    def axis_bottom(self) -> int:
        return self.height - 6


def bar_start(stage: Stage, previous_deadline: datetime.date | None) -> datetime.date | None:
    """Start if given; else implied by the written duration; else the previous deadline."""
    if stage.start is not None:
        return stage.start
    if stage.deadline is None:
        return None
    implied = duration_start(stage.duration, stage.deadline)
    if implied is not None:
        return implied
    if previous_deadline is not None and previous_deadline < stage.deadline:
        return previous_deadline
    return stage.deadline - datetime.timedelta(days=DEFAULT_DAYS)


def build(stages: Sequence[Stage], today: datetime.date) -> Timeline | None:
    spans: list[tuple[Stage, datetime.date, datetime.date]] = []
    previous: datetime.date | None = None
    for stage in stages:
        start = bar_start(stage, previous)
        if stage.deadline is not None and start is not None:
            spans.append((stage, min(start, stage.deadline), stage.deadline))
            previous = stage.deadline
    if not spans:
        return None
    first = min(s for _, s, _ in spans)
    last = max(max(e for _, _, e in spans), today)
    first = datetime.date(first.year, 1, 1)
    last = datetime.date(last.year, 12, 31)
    plot = WIDTH - LABEL_WIDTH - RIGHT_PAD
    scale = plot / max((last - first).days, 1)

    def x_of(day: datetime.date) -> float:
        return round(LABEL_WIDTH + (day - first).days * scale, 1)

    bars = []
    for row, (stage, start, end) in enumerate(spans):
        x = x_of(start)
        width = max(round(x_of(end) - x, 1), MIN_BAR)
        days = stage.days_overdue(today)
        late = round(x_of(today) - x_of(end), 1) if days else 0.0
        bars.append(
            Bar(
                stage=stage,
                y=TOP + row * ROW_HEIGHT,
                x=x,
                width=width,
                late_width=late,
                label_x=round(x + width + late + 6, 1),
                start=start,
                end=end,
                overdue_days=days,
            )
        )
    ticks = [
        Tick(x=x_of(datetime.date(year, 1, 1)), label=str(year))
        for year in range(first.year, last.year + 1)
    ]
    height = TOP + len(bars) * ROW_HEIGHT + 12
    today_x = x_of(today) if first <= today <= last else None
    chart = Timeline(bars, ticks, WIDTH, height, today_x, today, first, last)
    chart.phone = build_phone(chart)
    return chart


def build_phone(chart: Timeline) -> PhoneChart:
    """The same bars, rescaled to a narrow chart with each stage's text above its bar."""
    plot = PHONE_WIDTH - 2 * PHONE_PAD
    scale = plot / max((chart.last - chart.first).days, 1)

    def x_of(day: datetime.date) -> float:
        return round(PHONE_PAD + (day - chart.first).days * scale, 1)

    bars = []
    y = PHONE_TOP
    for bar in chart.bars:
        count = 3 if bar.overdue_days else 2
        lines = [y + PHONE_LINE * (i + 1) - 4 for i in range(count)]
        top = y + PHONE_LINE * count + 2
        x = x_of(bar.start)
        width = max(round(x_of(bar.end) - x, 1), MIN_BAR)
        late = round(x_of(chart.today) - x_of(bar.end), 1) if bar.overdue_days else 0.0
        bars.append(PhoneBar(bar.stage, lines, top, x, width, late, bar.end, bar.overdue_days))
        y = top + PHONE_BAR + PHONE_GAP
    years = list(range(chart.first.year, chart.last.year + 1))
    step = max(1, -(-PHONE_MIN_SLOT * len(years) // plot))  # ceil: labels never overlap
    ticks = [Tick(x=x_of(datetime.date(year, 1, 1)), label=str(year)) for year in years]
    ticks = [t if i % step == 0 else Tick(t.x, "") for i, t in enumerate(ticks)]
    today_x = x_of(chart.today) if chart.today_x is not None else None
    anchor = "end" if today_x is not None and today_x > PHONE_WIDTH / 2 else "start"
    return PhoneChart(bars, ticks, PHONE_WIDTH, y, today_x, anchor)
