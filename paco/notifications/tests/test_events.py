"""Each event reaches, by e-mail through the suite's real SMTP server, exactly the servants
who handle the queue (or the one assigned), and no one in another town."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from paco.datarequests import actions as dr_actions
from paco.datarequests.models import DataRequest
from paco.notifications.models import EmailState, Kind, Notification
from paco.notifications.tasks import scan_town
from paco.plans.dates import today_local

from .conftest import REQUESTER, addressees, set_due

pytestmark = pytest.mark.django_db


def test_new_request_tells_who_forwards_requests(cast, committed, town_x, smtp_settings):
    data_request, _ = committed(
        dr_actions.submit_request,
        town_x,
        title="Frota municipal",
        description="Veículos e consumo por mês.",
        name="Maria",
        email=REQUESTER,
    )
    # the town-wide queue: the town-wide data editor and the administrator
    assert addressees(smtp_settings) == ["admin@x.gov.br", "editor.todo@x.gov.br"]
    message = next(m for m in smtp_settings.messages if m["To"] == "admin@x.gov.br")
    assert "Novo item na fila da unidade" in message["Subject"]
    assert data_request.protocol in message["Subject"]
    body = smtp_settings.body_of(message)
    assert f"http://x.paco.test/dados/gestao/pedidos/{data_request.protocol}/" in body
    assert "http://x.paco.test/gestao/avisos/preferencias/" in body
    assert "Maria" not in body and REQUESTER not in body  # no requester's data in staff mail


def test_forwarding_tells_the_units_servants_not_the_forwarder(
    cast, committed, town_x, unit_x_a, smtp_settings
):
    data_request, _ = committed(
        dr_actions.submit_request,
        town_x,
        title="Frota",
        description="Veículos.",
        name="Maria",
        email=REQUESTER,
    )
    before = len(smtp_settings.messages)
    committed(dr_actions.assign_unit, cast["admin"], data_request, unit_x_a)
    # unit A's data editor and the town-wide one; not B's, not the planner, not the admin
    # who forwarded it, nobody in town Y
    assert addressees(smtp_settings, before) == ["editor.a@x.gov.br", "editor.todo@x.gov.br"]


def test_assignment_tells_only_the_assignee(cast, committed, request_in_a, smtp_settings):
    before = len(smtp_settings.messages)
    committed(dr_actions.assign_servant, cast["admin"], request_in_a, cast["editor_a"])
    assert addressees(smtp_settings, before) == ["editor.a@x.gov.br"]
    assert "Item atribuído a mim" in smtp_settings.messages[-1]["Subject"]
    assert DataRequest.objects.get(pk=request_in_a.pk).assigned_to == cast["editor_a"]
    # assigning to oneself tells nobody
    before = len(smtp_settings.messages)
    committed(dr_actions.assign_servant, cast["town_editor"], request_in_a, cast["town_editor"])
    assert addressees(smtp_settings, before) == []


def test_assignment_permissions(cast, request_in_a, town_x):
    # only a data editor of the request's unit may receive it
    with pytest.raises(ValidationError):
        dr_actions.assign_servant(cast["admin"], request_in_a, cast["editor_b"])
    with pytest.raises(ValidationError):
        dr_actions.assign_servant(cast["admin"], request_in_a, cast["planner_a"])
    # only who handles the request may assign it
    with pytest.raises(PermissionDenied):
        dr_actions.assign_servant(cast["editor_b"], request_in_a, cast["editor_a"])
    assert DataRequest.objects.get(pk=request_in_a.pk).assigned_to is None


def test_deadline_in_n_days_and_passed(cast, committed, town_x, request_in_a, smtp_settings):
    today = today_local()
    set_due(request_in_a, today + datetime.timedelta(days=3))  # the default: 3 days before
    before = len(smtp_settings.messages)
    committed(scan_town, town_x, today)
    told = ["admin@x.gov.br", "editor.a@x.gov.br", "editor.todo@x.gov.br"]
    assert addressees(smtp_settings, before) == told
    assert all("Prazo se aproximando" in m["Subject"] for m in smtp_settings.messages[before:])
    # the scan runs again: nobody is told twice about the same deadline
    before = len(smtp_settings.messages)
    committed(scan_town, town_x, today)
    assert addressees(smtp_settings, before) == []
    # four days away: not yet
    set_due(request_in_a, today + datetime.timedelta(days=4))
    committed(scan_town, town_x, today)
    assert addressees(smtp_settings, before) == []
    # passed
    set_due(request_in_a, today - datetime.timedelta(days=1))
    committed(scan_town, town_x, today)
    assert addressees(smtp_settings, before) == told
    assert all("Prazo vencido" in m["Subject"] for m in smtp_settings.messages[before:])


def test_deadline_of_an_assigned_item_goes_to_the_assignee(
    cast, committed, town_x, request_in_a, smtp_settings
):
    committed(dr_actions.assign_servant, cast["admin"], request_in_a, cast["editor_a"])
    today = today_local()
    set_due(request_in_a, today - datetime.timedelta(days=2))
    before = len(smtp_settings.messages)
    committed(scan_town, town_x, today)
    assert addressees(smtp_settings, before) == ["editor.a@x.gov.br"]


def test_days_before_per_town_and_per_servant(cast, committed, town_x, request_in_a, smtp_settings):
    from paco.notifications import actions

    today = today_local()
    set_due(request_in_a, today + datetime.timedelta(days=7))
    actions.set_town_days(cast["admin"], town_x, 10)
    actions.set_preferences(cast["editor_a"], town_x, days_before=1)
    before = len(smtp_settings.messages)
    committed(scan_town, town_x, today)
    assert addressees(smtp_settings, before) == ["admin@x.gov.br", "editor.todo@x.gov.br"]
    with pytest.raises(PermissionDenied):
        actions.set_town_days(cast["editor_a"], town_x, 5)


def test_another_towns_servants_are_never_told(
    cast, other_town, committed, town_x, request_in_a, smtp_settings
):
    committed(dr_actions.assign_servant, cast["admin"], request_in_a, cast["editor_a"])
    set_due(request_in_a, today_local() - datetime.timedelta(days=1))
    committed(scan_town, town_x, today_local())
    everyone = {str(m["To"]) for m in smtp_settings.messages}
    assert not everyone & {u.email for u in other_town}
    assert not Notification.objects.filter(recipient__in=other_town).exists()
    assert not Notification.objects.filter(recipient=cast["planner_a"]).exists()
    assert not Notification.objects.filter(recipient=cast["editor_b"]).exists()


def test_in_app_notices_for_servants_without_email(
    committed, town_x, unit_x_a, admin_x, data_editor_x, smtp_settings
):
    """A servant without an e-mail address still gets the notice in the app."""
    data_request, _ = committed(
        dr_actions.submit_request,
        town_x,
        title="Frota",
        description="Veículos.",
        name="Maria",
        email=REQUESTER,
    )
    committed(dr_actions.assign_unit, admin_x, data_request, unit_x_a)
    notice = Notification.objects.get(recipient=data_editor_x)
    assert notice.kind == Kind.NEW_ITEM and notice.email_state == EmailState.NONE
    assert addressees(smtp_settings) == []
