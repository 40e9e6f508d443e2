"""The Django admin speaks like the rest of the staff pages: "Alterar", no "outro(a)",
no upper-case headings, the audit trail in sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_change_page_says_alterar_and_adds_without_outro_a(client_for, town_x, admin_x, some_work):
    stage = some_work["plan"].stages.first()
    html = (
        client_for(admin_x, town_x).get(f"/gestao/plans/stage/{stage.pk}/change/").content.decode()
    )
    assert "Modificar" not in html and "outro(a)" not in html
    listing = client_for(admin_x, town_x).get("/gestao/plans/stage/").content.decode()
    assert "Modificar" not in listing


def test_breadcrumbs_lead_to_my_work(client_for, town_x, admin_x):
    html = client_for(admin_x, town_x).get("/gestao/plans/stage/").content.decode()
    assert "Minha mesa" in html


def test_admin_headings_are_not_upper_cased():
    css = Path(finders.find("workspace/workspace.css")).read_text()
    assert "body.ws-admin * { text-transform: none !important;" in css


def test_audit_trail_in_sentences(client_for, town_x, admin_x, some_work):
    html = client_for(admin_x, town_x).get("/gestao/audit/auditentry/").content.decode()
    assert "Importou o cronograma" in html or "cronograma" in html.lower()
    assert "plans.import" not in html
