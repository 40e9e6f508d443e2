"""Dates as municipalities write them, and "today" where the plan is published."""

from __future__ import annotations

import datetime
import re
import unicodedata
from zoneinfo import ZoneInfo

PLAN_TIME_ZONE = ZoneInfo("America/Sao_Paulo")

_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
_DAYS = re.compile(r"(\d+)\s*(dias?|semanas?|m[eê]s|meses|anos?)\b")
_SEMESTER = re.compile(r"(primeiro|1[ºo°]?|segundo|2[ºo°]?)\s+semestre\s+de\s+(\d{4})")
_UNIT_DAYS = {"dia": 1, "semana": 7, "mes": 30, "ano": 365}


def today_local() -> datetime.date:
    """Today in America/Sao_Paulo, whatever the server's clock zone."""
    return datetime.datetime.now(PLAN_TIME_ZONE).date()


def plain(text: str) -> str:
    """Lower case, no accents, single spaces: for keyword matching."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def parse_date(value: object) -> datetime.date | None:
    """dd-mm-yyyy, dd/mm/yyyy or ISO; a date/datetime passes through. Raises ValueError."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    raise ValueError(text)


def duration_start(duration: str, deadline: datetime.date) -> datetime.date | None:
    """The start implied by a written duration ("90 dias", "Primeiro semestre de 2025")."""
    text = plain(duration)
    semester = _SEMESTER.search(text)
    if semester:
        first = semester.group(1).startswith(("primeiro", "1"))
        return datetime.date(int(semester.group(2)), 1 if first else 7, 1)
    match = _DAYS.search(text)
    if match:
        unit = match.group(2).rstrip("s")
        unit = "mes" if unit.startswith(("me", "mê")) else unit
        days = int(match.group(1)) * _UNIT_DAYS.get(unit, 1)
        return deadline - datetime.timedelta(days=days)
    return None
