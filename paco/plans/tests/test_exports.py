"""JSON, CSV and iCalendar exports of the plan."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest

from paco.plans.actions import import_plan, update_stage
from paco.plans.importer import parse_file
from paco.plans.models import Stage

TODAY = datetime.date(2026, 11, 30)
# The published column contract, written out rather than imported from
# paco.plans.exports.COLUMNS: renaming or reordering a column must fail here.
KEYS = [
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
]


@pytest.fixture
def seed_plan(town_x, seed_bytes):
    return import_plan(None, town_x, parse_file(seed_bytes, "seed.txt"))


def test_json(anon_x, seed_plan, fixed_today):
    fixed_today(TODAY)
    response = anon_x.get("/cronograma.json")
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert list(data) == ["plan", "stages"]
    assert data["plan"] == {"title": seed_plan.title, "updated_at": "2026-05-29"}
    assert len(data["stages"]) == 18
    for stage in data["stages"]:
        assert list(stage) == KEYS
        assert stage["status"] in {"nao_iniciada", "em_andamento", "concluida", "suspensa"}
        datetime.date.fromisoformat(stage["deadline"])
    late = {s["number"]: s["days_overdue"] for s in data["stages"] if s["overdue"]}
    assert late == {15: 518, 18: 518}
    stage10 = data["stages"][9]
    assert stage10["deadline"] == "2024-06-17" and stage10["start"] is None


def test_csv_utf8_same_columns_and_formula_injection(anon_x, seed_plan, fixed_today):
    fixed_today(TODAY)
    stage = Stage.objects.for_municipality(seed_plan.municipality).get(number=1)
    update_stage(None, stage, observation='=HYPERLINK("http://mal")')
    stage2 = Stage.objects.for_municipality(seed_plan.municipality).get(number=2)
    update_stage(None, stage2, observation="@SUM(A1)", description="-1+2")
    response = anon_x.get("/cronograma.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == KEYS
    assert len(rows) == 19
    assert rows[1][6] == '\'=HYPERLINK("http://mal")'
    assert rows[2][6] == "'@SUM(A1)" and rows[2][1] == "'-1+2"
    assert rows[15][0] == "15" and rows[15][7:] == ["true", "518", "", "0"]
    assert rows[10][1].startswith("Edição de ato normativo próprio")


def test_completion_date_and_lateness_in_json_and_csv(anon_x, seed_plan, fixed_today):
    stage = Stage.objects.for_municipality(seed_plan.municipality).get(number=15)
    deadline = stage.deadline
    fixed_today(deadline + datetime.timedelta(days=12))
    update_stage(None, stage, status="concluida")
    data = json.loads(anon_x.get("/cronograma.json").content)
    row = data["stages"][14]
    completed = (deadline + datetime.timedelta(days=12)).isoformat()
    assert row["completed_on"] == completed and row["days_late_at_completion"] == 12
    assert row["overdue"] is False
    on_time = data["stages"][0]
    assert on_time["status"] == "concluida" and on_time["days_late_at_completion"] == 0
    rows = list(csv.reader(io.StringIO(anon_x.get("/cronograma.csv").content.decode())))
    assert rows[15][9:] == [completed, "12"]


def test_reopening_a_stage_clears_its_completion_date(seed_plan, fixed_today):
    fixed_today(TODAY)
    stage = Stage.objects.for_municipality(seed_plan.municipality).get(number=15)
    update_stage(None, stage, status="concluida")
    assert Stage.objects.get(pk=stage.pk).completed_on == TODAY
    update_stage(None, stage, status="em_andamento")
    reopened = Stage.objects.get(pk=stage.pk)
    assert reopened.completed_on is None and reopened.days_late_at_completion == 0


# --- a strict RFC 5545 reader for the test ---------------------------------------
def unfold(body: bytes) -> list[str]:
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode("utf-8")) <= 75, line
    logical: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def parse_ics(body: bytes) -> list[dict[str, str]]:
    lines = unfold(body)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    props = {line.split(":", 1)[0] for line in lines[1:-1]}
    assert {"VERSION", "PRODID"} <= props
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in lines[1:-1]:
        assert re.match(r"^[A-Z-]+(;[A-Z-]+=[^:;]+)*:", line), line
        name, value = line.split(":", 1)
        if line == "BEGIN:VEVENT":
            assert current is None
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            for required in ("UID", "DTSTAMP", "DTSTART;VALUE=DATE", "SUMMARY"):
                assert required in current, required
            assert re.fullmatch(r"\d{8}T\d{6}Z", current["DTSTAMP"])
            events.append(current)
            current = None
        elif current is not None:
            # unescaped , ; are not allowed in TEXT values
            if name in ("SUMMARY", "DESCRIPTION"):
                assert not re.search(r"(?<!\\)[,;]", value), value
            current[name] = value
    assert current is None
    return events


def unescape(value: str) -> str:
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_ics(anon_x, seed_plan):
    response = anon_x.get("/cronograma.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = parse_ics(response.content)
    assert len(events) == 18
    assert len({e["UID"] for e in events}) == 18
    first = events[0]
    assert first["DTSTART;VALUE=DATE"] == "20230403"
    assert first["DTEND;VALUE=DATE"] == "20230404"
    assert unescape(first["SUMMARY"]) == (
        "Prazo final da etapa 1: Regulamentação da Lei Federal nº 14.129/2021"
    )
    ninth = unescape(events[8]["DESCRIPTION"])
    assert ninth.startswith("Situação: Suspensa.\nIniciada a implementação")
    assert "Região, todavia, no momento" in ninth


def test_exports_are_tenant_scoped(client_for, town_x, town_y, make_plan):
    make_plan(town_x, 2, title="Plano de X")
    make_plan(town_y, 3, title="Plano de Y")
    data = json.loads(client_for(None, town_y).get("/cronograma.json").content)
    assert data["plan"]["title"] == "Plano de Y" and len(data["stages"]) == 3
