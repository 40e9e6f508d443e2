"""The plan as data: JSON, CSV (UTF-8, formula-safe) and iCalendar (RFC 5545)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Sequence
from typing import Any

from paco.core import csvsafe
from paco.core.sanitize import plain_output
from paco.plans.models import Plan, Stage

COLUMNS = (
    "number",
    "description",
    "duration",
    "start",
    "deadline",
    "status",
    "observation",
    "overdue",
    "days_overdue",
    "completed_on",
    "days_late_at_completion",
)


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def stage_dict(stage: Stage, today: datetime.date) -> dict[str, Any]:
    days = stage.days_overdue(today)
    return {
        "number": stage.number,
        "description": stage.description,
        "duration": stage.duration,
        "start": _iso(stage.start),
        "deadline": _iso(stage.deadline),
        "status": stage.status,
        "observation": stage.observation,
        "overdue": days > 0,
        "days_overdue": days,
        "completed_on": _iso(stage.completed_on),
        "days_late_at_completion": stage.days_late_at_completion,
    }


@plain_output
def as_json(plan: Plan, stages: Sequence[Stage], today: datetime.date) -> dict[str, Any]:
    return {
        "plan": {"title": plan.title, "updated_at": _iso(plan.updated_on)},
        "stages": [stage_dict(s, today) for s in stages],
    }


safe_cell = csvsafe.safe_cell  # kept for importers of the old name


@plain_output
def as_csv(stages: Sequence[Stage], today: datetime.date, *, excel: bool = False) -> str:
    """The timeline as CSV; ``excel``: in the Excel dialect (:mod:`paco.core.csvsafe`)."""
    out = io.StringIO()
    writer = csvsafe.writer(out, excel=excel, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for stage in stages:
        row = stage_dict(stage, today)
        writer.writerow([row[c] for c in COLUMNS])
    return out.getvalue()


# --- iCalendar -----------------------------------------------------------------
def ics_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


@plain_output
def as_ics(plan: Plan, stages: Sequence[Stage], host: str, now: datetime.datetime) -> str:
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    town = plan.municipality.display_name
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Paço//Cronograma//PT-BR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(f'{plan.title} — {town}')}",
    ]
    for stage in stages:
        if stage.deadline is None:
            continue
        end = stage.deadline + datetime.timedelta(days=1)
        summary = f"Prazo final da etapa {stage.number}: {stage.description}"
        description = f"Situação: {stage.get_status_display()}."
        if stage.observation:
            description += f"\n{stage.observation}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:plan-{plan.pk}-stage-{stage.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{stage.deadline:%Y%m%d}",
            f"DTEND;VALUE=DATE:{end:%Y%m%d}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
