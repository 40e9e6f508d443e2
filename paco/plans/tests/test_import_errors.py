"""Bad files get pt-BR errors with line numbers, and a failed import changes nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from paco.audit.models import AuditEntry
from paco.plans.actions import import_plan
from paco.plans.importer import ImportFailed, parse_file
from paco.plans.models import Plan, Stage

GOOD = "Etapa;Descrição;Prazo;Prazo final;Observação\n1;Uma;30 dias;01-02-2025;Concluído\n"


def _state(town):
    return (
        list(Plan.objects.for_municipality(town).values_list("title", "updated_on")),
        list(Stage.objects.for_municipality(town).values_list("number", "description")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (
            GOOD + "2;Outra;30 dias;31-02-2025;Concluído\n",
            "a.csv",
            "Linha 3: data inválida em “Prazo final”: “31-02-2025” (use dd-mm-aaaa).",
        ),
        (
            GOOD + "2;Outra;30 dias;amanhã;Concluído\n",
            "a.csv",
            "Linha 3: data inválida em “Prazo final”: “amanhã” (use dd-mm-aaaa).",
        ),
        (
            "Etapa;Descrição;Prazo;Observação\n1;Uma;30 dias;ok\n",
            "a.csv",
            "Colunas obrigatórias ausentes: Prazo final.",
        ),
        (
            "Nome;Valor\nx;1\n",
            "a.csv",
            "Cabeçalho não encontrado: o arquivo precisa das colunas "
            "Etapa, Descrição, Prazo final.",
        ),
        ("", "a.csv", "O arquivo está vazio."),
        ("  \n\n", "a.txt", "O arquivo está vazio."),
        (
            GOOD + "texto solto;sem número;;;\n",
            "a.csv",
            "Linha 3: não foi possível ler a linha (etapa sem número): “texto solto | sem número”.",
        ),
        (
            GOOD + "1;Repetida;30 dias;01-03-2025;Concluído\n",
            "a.csv",
            "Linha 3: a etapa 1 aparece mais de uma vez.",
        ),
        (GOOD + "2;;30 dias;01-03-2025;\n", "a.csv", "Linha 3: a descrição da etapa está vazia."),
    ],
)
def test_bad_content_is_reported_and_nothing_changes(town_x, make_plan, content, name, expected):
    make_plan(town_x, 2, title="Existente", slug="implementacao-da-lei-no-141292021")
    before = _state(town_x)
    parsed = parse_file(content.encode(), name)
    assert expected in parsed.errors
    with pytest.raises(ImportFailed):
        import_plan(None, town_x, parsed, replace=True)
    assert _state(town_x) == before


def test_binary_garbage_and_fake_xlsx(tmp_path):
    assert parse_file(b"\x00\x01\x02\xff\xfe binario", "a.txt").errors == [
        "O arquivo parece ser binário; envie um arquivo de texto, CSV ou XLSX."
    ]
    assert parse_file(b"PK\x03\x04 nao sou zip", "a.xlsx").errors == [
        "O arquivo não é uma planilha XLSX válida (não foi possível abri-lo)."
    ]


def test_xlsx_error_uses_spreadsheet_row_numbers(tmp_path):
    book = Workbook()
    book.active.append(["Etapa", "Descrição", "Prazo", "Prazo final", "Observação"])
    book.active.append([1, "Ok", "30 dias", "01/01/2025", "Concluído"])
    book.active.append([2, "Ruim", "30 dias", "13/13/2025", "Concluído"])
    path = tmp_path / "p.xlsx"
    book.save(path)
    assert parse_file(path.read_bytes(), "p.xlsx").errors == [
        "Linha 3: data inválida em “Prazo final”: “13/13/2025” (use dd-mm-aaaa)."
    ]


def test_failure_midway_rolls_back_a_replace(town_x, make_plan, monkeypatch):
    plan = make_plan(town_x, 3)
    before = _state(town_x)
    parsed = parse_file((GOOD + "2;Outra;30 dias;01-03-2025;Concluído\n").encode(), "a.csv")
    original = Stage.full_clean
    calls = {"n": 0}

    def fail_second(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("falha simulada")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Stage, "full_clean", fail_second)
    with pytest.raises(RuntimeError):
        import_plan(None, town_x, parsed, slug=plan.slug, replace=True)
    assert _state(town_x) == before


def test_command_reports_errors_and_imports_nothing(town_x, tmp_path):
    path = tmp_path / "ruim.csv"
    path.write_text(GOOD + "2;Outra;30 dias;99-99-2025;Concluído\n")
    with pytest.raises(CommandError) as info:
        call_command("import_plan", str(path), "--municipality", town_x.slug)
    assert "Nada foi importado" in str(info.value)
    assert "Linha 3: data inválida" in str(info.value)
    assert not Plan.objects.for_municipality(town_x).exists()


def test_plan_editor_of_one_unit_cannot_import_for_another(town_x, unit_x_b, plan_editor_x):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_plan(plan_editor_x, town_x, parse_file(GOOD.encode(), "a.csv"), unit=unit_x_b)
    assert not Plan.objects.exists()
