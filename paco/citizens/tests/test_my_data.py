"""Meus dados: the sections, who viewed the data, the JSON export, the deletion request,
and the access matrix (a citizen reaches only their own data; staff pages by role)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from paco.accounts.models import User
from paco.audit.models import AuditEntry
from paco.citizens import mydata
from paco.citizens.actions import record_personal_data_view, request_deletion
from paco.citizens.models import DeletionRequest, DeletionStatus, PersonalDataView
from paco.citizens.tests.helpers import PASSWORD, make_citizen


@pytest.fixture
def ana(db: Any) -> User:
    return make_citizen("Ana Souza", "ana@exemplo.org", cpf="52998224725", phone="49999991234")


@pytest.fixture
def bruno(db: Any) -> User:
    return make_citizen("Bruno Lima", "bruno@exemplo.org", cpf="11144477735")


@pytest.mark.django_db
def test_the_page_shows_the_data_and_who_viewed_it_in_this_town_only(
    town_x: Any, town_y: Any, admin_x: Any, admin_y: Any, ana: User, client_for: Any
) -> None:
    record_personal_data_view(
        municipality=town_x, viewer=admin_x, citizen=ana, context="Solicitação 23037.001462/2021-65"
    )
    record_personal_data_view(
        municipality=town_y, viewer=admin_y, citizen=ana, context="Pedido em outra cidade"
    )
    assert (
        record_personal_data_view(municipality=town_x, viewer=ana, citizen=ana, context="x") is None
    )
    page = client_for(ana, town_x).get("/conta/meus-dados/")
    assert page.status_code == 200
    assert "Ana Souza" in page.text and "529.982.247-25" in page.text
    assert "Solicitação 23037.001462/2021-65" in page.text and "admin_x" in page.text
    assert "Pedido em outra cidade" not in page.text
    assert "Para quê:" in page.text and "Base legal:" in page.text


@pytest.mark.django_db
def test_the_export_has_every_section_and_only_the_citizens_own_data(
    town_x: Any, admin_x: Any, ana: User, bruno: User, client_for: Any
) -> None:
    record_personal_data_view(municipality=town_x, viewer=admin_x, citizen=ana, context="Caso A")
    record_personal_data_view(municipality=town_x, viewer=admin_x, citizen=bruno, context="Caso B")
    answer = client_for(ana, town_x).get("/conta/meus-dados/meus-dados.json")
    assert answer["Content-Disposition"] == 'attachment; filename="meus-dados.json"'
    assert "no-store" in answer["Cache-Control"] or "no-cache" in answer["Cache-Control"]
    data = json.loads(answer.content)
    assert data["secoes"]["conta"]["cpf"] == "52998224725"
    assert data["secoes"]["conta"]["email"] == "ana@exemplo.org"
    assert [v["o_que"] for v in data["secoes"]["acessos"]] == ["Caso A"]
    assert "Bruno" not in answer.content.decode() and "Caso B" not in answer.content.decode()


@pytest.mark.django_db
def test_other_apps_add_sections_through_the_registry(
    town_x: Any, ana: User, client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mydata, "_sections", list(mydata._sections))

    def cases(user: User, municipality: Any) -> mydata.Section:
        return mydata.Section(
            key="pedidos",
            title="Seus pedidos",
            purpose="Atender os seus pedidos.",
            legal_basis="Lei 13.460/2017.",
            table=mydata.Table(
                "Pedidos", ["Número", "Situação"], [["00001.000001/2026-11", "Aberto"]]
            ),
            export=[{"numero": "00001.000001/2026-11"}],
        )

    mydata.register(cases)
    client = client_for(ana, town_x)
    page = client.get("/conta/meus-dados/")
    assert "Seus pedidos" in page.text and 'data-label="Situação">Aberto<' in page.text
    data = json.loads(client.get("/conta/meus-dados/meus-dados.json").content)
    assert data["secoes"]["pedidos"] == [{"numero": "00001.000001/2026-11"}]


@pytest.mark.django_db
def test_the_page_asks_a_fixed_number_of_queries(
    town_x: Any, admin_x: Any, ana: User, client_for: Any
) -> None:
    client = client_for(ana, town_x)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/conta/meus-dados/").status_code == 200
        return len(queries)

    record_personal_data_view(municipality=town_x, viewer=admin_x, citizen=ana, context="Caso 1")
    count()  # caches warmed (content types, the municipality)
    few = count()
    for n in range(20):
        record_personal_data_view(municipality=town_x, viewer=admin_x, citizen=ana, context=f"C{n}")
    assert count() == few


@pytest.mark.django_db
def test_deletion_request_and_its_answer(
    town_x: Any, admin_x: Any, ana: User, client_for: Any, mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    citizen = client_for(ana, town_x)
    refused = citizen.post("/conta/meus-dados/exclusao/", {"reason": "Não uso mais"})
    assert refused.status_code == 200 and 'id="id_confirm_error"' in refused.text
    assert "Não uso mais" in refused.text
    sent = citizen.post("/conta/meus-dados/exclusao/", {"reason": "Não uso mais", "confirm": "on"})
    assert sent["Location"] == "/conta/meus-dados/"
    again = citizen.post("/conta/meus-dados/exclusao/", {"confirm": "on"})
    assert "já tem um pedido" in again.text
    deletion = DeletionRequest.objects.get()
    staff = client_for(admin_x, town_x)
    listing = staff.get("/gestao/cidadaos/exclusao/")
    assert listing.status_code == 200 and "Ana Souza" in listing.text
    prefix = f"p{deletion.pk}"
    missing = staff.post(
        "/gestao/cidadaos/exclusao/", {"pedido": deletion.pk, f"{prefix}-outcome": "done"}
    )
    assert missing.status_code == 200 and "Escreva a resposta" in missing.text
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post(
            "/gestao/cidadaos/exclusao/",
            {
                "pedido": deletion.pk,
                f"{prefix}-outcome": "done",
                f"{prefix}-answer": "Dados excluídos.",
            },
        )
    assert done.status_code == 302
    deletion.refresh_from_db()
    assert deletion.status == DeletionStatus.DONE and deletion.handled_by == admin_x
    ana.refresh_from_db()
    assert not ana.is_active and ana.email == "" and not ana.has_usable_password()
    assert ana.citizen_profile.cpf == "" and ana.citizen_profile.phone == ""
    (message,) = mailoutbox
    assert message.to == ["ana@exemplo.org"] and "Dados excluídos." in message.body
    assert (
        Client(HTTP_HOST="x.paco.test")
        .post("/conta/acesso/", {"login": "ana@exemplo.org", "password": PASSWORD})
        .status_code
        == 200
    )  # the account is closed
    codes = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"citizen.deletion_request", "citizen.deletion_resolve", "citizen.erase"} <= codes
    for entry in AuditEntry.objects.all():
        assert "52998224725" not in str(entry.changes) + entry.object_repr
        assert "ana@exemplo.org" not in str(entry.changes) + entry.object_repr


@pytest.mark.django_db
def test_staff_page_access_matrix(
    town_x: Any, town_y: Any, admin_x: Any, admin_y: Any, plain_staff_x: Any, ana: User,
    client_for: Any, anon_x: Client,
) -> None:  # fmt: skip
    request_deletion(ana, town_x, reason="")
    page = "/gestao/cidadaos/exclusao/"
    assert client_for(admin_x, town_x).get(page).status_code == 200
    assert client_for(plain_staff_x, town_x).get(page).status_code == 403
    assert client_for(ana, town_x).get(page).status_code == 404
    assert client_for(admin_y, town_x).get(page).status_code == 404
    other = client_for(admin_y, town_y).get(page)
    assert other.status_code == 200 and "Ana Souza" not in other.text
    assert anon_x.get(page).status_code == 302
    deletion = DeletionRequest.objects.get()
    forged = client_for(admin_y, town_y).post(
        page,
        {"pedido": deletion.pk, f"p{deletion.pk}-outcome": "done", f"p{deletion.pk}-answer": "x"},
    )
    assert forged.status_code == 404
    deletion.refresh_from_db()
    assert deletion.status == DeletionStatus.PENDING


@pytest.mark.django_db
def test_citizen_b_never_sees_citizen_a(
    town_x: Any, admin_x: Any, ana: User, bruno: User, client_for: Any
) -> None:
    record_personal_data_view(
        municipality=town_x, viewer=admin_x, citizen=ana, context="Caso da Ana"
    )
    request_deletion(ana, town_x, reason="motivo da Ana")
    client = client_for(bruno, town_x)
    for page in ("/conta/", "/conta/meus-dados/", "/conta/meus-dados/meus-dados.json"):
        text = client.get(page).content.decode()
        assert "Ana" not in text and "52998224725" not in text and "529.982.247-25" not in text
    assert PersonalDataView.objects.count() == 1


@pytest.mark.django_db
def test_the_cast_citizens_are_citizens(
    town_x: Any, citizen_a: User, citizen_b: User, client_for: Any
) -> None:
    page = client_for(citizen_a, town_x).get("/conta/meus-dados/")
    assert page.status_code == 200 and "529.982.247-25" in page.text
    assert "529.982.247-25" not in client_for(citizen_b, town_x).get("/conta/meus-dados/").text
