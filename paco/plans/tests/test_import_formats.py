"""CSV and XLSX files with the same columns import like the published text."""

from __future__ import annotations

import datetime

import pytest
from openpyxl import Workbook

from paco.plans.importer import parse_file
from paco.plans.models import Stage

HEADER = ["Etapa", "Descrição", "Prazo", "Prazo final", "Observação"]
ROWS = [
    ["1", "Regulamentação da lei", "90 dias", "03-04-2023", "Etapa concluída"],
    ["2", "Publicação de portaria", "30 dias", "04/05/2023", "Em Construção"],
    ["3", "Dados abertos; portal", "Primeiro semestre de 2025", "2025-06-30", ""],
]


def _csv(delimiter: str) -> str:
    lines = [delimiter.join(HEADER)]
    for row in ROWS:
        lines.append(delimiter.join(f'"{c}"' if delimiter in c else c for c in row))
    return "\r\n".join(lines) + "\r\n"


def _check(parsed):
    assert parsed.errors == []
    assert [(s.number, s.description, s.deadline, s.status) for s in parsed.stages] == [
        (1, "Regulamentação da lei", datetime.date(2023, 4, 3), "concluida"),
        (2, "Publicação de portaria", datetime.date(2023, 5, 4), "em_andamento"),
        (3, "Dados abertos; portal", datetime.date(2025, 6, 30), "nao_iniciada"),
    ]
    assert parsed.stages[2].duration == "Primeiro semestre de 2025"


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(",", "utf-8"), (";", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), (",", "cp1252")],
)
def test_csv_delimiters_and_encodings(tmp_path, delimiter, encoding):
    path = tmp_path / "cronograma.csv"
    path.write_bytes(_csv(delimiter).encode(encoding))
    _check(parse_file(path.read_bytes(), path.name))


def test_blank_observation_is_imported_as_not_started_with_a_warning(tmp_path):
    parsed = parse_file(_csv(";").encode(), "c.csv")
    assert parsed.warnings == [
        "Linha 4: situação não reconhecida; etapa importada como “Não iniciada”."
    ]


def test_xlsx_with_text_and_real_dates(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["CRONOGRAMA"])
    sheet.append(["Atualizado em 29/05/2026"])
    sheet.append(HEADER)
    sheet.append(
        [1, "Regulamentação da lei", "90 dias", datetime.datetime(2023, 4, 3), "Etapa concluída"]
    )
    sheet.append([2, "Publicação de portaria", "30 dias", "04/05/2023", "Em Construção"])
    sheet.append([3, "Dados abertos; portal", "Primeiro semestre de 2025", "2025-06-30", None])
    path = tmp_path / "cronograma.xlsx"
    book.save(path)
    parsed = parse_file(path.read_bytes(), path.name)
    _check(parsed)
    assert parsed.updated_on == datetime.date(2026, 5, 29)


def test_status_column_wins_over_observation_and_start_column(tmp_path):
    text = (
        "Etapa;Descrição;Início;Prazo final;Situação;Observação\n"
        "1;Uma etapa;01/02/2025;01/03/2025;Suspensa;Etapa concluída\n"
        "2;Outra etapa;;01/04/2025;em_andamento;\n"
    )
    parsed = parse_file(text.encode("cp1252"), "x.csv")
    assert parsed.errors == []
    assert [(s.status, s.start) for s in parsed.stages] == [
        ("suspensa", datetime.date(2025, 2, 1)),
        ("em_andamento", None),
    ]


def test_csv_continuation_row_joins_the_previous_stage(town_x, make_plan, tmp_path):
    text = (
        "Etapa,Descrição,Prazo,Prazo final,Observação\n"
        "1,Edição de ato,30 dias,17-06-,Etapa concluída\n"
        ",normativo próprio,,2024,\n"
    )
    parsed = parse_file(text.encode(), "x.csv")
    assert parsed.errors == []
    (stage,) = parsed.stages
    assert stage.description == "Edição de ato normativo próprio"
    assert stage.deadline == datetime.date(2024, 6, 17)


def test_csv_import_is_stored_through_the_action(town_x, tmp_path):
    from paco.plans.actions import import_plan

    plan = import_plan(None, town_x, parse_file(_csv(",").encode(), "c.csv"), title="Dados")
    assert plan.slug == "dados"
    assert Stage.objects.for_municipality(town_x).filter(plan=plan).count() == 3


def test_text_file_without_tabs_and_numbers_written_with_ordinals():
    text = (
        "Cronograma de governo digital\n"
        "Etapa;Descrição;Prazo;Prazo final;Observação\n"
        "1.;Primeira;30 dias;01-02-2025;Concluído\n"
        "2º;Segunda;30 dias;01-03-2025;Em andamento\n"
    )
    parsed = parse_file(text.encode(), "cronograma.txt")
    assert parsed.errors == []
    assert parsed.title == "Cronograma de governo digital"
    assert [(s.number, s.status) for s in parsed.stages] == [
        (1, "concluida"),
        (2, "em_andamento"),
    ]


def test_tab_separated_csv_file():
    text = "Etapa\tDescrição\tPrazo final\n1\tÚnica\t2025-01-31\n"
    parsed = parse_file(text.encode(), "cronograma.csv")
    assert parsed.errors == []
    assert parsed.stages[0].deadline == datetime.date(2025, 1, 31)
