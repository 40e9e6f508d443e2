"""The staff pages: my notices (with the counter), my choices, and who is told (administrator)."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from paco.audit.models import AuditEntry
from paco.notifications import actions
from paco.notifications.models import Channel, Kind, Notification, Preference, TownSettings

pytestmark = pytest.mark.django_db


def many_notices(user, town, count):
    for number in range(count):
        actions.notify(
            town,
            Kind.NEW_ITEM,
            [user.pk],
            item_key=f"data_request:{number}",
            title=f"Pedido {number}",
            url=f"/dados/gestao/pedidos/DA-2026-{number:06d}/",
        )


def test_list_page_bounded_queries_and_mark_read(
    cast, town_x, client_for, django_assert_max_num_queries
):
    editor = cast["editor_a"]
    many_notices(editor, town_x, 60)
    client = client_for(editor, town_x)
    with django_assert_max_num_queries(12):
        page = client.get("/gestao/avisos/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "60 avisos não lidos" in html
    assert html.count('class="aviso nao-lido"') == 50  # one page
    assert "Pedido 59" in html
    first = Notification.objects.filter(recipient=editor).latest("pk")
    response = client.post("/gestao/avisos/", {"aviso": first.pk})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=editor, read_at__isnull=True).count() == 59
    client.post("/gestao/avisos/", {"acao": "todos"})
    assert not Notification.objects.filter(recipient=editor, read_at__isnull=True).exists()


def test_one_cannot_mark_anothers_notice(cast, town_x, client_for):
    many_notices(cast["editor_b"], town_x, 1)
    notice = Notification.objects.get(recipient=cast["editor_b"])
    client_for(cast["editor_a"], town_x).post("/gestao/avisos/", {"aviso": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is None


def test_counter_tag_one_query(cast, town_x, django_assert_num_queries):
    editor = cast["editor_a"]
    many_notices(editor, town_x, 3)
    request = RequestFactory().get("/gestao/")
    request.user = editor
    request.municipality = town_x
    template = Template("{% load notifications %}{% notification_counter %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"request": request}))
    assert 'href="/gestao/avisos/"' in html
    assert '<span class="avisos-numero">3</span>' in html
    request.user = cast["editor_b"]
    assert "avisos-numero" not in Template(
        "{% load notifications %}{% notification_counter %}"
    ).render(Context({"request": request}))


def test_pages_only_for_the_towns_servants(
    cast, other_town, town_x, town_y, citizen_a, client_for, anon_x
):
    for path in ("/gestao/avisos/", "/gestao/avisos/preferencias/", "/gestao/avisos/quem-recebe/"):
        assert client_for(citizen_a, town_x).get(path).status_code == 404
        assert client_for(other_town[0], town_x).get(path).status_code == 404
        assert anon_x.get(path).status_code == 302  # to the login page
    # inside the town, the overview says why it is forbidden
    forbidden = client_for(cast["editor_a"], town_x).get("/gestao/avisos/quem-recebe/")
    assert forbidden.status_code == 403


def test_preferences_page_without_javascript(cast, town_x, client_for):
    client = client_for(cast["editor_a"], town_x)
    page = client.get("/gestao/avisos/preferencias/")
    assert page.status_code == 200
    assert "Aqui no Paço e por e-mail" in page.content.decode()
    form = {
        "new_item": Channel.APP,
        "assigned": Channel.EMAIL,
        "due_soon": Channel.EMAIL,
        "overdue": Channel.OFF,
        "digest": "on",
        "days_before": "5",
    }
    assert client.post("/gestao/avisos/preferencias/", form).status_code == 302
    pref = Preference.objects.get(user=cast["editor_a"])
    assert (pref.new_item, pref.overdue, pref.digest, pref.days_before) == ("app", "off", True, 5)
    assert AuditEntry.objects.filter(action="notifications.preferences").exists()
    bad = client.post("/gestao/avisos/preferencias/", {**form, "days_before": "99"})
    assert bad.status_code == 422
    assert "Informe de 0 a 60 dias" in bad.content.decode()


def test_overview_flags_a_queue_nobody_is_told_about(
    cast, town_x, unit_x_b, client_for, django_assert_max_num_queries
):
    client = client_for(cast["admin"], town_x)
    with django_assert_max_num_queries(20):
        page = client.get("/gestao/avisos/quem-recebe/")
    html = page.content.decode()
    # everything is covered: the administrator is told of every queue by default
    assert "Todas as filas têm alguém avisado" in html
    # the administrator and the town-wide editor stop new-item notices: unit B's data queue
    # is still covered by its editor; the plan queue of unit B has nobody left
    for servant in (cast["admin"], cast["town_editor"]):
        actions.set_preferences(servant, town_x, new_item=Channel.OFF)
    html = client.get("/gestao/avisos/quem-recebe/").content.decode()
    assert "sem ninguém avisado" in html
    alert = html[html.index("sem ninguém avisado") : html.index("<table")]
    assert "Secretaria B (SB) — Cronograma (etapas do plano): Novo item na fila da unidade" in alert
    assert "Todo o município (itens sem unidade) — Dados abertos" in alert
    # covered by their own editors: unit B's data queue, unit A's plan queue
    assert "Secretaria B (SB) — Dados abertos" not in alert
    assert "Secretaria A (SA) — Cronograma" not in alert
    # the town's default number of days before a deadline
    assert client.post("/gestao/avisos/quem-recebe/", {"days_before": "10"}).status_code == 302
    assert TownSettings.objects.get(municipality=town_x).days_before == 10
    assert AuditEntry.objects.filter(action="notifications.town_settings").exists()


def test_assign_a_servant_on_the_staff_request_page(cast, town_x, request_in_a, client_for):
    client = client_for(cast["town_editor"], town_x)
    path = f"/dados/gestao/pedidos/{request_in_a.protocol}/"
    page = client.get(path).content.decode()
    assert "Servidor responsável" in page
    assert str(cast["editor_a"]) in page and str(cast["editor_b"]) not in page
    response = client.post(path, {"acao": "assign_servant", "servant-servant": cast["editor_a"].pk})
    assert response.status_code == 302
    request_in_a.refresh_from_db()
    assert request_in_a.assigned_to == cast["editor_a"]
    assert Notification.objects.filter(recipient=cast["editor_a"], kind=Kind.ASSIGNED).exists()
    assert AuditEntry.objects.filter(action="datarequest.assign_servant").exists()
    listing = client.get("/dados/gestao/pedidos/").content.decode()
    assert f"Responsável: {cast['editor_a']}" in listing
    # someone outside the unit is not a valid choice
    refused = client.post(path, {"acao": "assign_servant", "servant-servant": cast["editor_b"].pk})
    assert refused.status_code == 422
