"""``/gestao/prazos/``: the town's calendar and rules, for its administrator."""

from __future__ import annotations

import pytest

from paco.deadlines.models import ClockSettings, ExtensionFrom, Holiday, HolidayKind
from paco.deadlines.tests.conftest import D

pytestmark = pytest.mark.django_db
HOLIDAYS = "/gestao/prazos/feriados/"
RULES = "/gestao/prazos/regras/"


def test_only_the_town_administrator_reaches_the_pages(
    client_for, town_x, admin_x, admin_y, plain_staff_x, citizen_a
) -> None:
    for path in (HOLIDAYS, RULES):
        assert client_for(admin_x, town_x).get(path).status_code == 200
        refused = client_for(plain_staff_x, town_x).get(path)
        assert refused.status_code == 403
        assert "administrador do município" in refused.content.decode()
        assert client_for(admin_y, town_x).get(path).status_code == 404
        assert client_for(citizen_a, town_x).get(path).status_code == 404
        assert client_for(None, town_x).get(path).status_code == 302  # to the login


def test_the_years_calendar_lists_every_source_with_names(
    client_for, town_x, admin_x, django_assert_max_num_queries
) -> None:
    for day in range(1, 30):
        Holiday.objects.create(
            municipality=town_x,
            date=D(2025, 6, day),
            name=f"Festa {day}",
            kind=HolidayKind.CLOSED,
        )
    client = client_for(admin_x, town_x)
    client.get(HOLIDAYS)  # warm the session and the shell
    with django_assert_max_num_queries(12):
        page = client.get(HOLIDAYS, {"ano": "2025"}).content.decode()
    assert "Sexta-feira Santa" in page and "Feriado nacional" in page
    assert "Santa Catarina de Alexandria" in page and "Feriado estadual" in page
    assert "Festa 29" in page and "Sem expediente" in page
    assert 'data-label="Nome"' in page and '<table class="stack">' in page
    # the federal pontos facultativos are offered, not imposed
    assert "Incluir Carnaval (03/03/2025) como ponto facultativo" in page


def test_add_remove_and_errors_next_to_the_field(
    client_for, town_x, admin_x, django_capture_on_commit_callbacks
) -> None:
    client = client_for(admin_x, town_x)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            HOLIDAYS + "?ano=2025",
            {
                "acao": "incluir",
                "date": "2025-03-03",
                "name": "Carnaval",
                "kind": "ponto_facultativo",
            },
        )
    assert answer.status_code == 302 and answer["Location"].endswith("?ano=2025")
    holiday = Holiday.objects.get()
    assert (holiday.date, holiday.kind) == (D(2025, 3, 3), HolidayKind.OPTIONAL)
    page = client.get(answer["Location"]).content.decode()
    assert "Incluir Carnaval (03/03/2025)" not in page  # no longer suggested
    assert f'name="feriado" value="{holiday.pk}"' in page

    refused = client.post(
        HOLIDAYS, {"acao": "incluir", "date": "2025-04-21", "name": "Outro", "kind": "feriado"}
    )
    assert refused.status_code == 422
    assert "já é feriado nacional: Tiradentes" in refused.content.decode()
    missing = client.post(HOLIDAYS, {"acao": "incluir", "date": "", "name": "", "kind": "feriado"})
    assert missing.status_code == 422
    assert "Informe a data." in missing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(HOLIDAYS, {"acao": "excluir", "feriado": str(holiday.pk)})
    assert removed.status_code == 302 and not Holiday.objects.exists()


def test_another_towns_holiday_cannot_be_removed(client_for, town_x, town_y, admin_x) -> None:
    theirs = Holiday.objects.create(municipality=town_y, date=D(2025, 8, 21), name="Deles")
    answer = client_for(admin_x, town_x).post(HOLIDAYS, {"acao": "excluir", "feriado": theirs.pk})
    assert answer.status_code == 404
    assert Holiday.objects.filter(pk=theirs.pk).exists()


def test_rules_page_saves_and_shows_examples_with_the_explanation(
    client_for, town_x, admin_x, django_capture_on_commit_callbacks
) -> None:
    client = client_for(admin_x, town_x)
    page = client.get(RULES).content.decode()
    assert "<summary>Como este prazo foi calculado</summary>" in page
    assert not ClockSettings.objects.exists()  # showing the defaults writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            RULES,
            {
                "counting_rule": "corridos",
                "cutoff_hour": "17",
                "extension_from": ExtensionFrom.ROLLED_DUE,
                "citizen_answer_days": "15",
            },
        )
    assert answer.status_code == 302
    settings = ClockSettings.for_town(town_x)
    assert (settings.cutoff_hour, settings.citizen_answer_days) == (17, 15)
    page = client.get(RULES).content.decode()
    assert "do dia útil para o qual o vencimento passou" in page
    bad = client.post(
        RULES,
        {
            "counting_rule": "corridos",
            "cutoff_hour": "30",
            "extension_from": "vencimento_legal",
            "citizen_answer_days": "20",
        },
    )
    assert bad.status_code == 422
    assert "Informe uma hora de 1 a 24." in bad.content.decode()
    assert ClockSettings.for_town(town_x).cutoff_hour == 17


def test_the_admins_workspace_links_the_calendar(client_for, town_x, admin_x, plain_staff_x):
    assert HOLIDAYS in client_for(admin_x, town_x).get("/gestao/avisos/").content.decode()
    assert HOLIDAYS not in client_for(plain_staff_x, town_x).get("/gestao/avisos/").content.decode()
