"""Geometry of the panel's bar charts, drawn by ``panel/_bars.html`` as inline SVG (no JS).

One layout for every screen, phones first: each bar has its words on the two lines above
it (the label, then the value), so text is never squeezed beside a bar nor cut on a phone.
Drawn 300 units wide and shown at most 34rem wide, 13-unit text never renders below
12 px on a 320 px screen (as the ``/cronograma/`` phone timeline). Each chart is
followed in the page by a table holding the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 300
PAD = 6
TOP = 6
LINE = 17
BAR = 12
GAP = 12


@dataclass(frozen=True)
class Bar:
    label: str
    text: str  # the value as read ("143 atendimentos", "4,2")
    text_y: int
    value_y: int
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    ident: str
    title: str
    summary: str
    bars: list[Bar]
    height: int
    width: int = WIDTH


def bar_chart(
    ident: str, title: str, items: Sequence[tuple[str, float, str]], *, summary: str = ""
) -> BarChart | None:
    """``items``: (label, value, value as text). None when there is nothing to draw."""
    if not items or not any(v for _l, v, _t in items):
        return None
    top = max(v for _l, v, _t in items) or 1
    plot = WIDTH - 2 * PAD
    bars = []
    y = TOP
    for label, value, text in items:
        text_y = y + LINE - 4
        value_y = text_y + LINE
        bar_y = y + 2 * LINE
        width = round(plot * value / top, 1) if value else 0.0
        bars.append(Bar(label, text, text_y, value_y, bar_y, max(width, 2.0) if value else 0.0))
        y = bar_y + BAR + GAP
    described = summary or "; ".join(f"{label}: {text}" for label, _v, text in items)
    return BarChart(ident, title, described, bars, y)
