"""Every CSV/TSV Paço serves is formula-neutralized (paco.core.csvsafe).

A fixture town carries ``=HYPERLINK("http://x")`` in a data cell, a service and
a plan stage; every address of the URL map (every CKAN action, in each
``records_format``), the dumps and exports in CSV/TSV and the staff inventory are
fetched, and no CSV cell may start a formula — while a number stays a number.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from paco.atendimento.actions import Requester, open_case
from paco.catalog.models import Service
from paco.catalog.tests.conftest import add, detail
from paco.core.csvsafe import FORMULA_START, safe_cell
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.plans.actions import import_plan
from paco.plans.models import Stage
from paco.plans.tests.conftest import parsed_plan
from paco.testing.urlwalk import concrete_paths

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("opendata_storage")]

FORMULA = '=HYPERLINK("http://x")'
CSV_TEXT = f'item;valor\n"{FORMULA.replace(chr(34), chr(34) * 2)}";-5\n+soma;7\n@nome;-1,5\n'
CSV_TYPES = ("text/csv", "text/tab-separated-values")


@pytest.fixture
def town(town_x, unit_x_a):
    resource = publish_table(town_x, unit_x_a, csv_text=CSV_TEXT)
    add(town_x, detail("Alvará", unit_x_a))
    Service.objects.update(name=FORMULA, digitization_note=FORMULA)
    import_plan(None, town_x, parsed_plan(2))
    Stage.objects.update(description=FORMULA)
    # a request for the service, so the panel's CSV names it
    open_case(
        town_x,
        kind="servico",
        service=Service.objects.get(),
        subject="Pedido",
        description="Texto.",
        requester=Requester(name="Pessoa"),
    )
    return resource


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def _formula_cells(rows: list[list[str]]) -> list[str]:
    def is_number(cell: str) -> bool:
        return re.fullmatch(r"[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?", cell) is not None

    return [c for row in rows for c in row if c.startswith(FORMULA_START) and not is_number(c)]


def _csv_outputs(town: Any, anon: Any, admin: Any) -> list[tuple[str, str, str]]:
    """(label, text, delimiter) of every CSV the walk met."""
    rid = str(town.pk)
    found: list[tuple[str, str, str]] = []

    def take(label: str, response: Any) -> None:
        kind = response.get("Content-Type", "")
        if response.status_code == 200 and kind.startswith(CSV_TYPES):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            found.append((label, body.decode("utf-8"), "\t" if "tab" in kind else ","))

    for path in concrete_paths(resource_id=rid, dataset_id=str(town.dataset_id), fmt="csv"):
        if "/action/" in path:
            for records_format in ("csv", "tsv"):
                response = anon.get(path, {"id": rid, "records_format": records_format})
                if response.status_code == 200 and isinstance(response.json(), dict):
                    result = response.json().get("result")
                    if isinstance(result, dict) and isinstance(result.get("records"), str):
                        found.append(
                            (
                                f"{path}?{records_format}",
                                result["records"],
                                "," if records_format == "csv" else "\t",
                            )
                        )
            continue
        if path.endswith("/original"):
            continue  # the file as the town uploaded it, byte for byte: not written by Paço
        take(path, anon.get(path))
    for fmt in ("csv", "tsv"):
        take(f"dados.{fmt}", anon.get(f"/dados/recurso/{rid}/dados.{fmt}"))
        take(f"dados.{fmt}?filtro", anon.get(f"/dados/recurso/{rid}/dados.{fmt}", {"q": "x"}))
        take(f"dump {fmt}", anon.get(f"/datastore/dump/{rid}", {"format": fmt}))
    take("inventário", admin.get(reverse("admin:catalog_inventory_csv")))
    return found


def test_every_csv_is_formula_neutralized(town, anon_x, client_for, admin_x, town_x):
    outputs = _csv_outputs(town, anon_x, client_for(admin_x, town_x))
    labels = [label for label, _, _ in outputs]
    assert len(outputs) >= 10, labels
    assert "inventário" in labels and "/cronograma.csv" in labels
    problems = []
    for label, text, delimiter in outputs:
        rows = _rows(text, delimiter)
        if _formula_cells(rows):
            problems.append(f"{label}: {_formula_cells(rows)[:3]}")
        elif "'" + FORMULA not in text and f"'{FORMULA}".replace('"', '""') not in text:
            problems.append(f"{label}: o valor de teste não apareceu neutralizado")
    assert problems == [], "\n".join(problems)


def test_numbers_in_numeric_columns_stay_numbers(town, anon_x):
    response = anon_x.get(f"/dados/recurso/{town.pk}/dados.csv")
    text = b"".join(response.streaming_content).decode()
    rows = _rows(text, ",")
    values = {row[0]: row[1] for row in rows[1:]}
    # the text column is neutralized, the numeric column is written as numbers
    assert float(values[f"'{FORMULA}"]) == -5.0
    assert float(values["'+soma"]) == 7.0 and float(values["'@nome"]) == -1.5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+55 49 3555", "'+55 49 3555"),
        ("-5", "'-5"),  # text that looks like a number is still text
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("ok", "ok"),
        (-5, -5),  # a number is a number
        (-1.5, -1.5),
        (None, ""),
        (True, "true"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


PACO = Path(__file__).resolve().parents[2]
#: convert.py writes the pipeline's internal, never-served normalized file (exact values)
ALLOWED = {PACO / "core" / "csvsafe.py", PACO / "opendata" / "tabular" / "convert.py"}


def test_only_csvsafe_builds_csv_writers():
    offenders = [
        str(p.relative_to(PACO))
        for p in PACO.rglob("*.py")
        if "tests" not in p.parts
        and p not in ALLOWED
        and re.search(r"csv\.(writer|DictWriter)\(", p.read_text())
    ]
    assert offenders == []
