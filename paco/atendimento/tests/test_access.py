"""The access matrix: who reaches a case, its files and its requester's identity."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from paco.atendimento.actions import Requester
from paco.atendimento.models import IdentityMode, Kind
from paco.audit.models import AuditEntry
from paco.citizens.models import PersonalDataView
from paco.notifications.models import Notification

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def case_a(town_x, unit_x_a, citizen_a, open_for):
    citizen_a.email = "a@example.org"
    citizen_a.save()
    return open_for(
        town_x,
        unit_x_a,
        requester=Requester(name="Cidadã A", document="RG 1", citizen=citizen_a),
        files=[SimpleUploadedFile("oficio.pdf", PDF)],
    ).case


def _page(case):
    return f"/atendimento/{case.slug}/"


def _staff(case):
    return f"/gestao/atendimento/{case.slug}/"


def _file(case, staff=False):
    pk = case.attachments.get().pk
    return (_staff(case) if staff else _page(case)) + f"arquivos/{pk}/"


def test_the_citizen_page_and_file_answer_only_the_owner(
    case_a, client_for, citizen_a, citizen_b, attendant_x, town_x, town_y, admin_y
):
    owner = client_for(citizen_a, town_x)
    assert owner.get(_page(case_a)).status_code == 200
    download = owner.get(_file(case_a))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF
    for who, town in [
        (citizen_b, town_x),
        (None, town_x),
        (attendant_x, town_x),  # staff work on the staff page, not as the requester
        (admin_y, town_y),
        (citizen_a, town_y),  # another town: the case does not exist there
    ]:
        client = client_for(who, town)
        assert client.get(_page(case_a)).status_code == 404, who
        assert client.get(_file(case_a)).status_code == 404, who


def test_staff_pages_answer_the_units_staff_and_say_why_to_the_others(
    case_a,
    client_for,
    town_x,
    town_y,
    attendant_x,
    attendant_x_root,
    attendant_x_other,
    plain_staff_x,
    admin_x,
    admin_y,
    citizen_a,
):
    for who in (attendant_x, attendant_x_root, admin_x):
        client = client_for(who, town_x)
        assert client.get(_staff(case_a)).status_code == 200, who
        assert client.get(_file(case_a, staff=True)).status_code == 200, who
    for who in (attendant_x_other, plain_staff_x):
        response = client_for(who, town_x).get(_staff(case_a))
        assert response.status_code == 403, who
        assert "Atendente" in response.content.decode()
        assert client_for(who, town_x).get(_file(case_a, staff=True)).status_code == 403
    for who, town in [(citizen_a, town_x), (admin_y, town_x), (admin_y, town_y)]:
        assert client_for(who, town).get(_staff(case_a)).status_code == 404, (who, town)
    assert client_for(None, town_x).get(_staff(case_a)).status_code == 302  # to the login


def test_the_inbox_lists_only_the_units_cases(
    town_x, unit_x_a, unit_x_b, open_for, client_for, attendant_x, attendant_x_other
):
    mine = open_for(town_x, unit_x_a, subject="Assunto da unidade A").case
    other = open_for(town_x, unit_x_b, subject="Assunto da unidade B").case
    page = client_for(attendant_x, town_x).get("/gestao/atendimento/").content.decode()
    assert mine.number in page and other.number not in page
    page = client_for(attendant_x_other, town_x).get("/gestao/atendimento/").content.decode()
    assert other.number in page and mine.number not in page


def test_a_preserved_identity_shows_only_to_the_ouvidoria(
    town_x, unit_x_a, open_for, client_for, attendant_x, ombudsman_x, admin_x
):
    case = open_for(
        town_x,
        unit_x_a,
        kind=Kind.OMBUDSMAN,
        ombudsman_type="reclamacao",
        identity_mode=IdentityMode.PRESERVED,
        requester=Requester(name="Joana Preservada", email="joana@example.org"),
    ).case
    for who in (attendant_x, admin_x):
        page = client_for(who, town_x).get(_staff(case)).content.decode()
        assert "Joana" not in page and "joana@example.org" not in page
        assert "Identidade preservada" in page
    page = client_for(ombudsman_x, town_x).get(_staff(case)).content.decode()
    assert "Joana Preservada" in page
    # the notices to the unit carry the number and kind only
    titles = " ".join(Notification.objects.values_list("title", flat=True))
    assert case.number in titles and "Joana" not in titles
    # the view of the identity is logged; the hidden ones are not
    logged = AuditEntry.objects.filter(action="case.view_personal_data")
    assert list(logged.values_list("actor__username", flat=True)) == ["ouvidor_x"]


def test_a_staff_view_of_an_account_holders_case_shows_in_their_meus_dados(
    case_a, client_for, town_x, attendant_x, citizen_a
):
    client_for(attendant_x, town_x).get(_staff(case_a))
    view = PersonalDataView.objects.get()
    assert (view.viewer, view.citizen, view.municipality) == (attendant_x, citizen_a, town_x)
    assert case_a.number in view.context and "Cidadã" not in view.context
    page = client_for(citizen_a, town_x).get("/conta/meus-dados/").content.decode()
    assert case_a.number in page


def test_a_staff_view_of_a_requester_without_account_is_in_the_audit_trail(
    town_x, unit_x_a, open_for, client_for, attendant_x
):
    case = open_for(town_x, unit_x_a, requester=Requester(name="Sem Conta", email="s@e.org")).case
    client_for(attendant_x, town_x).get(_staff(case))
    entry = AuditEntry.objects.get(action="case.view_personal_data")
    assert entry.actor == attendant_x and entry.object_repr == case.number
    assert "Sem Conta" not in str(entry.changes)


def test_an_anonymous_manifestation_is_followed_with_number_and_code(
    town_x, unit_x_a, open_for, client_for
):
    opened = open_for(
        town_x,
        unit_x_a,
        kind=Kind.OMBUDSMAN,
        identity_mode=IdentityMode.ANONYMOUS,
    )
    case = opened.case
    visitor = client_for(None, town_x)
    assert visitor.get(_page(case)).status_code == 404
    wrong = visitor.post("/protocolo/", {"number": case.number, "code": "AAAA-BBBB-CCCC"})
    missing = visitor.post("/protocolo/", {"number": "23037.001462/2021-65", "code": "X"})
    assert wrong.status_code == missing.status_code == 422
    # no enumeration: an existing number with a wrong code reads like a missing one
    assert _errors(wrong) == _errors(missing)
    bad = visitor.post("/protocolo/", {"number": "23037.001462/2021-66", "code": "X"})
    assert "dígitos verificadores" in bad.content.decode()
    right = visitor.post("/protocolo/", {"number": case.number, "code": opened.access_code})
    assert right.status_code == 302 and right["Location"] == _page(case)
    assert visitor.get(_page(case)).status_code == 200
    # another browser still knows nothing
    assert client_for(None, town_x).get(_page(case)).status_code == 404


def _errors(response):
    text = response.content.decode()
    start = text.index('role="alert"')
    return text[start : start + 300]


def test_lookups_are_rate_limited(town_x, client_for, monkeypatch):
    monkeypatch.setattr("paco.atendimento.views.LOOKUP_LIMIT", 2)
    visitor = client_for(None, town_x)
    codes = [
        visitor.post("/protocolo/", {"number": "23037.001462/2021-65", "code": "X"}).status_code
        for _ in range(3)
    ]
    assert codes == [422, 422, 429]
