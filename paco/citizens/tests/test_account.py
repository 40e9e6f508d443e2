"""Minha conta: the citizen edits phone and channel (audited, nothing personal in the trail)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from paco.audit.models import AuditEntry
from paco.citizens.models import Channel
from paco.citizens.tests.helpers import make_citizen


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_citizens_login(town_x: Any, anon_x: Client) -> None:
    for page in ("/conta/", "/conta/meus-dados/", "/conta/meus-dados/meus-dados.json"):
        answer = anon_x.get(page)
        assert answer.status_code == 302 and answer["Location"].startswith("/conta/acesso/?next=")


@pytest.mark.django_db
def test_edit_phone_and_channel(town_x: Any, client_for: Any) -> None:
    user = make_citizen("Ana", "ana@exemplo.org", cpf="52998224725")
    client = client_for(user, town_x)
    page = client.get("/conta/")
    assert "ana@exemplo.org" in page.text and "529.982.247-25" in page.text
    answer = client.post("/conta/", {"phone": "(49) 98888-7777", "channel": Channel.APP})
    assert answer["Location"] == "/conta/"
    user.citizen_profile.refresh_from_db()
    assert user.citizen_profile.phone == "(49) 98888-7777"
    assert user.citizen_profile.preferred_channel == Channel.APP
    entry = AuditEntry.objects.get(action="citizen.update")
    assert "98888" not in str(entry.changes) and entry.actor == user


@pytest.mark.django_db
def test_a_bad_phone_is_refused_next_to_the_field(town_x: Any, client_for: Any) -> None:
    client = client_for(make_citizen("Ana", "ana@exemplo.org"), town_x)
    answer = client.post("/conta/", {"phone": "12", "channel": Channel.EMAIL})
    assert answer.status_code == 200
    assert 'id="id_phone_error"' in answer.text and 'value="12"' in answer.text
