"""/verificar/: genuine codes confirmed, typos caught without a query, no enumeration, no leak."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from paco.receipts import codes, views
from paco.receipts.models import Receipt

pytestmark = pytest.mark.django_db


def typo_of(code: str) -> str:
    """The displayed code with one symbol changed: the check symbol catches it."""
    wrong = "1" if code[0] != "1" else "2"
    return codes.formatted(wrong + code[1:])


def test_the_form_is_a_get_form_with_its_help(anon_x, town_x):
    response = anon_x.get("/verificar/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="get"' in html and 'name="codigo"' in html
    assert 'aria-describedby="id_codigo_helptext"' in html
    assert "7KQ2-M9XD-4TPB-R3H3" in html
    assert response["X-Robots-Tag"] == "noindex"


def test_the_form_sends_a_typed_code_to_its_canonical_address(anon_x, receipt_x):
    typed = receipt_x.display_code.lower().replace("-", " ")
    response = anon_x.get("/verificar/", {"codigo": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/verificar/{receipt_x.display_code}/"
    again = anon_x.get(f"/verificar/{receipt_x.code.lower()}/")
    assert again.status_code == 302 and again["Location"] == f"/verificar/{receipt_x.display_code}/"


def test_a_genuine_code_shows_the_public_summary_only(anon_x, receipt_x, town_x):
    response = anon_x.get(receipt_x.verification_path)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Comprovante autêntico" in html
    assert "12345.000042/2026-19" in html
    assert "02/03/2026 às 14:05:09 (horário de Brasília)" in html
    assert receipt_x.content_sha256 in html
    assert "Solicitação de serviço (Poda de árvore) recebida pela Secretaria de Obras." in html
    assert town_x.display_name in html
    for private in (
        "Maria",
        "Araújo",
        "529.982.247-25",
        "sibipiruna",
        "Comprovante de solicitação",
    ):
        assert private not in html
    assert response["Referrer-Policy"] == "no-referrer"


def test_personal_data_slipped_into_the_summary_is_masked(anon_x, issue, town_x):
    receipt = issue(town_x, public_summary="Pedido de CPF 529.982.247-25, maria@exemplo.org.")
    html = anon_x.get(receipt.verification_path).content.decode()
    assert "529.982.247-25" not in html and "maria@exemplo.org" not in html


def test_a_typo_is_answered_without_a_query(anon_x, receipt_x):
    anon_x.get("/verificar/")  # the host map is cached from here on
    with CaptureQueriesContext(connection) as queries:
        response = anon_x.get(f"/verificar/{typo_of(receipt_x.display_code)}/")
        short = anon_x.get("/verificar/", {"codigo": "7KQ2-M9XD"})
    assert [q["sql"] for q in queries.captured_queries] == []
    html = response.content.decode()
    assert response.status_code == 400
    assert "algum caractere foi digitado errado" in html
    assert 'aria-invalid="true"' in html and 'id="id_codigo_erro"' in html
    assert short.status_code == 400 and "você digitou 8" in short.content.decode()


def test_a_genuine_code_costs_one_query(anon_x, receipt_x, django_assert_num_queries):
    anon_x.get("/verificar/")
    with django_assert_num_queries(1):
        assert anon_x.get(receipt_x.verification_path).status_code == 200


def _shape(html: str, code: str) -> str:
    return re.sub(r"csrfmiddlewaretoken|[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", "", html)


def test_unknown_and_other_town_codes_get_the_same_not_found(anon_x, client_for, receipt_x, town_y):
    unknown = codes.formatted(codes.new_code())
    anon_x.get("/verificar/")
    with CaptureQueriesContext(connection) as for_unknown:
        missing = anon_x.get(f"/verificar/{unknown}/")
    # receipt_x belongs to X: asked on Y's address it does not exist
    client_y = client_for(None, town_y)
    client_y.get("/verificar/")
    with CaptureQueriesContext(connection) as for_other_town:
        elsewhere = client_y.get(receipt_x.verification_path)
    assert missing.status_code == elsewhere.status_code == 404
    assert len(for_unknown.captured_queries) == len(for_other_town.captured_queries) == 1
    assert "Comprovante não encontrado" in missing.content.decode()
    other = elsewhere.content.decode()
    assert "Comprovante não encontrado" in other and receipt_x.content_sha256 not in other
    assert "12345.000042/2026-19" not in other
    same_town_y = client_y.get(f"/verificar/{unknown}/").content.decode()
    assert _shape(other, receipt_x.display_code) == _shape(same_town_y, unknown)


def test_look_ups_are_rate_limited_per_address(anon_x, receipt_x, monkeypatch):
    monkeypatch.setattr(views, "LIMIT", 3)
    unknown = codes.formatted(codes.new_code())
    statuses = [anon_x.get(f"/verificar/{unknown}/").status_code for _ in range(3)]
    assert statuses == [404, 404, 404]
    blocked = anon_x.get(receipt_x.verification_path)
    assert blocked.status_code == 429
    assert "Muitas verificações feitas deste endereço" in blocked.content.decode()
    assert receipt_x.content_sha256 not in blocked.content.decode()
    other_address = anon_x.get(receipt_x.verification_path, REMOTE_ADDR="203.0.113.9")
    assert other_address.status_code == 200


def test_a_tampered_receipt_is_flagged(anon_x, receipt_x):
    Receipt.objects.filter(pk=receipt_x.pk).update(number="99999.999999/2026-00")
    html = anon_x.get(receipt_x.verification_path).content.decode()
    assert "Comprovante com conteúdo alterado" in html
    assert "Comprovante autêntico" not in html


def test_only_get_is_answered(anon_x, receipt_x):
    assert anon_x.post(receipt_x.verification_path).status_code == 405
