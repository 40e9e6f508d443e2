"""The public /cronograma/ page: summary, SVG timeline, table, tenancy, query count."""

from __future__ import annotations

import datetime
import re

import pytest

from paco.plans.actions import import_plan
from paco.plans.importer import parse_file
from paco.plans.models import Plan, PlanKind

TODAY = datetime.date(2026, 11, 30)


@pytest.fixture
def seed_plan(town_x, seed_bytes):
    return import_plan(None, town_x, parse_file(seed_bytes, "seed.txt"))


def _row(html, number):
    match = re.search(rf'<tr id="etapa-{number}">(.*?)</tr>', html, re.S)
    assert match, number
    return match.group(1)


def test_seed_page_acceptance(anon_x, seed_plan, fixed_today):
    fixed_today(TODAY)
    response = anon_x.get("/cronograma/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Atualizado em 29/05/2026" in html
    late_rows = [n for n in range(1, 19) if "Atrasada há" in _row(html, n)]
    assert late_rows == [15, 18]
    assert "Atrasada há 518 dias" in _row(html, 15)
    assert "Suspensa" in _row(html, 9) and "Atrasada" not in _row(html, 9)
    summary = re.search(r'<ul class="resumo".*?</ul>', html, re.S).group(0)
    assert "<strong>15</strong> concluídas" in summary
    assert "<strong>2</strong> em andamento" in summary
    assert "<strong>2</strong> atrasadas" in summary
    assert "<strong>1</strong> suspensa" in summary
    assert "sujeitos a alterações" in html


def test_stage_finished_late_is_shown_as_late(anon_x, seed_plan, fixed_today):
    from paco.plans.actions import update_stage
    from paco.plans.models import Stage

    stage = Stage.objects.for_municipality(seed_plan.municipality).get(number=15)
    done = fixed_today(stage.deadline + datetime.timedelta(days=7))
    update_stage(None, stage, status="concluida")
    html = anon_x.get("/cronograma/").content.decode()
    assert "Concluída com 7 dias de atraso" in _row(html, 15)
    assert f"em {done:%d/%m/%Y}" in _row(html, 15)
    assert "Atrasada há" not in _row(html, 15)
    assert "atraso" not in _row(html, 1)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "Concluída com 7 dias de atraso" in svg
    history = anon_x.get(f"/cronograma/etapas/{stage.pk}/historico/").content.decode()
    assert "Concluída com 7 dias de atraso" in history


def test_svg_timeline_is_accessible_and_has_a_data_table(anon_x, seed_plan, fixed_today):
    """Two drawings of the same bars: the wide chart and the phone one (text above each bar,
    13-unit text in a 300-unit chart); the table stacks into cards on phones."""
    fixed_today(TODAY)
    html = anon_x.get("/cronograma/").content.decode()
    wide, narrow = re.findall(r"<svg.*?</svg>", html, re.S)
    for svg in (wide, narrow):
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
        assert svg.count('class="barra ') == 18
        assert svg.count('class="atraso"') == 2
        assert "hoje" in svg
        assert "Etapa 18" in svg
        assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
        assert not re.search(r'(x|width)="\d+,\d', svg), "coordinates must not be localized"
    assert 'viewBox="0 0 300 ' in narrow and 'class="grafico-celular"' in narrow
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', narrow)}
    assert sizes == {13}, sizes
    assert 'role="region"' not in html, "nothing scrolls sideways"
    assert '<table class="cronograma stack">' in html and "<caption>" in html
    assert 'scope="col"' in html and 'data-label="Situação"' in html
    assert html.count('data-label="Prazo final"') == 18
    assert "style=" not in html and "<script" not in html


def test_empty_plan_has_no_chart(anon_x, town_x):
    Plan.objects.create(municipality=town_x, title="Vazio", slug="vazio")
    html = anon_x.get("/cronograma/").content.decode()
    assert "<svg" not in html and "Nenhuma etapa cadastrada" in html


def test_no_plan_yet(anon_x, client_for, town_x, admin_x):
    response = anon_x.get("/cronograma/")
    assert response.status_code == 200
    assert "ainda não publicou" in response.content.decode()
    assert "/cronograma/importar/" not in response.content.decode()
    assert (
        "/cronograma/importar/" in client_for(admin_x, town_x).get("/cronograma/").content.decode()
    )
    assert anon_x.get("/cronograma/nao-existe/").status_code == 404


def test_other_plans_by_slug_and_private_ones_hidden(anon_x, town_x, make_plan):
    make_plan(town_x, 2, title="Governo digital")
    make_plan(town_x, 3, title="Plano de Dados Abertos", kind=PlanKind.OPEN_DATA)
    make_plan(town_x, 1, title="Rascunho", slug="rascunho")
    Plan.objects.filter(slug="rascunho").update(is_public=False)
    assert "Governo digital" in anon_x.get("/cronograma/").content.decode()
    other = anon_x.get("/cronograma/plano-de-dados-abertos/")
    assert other.status_code == 200 and "Plano de Dados Abertos" in other.content.decode()
    assert "/cronograma/plano-de-dados-abertos/cronograma.csv" in other.content.decode()
    assert anon_x.get("/cronograma/rascunho/").status_code == 404


def test_tenancy(client_for, town_x, town_y, make_plan):
    make_plan(town_x, 2, title="Plano de X")
    make_plan(town_y, 2, title="Plano de Y", slug="so-y")
    html_y = client_for(None, town_y).get("/cronograma/").content.decode()
    assert "Plano de Y" in html_y and "Plano de X" not in html_y
    assert client_for(None, town_x).get("/cronograma/so-y/").status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_query_count_does_not_grow(anon_x, town_x, make_plan, count, django_assert_num_queries):
    make_plan(town_x, count)
    anon_x.get("/cronograma/")  # warm the host cache
    with django_assert_num_queries(4):
        response = anon_x.get("/cronograma/")
    assert response.content.decode().count('<tr id="etapa-') == count
