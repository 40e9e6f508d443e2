"""Every case gets an electronic receipt (Lei 14.129 art. 8), verifiable at /verificar/."""

from __future__ import annotations

import pytest

from paco.atendimento.actions import Requester
from paco.receipts.models import Receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_a(town_x, unit_x_a, citizen_a, open_for):
    return open_for(
        town_x,
        unit_x_a,
        requester=Requester(name="Cidadã A", document="RG 1", citizen=citizen_a),
    ).case


def test_opening_a_case_issues_its_receipt_without_personal_data_in_the_summary(case_a):
    receipt = Receipt.objects.for_municipality(case_a.municipality).for_subject(case_a).get()
    assert receipt.number == case_a.number
    assert receipt.is_intact()
    assert "Cidadã" not in receipt.public_summary and case_a.subject not in receipt.public_summary
    assert any(line["value"] == case_a.subject for line in receipt.lines)


def test_the_receipt_is_verifiable_by_anyone_with_its_code(case_a, client_for, town_x):
    receipt = Receipt.objects.for_municipality(town_x).for_subject(case_a).get()
    page = client_for(None, town_x).get(receipt.verification_path)
    assert page.status_code == 200 and case_a.number in page.content.decode()


def test_the_pdf_receipt_is_only_for_who_may_follow_the_case(
    case_a, client_for, town_x, town_y, citizen_a, citizen_b
):
    url = f"/atendimento/{case_a.slug}/comprovante.pdf"
    mine = client_for(citizen_a, town_x).get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert b"".join(mine.streaming_content if mine.streaming else [mine.content])[:5] == b"%PDF-"
    assert client_for(citizen_b, town_x).get(url).status_code == 404
    assert client_for(None, town_x).get(url).status_code == 404
    assert client_for(citizen_a, town_y).get(url).status_code == 404


def test_the_citizens_cases_are_in_meus_dados_and_its_export(case_a, client_for, town_x, citizen_a):
    page = client_for(citizen_a, town_x).get("/conta/meus-dados/").content.decode()
    assert "Seus atendimentos" in page and case_a.number in page
    export = client_for(citizen_a, town_x).get("/conta/meus-dados/meus-dados.json")
    assert case_a.subject in export.content.decode()
