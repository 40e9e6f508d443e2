"""/painel/, /painel.json, /painel.csv and the annual report: shape, figures, no personal data."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paco.panel.tests.conftest import DOCUMENT, EMAIL, NAME

pytestmark = pytest.mark.django_db
FIGURE_KEYS = {
    "in_progress",
    "concluded_by_year",
    "avg_handling_days",
    "median_handling_days",
    "p90_handling_days",
    "on_time_ratio",
    "ratings_count",
    "satisfaction_avg",
    "ratings",
    "resolved",
}


def assert_no_personal_data(text: str) -> None:
    for secret in (NAME, "Sigilosa", EMAIL, "maria.sigilo", DOCUMENT, "Obrigada", "Recurso de"):
        assert secret not in text


def test_json_has_exactly_the_issues_shape(history, client_for):
    response = client_for(None, history.town).get("/painel.json")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert set(data) == {"generated_at", "period", "services", "totals"}
    assert data["period"] == {"from": None, "to": None}
    assert set(data["totals"]) == FIGURE_KEYS
    for row in data["services"]:
        assert set(row) == FIGURE_KEYS | {"service_id", "service", "unit"}
    poda = next(r for r in data["services"] if r["service"] == "Poda de árvores")
    assert poda == {
        "service_id": history.poda.pk,
        "service": "Poda de árvores",
        "unit": "Secretaria B",
        "in_progress": 0,
        "concluded_by_year": {"2026": 1},
        "avg_handling_days": 224.0,
        "median_handling_days": 224.0,
        "p90_handling_days": 224,
        "on_time_ratio": None,
        "ratings_count": 0,
        "satisfaction_avg": None,
        "ratings": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
        "resolved": {"sim": 0, "parcialmente": 0, "nao": 0},
    }
    esic = next(
        r for r in data["services"] if r["service_id"] is None and "informação" in r["service"]
    )
    assert esic["median_handling_days"] == 23.5  # (10 + 37) / 2
    assert data["totals"]["satisfaction_avg"] == 3.75
    assert_no_personal_data(response.content.decode())


def test_json_period_filter(history, client_for):
    data = client_for(None, history.town).get("/painel.json?de=2026-01-01&ate=2026-12-31").json()
    assert data["period"] == {"from": "2026-01-01", "to": "2026-12-31"}
    assert data["totals"]["concluded_by_year"] == {"2026": 3}


def test_csv_carries_every_figure_with_its_counts(history, client_for):
    response = client_for(None, history.town).get("/painel.csv")
    assert response["Content-Disposition"] == 'attachment; filename="painel-de-atendimento.csv"'
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    total = rows[0]
    assert total["agrupamento"] == "total"
    assert (total["recebidos"], total["em_andamento"], total["concluidos"]) == ("9", "3", "6")
    assert total["tempo_mediano_dias"] == "7.5"
    assert (total["concluidos_no_prazo"], total["concluidos_com_prazo"]) == ("4", "5")
    assert (total["avaliacoes"], total["satisfacao_media"]) == ("4", "3.75")
    assert total["avaliacoes_nota_4"] == "2"
    groupings = [r["agrupamento"] for r in rows]
    assert groupings.count("tipo") == 3 and groupings.count("unidade") == 2
    assert groupings.count("servico") == 2
    assert_no_personal_data(text)
    excel = client_for(None, history.town).get("/painel.csv?excel=1").content.decode("utf-8")
    assert excel.startswith("\ufeff") and ";7,5;" in excel


def test_page_shows_the_figures_charts_and_tables(history, client_for):
    client = client_for(None, history.town)
    client.get("/painel.json")  # the months the history touched are aggregated once
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/painel/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html and 'role="img"' in html
    assert "Concluídos por ano" in html and "2025" in html
    assert "3,75" in html and "4 avaliações" in html
    assert "80,0%" in html and "4 de 5 com prazo" in html
    assert '<table class="stack' in html and 'data-label="Mediana (dias)"' in html
    assert "/painel/relatorio/2026/" in html and "/painel/relatorio/2025/" in html
    assert_no_personal_data(html)
    # bounded: the same number of queries whatever the number of cases
    assert len(queries) <= 10, [q["sql"] for q in queries]


def test_a_wrong_period_is_said_next_to_the_field(history, client_for):
    client = client_for(None, history.town)
    html = client.get("/painel/?de=2026-05-01&ate=2026-01-01").content.decode()
    assert "A data final deve ser igual ou posterior à inicial." in html
    assert client.get("/painel/?de=ontem").status_code == 200


def test_annual_report_html_and_pdf(history, client_for):
    client = client_for(None, history.town)
    html = client.get("/painel/relatorio/2025/").content.decode()
    # ranking 2025: A (case 9) and B (case 3) tie with one complaint each, both 1st;
    # per 100 cases received in 2025: A 1 of 3 (1, 2, 9) = 33,3; B 1 of 2 (3, 4) = 50,0
    assert html.count('<td data-label="Posição">1º</td>') == 2
    assert "33,3" in html and "50,0" in html
    # LAI 2025: received 2, answered 2, refused 1, granted 1, one appeal decided, not upheld
    assert 'Pedidos recebidos</th><td data-label="Quantidade" class="numero">2<' in html
    assert 'Acesso negado</th><td data-label="Quantidade" class="numero">1<' in html
    assert "Recursos em 1ª instância" in html and "1 (1 decidido, 0 providos)" in html
    assert_no_personal_data(html)
    response = client.get("/painel/relatorio/2025/relatorio.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Relatório de atendimento de 2025" in text
    assert "Secretaria A" in text and "33,3" in text
    assert "Acesso negado" in text
    assert_no_personal_data(text)
    assert client.get("/painel/relatorio/2019/").status_code == 404


def test_the_panel_is_cached_for_visitors_and_a_change_shows(
    history, client_for, settings, django_capture_on_commit_callbacks
):
    settings.PACO_PAGE_CACHE_SECONDS = 300
    client = client_for(None, history.town)
    assert client.get("/painel.json")["X-Paco-Cache"] == "miss"
    assert client.get("/painel.json")["X-Paco-Cache"] == "hit"
    from paco.atendimento.actions import Requester, open_case

    with django_capture_on_commit_callbacks(execute=True):  # audited: invalidates the pages
        open_case(
            history.town,
            kind="esic",
            subject="x",
            description="y",
            requester=Requester(name="Outro"),
        )
    assert client.get("/painel.json").json()["totals"]["in_progress"] == 4


def test_the_dataset_table_has_no_personal_data(history):
    from paco.panel.dataset import table

    header, rows = table(history.town)
    assert header[:3] == ["ano", "agrupamento", "grupo"]
    years = {r[0] for r in rows}
    assert years == {2025, 2026}
    total_2025 = next(r for r in rows if r[0] == 2025 and r[1] == "total")
    assert total_2025[header.index("concluidos")] == 3  # 1, 2, 3
    assert_no_personal_data(repr(rows))
