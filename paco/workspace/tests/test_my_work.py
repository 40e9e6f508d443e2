"""``/gestao/`` "Minha mesa": counters per kind, items by deadline (late first), then tools."""

from __future__ import annotations

import re

import pytest

from paco.workspace.mywork import deadline_text

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    body = re.search(r'<table class="stack ws-trabalho">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body
    return re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)


def test_deadline_wording() -> None:
    assert deadline_text(-5) == "atrasado há 5 dias"
    assert deadline_text(-1) == "atrasado há 1 dia"
    assert deadline_text(0) == "vence hoje"
    assert deadline_text(1) == "vence amanhã"
    assert deadline_text(3) == "vence em 3 dias"
    assert deadline_text(None) == "sem prazo"


def test_late_first_with_unit_action_and_link(client_for, town_x, admin_x, some_work) -> None:
    html = client_for(admin_x, town_x).get("/gestao/").content.decode()
    rows = _rows(html)
    assert "atrasado há 5 dias" in rows[0] and some_work["late"].protocol in rows[0]
    assert "atrasado há 2 dias" in rows[1] and "Etapa 1" in rows[1]
    assert "vence em 3 dias" in rows[2]
    assert "Secretaria A" in rows[0]
    assert f'href="/dados/gestao/pedidos/{some_work["late"].protocol}/"' in rows[0]
    assert "Responder ao pedido" in rows[0]
    assert "Pedido de outra cidade" not in html


def test_counters_per_kind(client_for, town_x, admin_x, some_work) -> None:
    html = client_for(admin_x, town_x).get("/gestao/").content.decode()
    card = re.search(r'id="fila-data_request">(.*?)</li>', html, re.S)
    assert card
    numbers = re.findall(r"<dd>(\d+)</dd>", card.group(1))
    assert numbers == ["1", "1", "3"]  # late, due in 7 days, open
    stages = re.search(r'id="fila-plan_stage">(.*?)</li>', html, re.S)
    assert stages and re.findall(r"<dd>(\d+)</dd>", stages.group(1)) == ["1", "0", "2"]


def test_unit_editor_sees_only_own_unit_and_no_stage_counter(
    client_for, town_x, data_editor_x, some_work
) -> None:
    html = client_for(data_editor_x, town_x).get("/gestao/").content.decode()
    assert some_work["late"].protocol in html
    assert some_work["other_unit"].protocol not in html
    assert 'id="fila-plan_stage"' not in html  # not a plan editor: no counter, no link
    assert "/cronograma/etapas/" not in html


def test_unit_filter(client_for, town_x, unit_x_a, admin_x, data_editor_x, some_work) -> None:
    # the administrator's membership has no unit: no filter offered
    assert "Filtrar por unidade" not in client_for(admin_x, town_x).get("/gestao/").content.decode()
    client = client_for(data_editor_x, town_x)
    html = client.get("/gestao/").content.decode()
    assert f'href="/gestao/?unidade={unit_x_a.pk}"' in html
    only = client.get(f"/gestao/?unidade={unit_x_a.pk}").content.decode()
    assert some_work["late"].protocol in only


def test_tools_then_configuration(client_for, town_x, admin_x) -> None:
    html = client_for(admin_x, town_x).get("/gestao/").content.decode()
    tools = html.index('id="ferramentas-titulo"')
    config = html.index('id="configuracao"')
    assert tools < config
    assert "Carta de Serviços" in html[config:]  # the admin's model index is still here


def test_configuration_lists_only_usable_models(client_for, town_x, plan_editor_x) -> None:
    html = client_for(plan_editor_x, town_x).get("/gestao/").content.decode()
    config = html[html.index('id="configuracao"') :]
    assert "/gestao/plans/stage/" in config
    assert "/gestao/audit/auditentry/" not in config  # the trail is the administrator's


def test_nothing_to_do(client_for, town_x, plain_staff_x) -> None:
    html = client_for(plain_staff_x, town_x).get("/gestao/").content.decode()
    assert "Nada em aberto para você agora." in html


def test_notification_hook_is_in_the_header(client_for, town_x, admin_x) -> None:
    from django.template.loader import get_template

    assert get_template("workspace/_notifications.html")  # the counter's place (paco.notifications)
    header = get_template("workspace/_header.html").template.source  # type: ignore[attr-defined]
    assert '{% include "workspace/_notifications.html" %}' in header
