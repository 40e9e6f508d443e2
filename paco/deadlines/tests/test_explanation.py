""" "Como este prazo foi calculado": the steps in pt-BR and the template partial."""

from __future__ import annotations

from django.template.loader import render_to_string

from paco.deadlines import clock
from paco.deadlines.models import CountingRule, ExtensionFrom
from paco.deadlines.tests.conftest import D, at, calendar
from paco.deadlines.tests.test_worked_cases import BUSINESS_15, LAI, OUVIDORIA


def test_steps_tell_receipt_start_holidays_and_the_due_day() -> None:
    cal = calendar()
    submitted = at(2025, 4, 17, 20, 5)
    deadline = clock.compute(
        cal.town, LAI, D(2025, 4, 22), calendar=cal, submitted_at=submitted, extended=True
    )
    text = "\n".join(deadline.steps)
    assert "quinta-feira, 17/04/2025, às 20:05, a partir das 19h" in text
    assert "18/04/2025, Sexta-feira Santa, feriado nacional" in text
    assert "21/04/2025, Tiradentes, feriado nacional" in text
    assert "Recebido em terça-feira, 22/04/2025." in text
    assert "A contagem começa em quarta-feira, 23/04/2025." in text
    assert "Lei 9.784, art. 66" in text
    assert "01/05/2025, Dia do Trabalhador" in text  # counted, and said so
    assert "contados do vencimento legal (segunda-feira, 12/05/2025)" in text
    assert deadline.steps[-1] == "Prazo final: quinta-feira, 22/05/2025."
    assert deadline.holidays_in_period == ((D(2025, 5, 1), "Dia do Trabalhador"),)


def test_steps_tell_a_roll_to_the_next_business_day_by_the_holidays_name() -> None:
    cal = calendar(holidays=[(D(2025, 8, 21), "Aniversário do município")])
    deadline = clock.compute(cal.town, LAI, D(2025, 8, 1), calendar=cal)
    assert (
        "O 20º dia é quinta-feira, 21/08/2025 (Aniversário do município, feriado municipal), "
        "sem expediente: o prazo passa para o próximo dia útil, sexta-feira, 22/08/2025"
    ) in "\n".join(deadline.steps)
    assert deadline.skipped == ((D(2025, 8, 21), "Aniversário do município"),)
    assert deadline.legal_due_on == D(2025, 8, 21)


def test_steps_tell_the_towns_rules() -> None:
    cal = calendar(
        counting_rule=CountingRule.BUSINESS_ENDS, extension_from=ExtensionFrom.ROLLED_DUE
    )
    deadline = clock.compute(cal.town, OUVIDORIA, D(2025, 5, 30), calendar=cal, extended=True)
    text = "\n".join(deadline.steps)
    assert "o primeiro e o último dia da contagem devem ser dias úteis" in text
    assert "A contagem começa em segunda-feira, 02/06/2025." in text
    assert "contados do dia útil para o qual o vencimento passou" in text
    business = clock.compute(cal.town, BUSINESS_15, D(2025, 4, 14), calendar=cal)
    text = "\n".join(business.steps)
    assert "15 dias úteis" in text
    assert "Feriados não contados: 18/04/2025, Sexta-feira Santa; 21/04/2025, Tiradentes" in text


def test_the_partial_is_a_details_element_that_needs_no_script() -> None:
    cal = calendar()
    deadline = clock.compute(cal.town, LAI, D(2025, 4, 22), calendar=cal)
    html = render_to_string("deadlines/_explanation.html", {"deadline": deadline})
    assert '<details class="prazo-explicado">' in html
    assert "<summary>Como este prazo foi calculado</summary>" in html
    assert html.count("<li>") == len(deadline.steps)
    assert "<script" not in html and "style=" not in html
    assert render_to_string("deadlines/_explanation.html", {"deadline": None}).strip() == ""
