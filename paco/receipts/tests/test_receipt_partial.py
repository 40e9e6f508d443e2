"""receipts/_receipt.html, the receipt embedded in a case page: complete, escaped, with its
QR code."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from django.template.loader import render_to_string
from PIL import Image

from paco.receipts import presentation
from paco.receipts.models import Receipt
from paco.receipts.tests.conftest import EXPLANATION

pytestmark = pytest.mark.django_db


def test_the_partial_shows_the_whole_receipt(receipt_x):
    html = render_to_string("receipts/_receipt.html", {"receipt": receipt_x, "pdf_url": "/x.pdf"})
    for expected in (
        "Comprovante de solicitação",
        "12345.000042/2026-19",
        "02/03/2026 às 14:05:09 (horário de Brasília)",
        'datetime="2026-03-02T14:05:09-03:00"',
        "Maria da Conceição Araújo",
        "Como o prazo foi calculado",
        EXPLANATION[2],
        receipt_x.display_code,
        receipt_x.content_sha256,
        f'href="/verificar/{receipt_x.display_code}/"',
        f"http://x.paco.test/verificar/{receipt_x.display_code}/",
        'href="/x.pdf"',
        'role="img" aria-label="Código QR',
    ):
        assert expected in html, expected
    assert "<svg" in html and 'class="qr-comprovante"' in html
    assert "style=" not in html  # strict CSP


def test_without_a_pdf_address_there_is_no_pdf_link(receipt_x):
    html = render_to_string("receipts/_receipt.html", {"receipt": receipt_x})
    assert "PDF" not in html


def test_typed_markup_is_shown_as_text(issue, town_x):
    receipt = issue(town_x, lines=[("<i>Rótulo</i>", '<script>alert(1)</script>\n"linha 2"')])
    html = render_to_string("receipts/_receipt.html", {"receipt": receipt})
    assert "<script>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&quot;linha 2&quot;" in html


def test_the_svg_qr_code_reads_as_the_verification_address(receipt_x):
    html = render_to_string("receipts/_receipt.html", {"receipt": receipt_x})
    url = receipt_x.verification_url
    qr = presentation.qr_code(url)
    assert presentation.qr_svg(url) in html  # the symbol drawn is this one…
    picture = io.BytesIO()
    qr.save(picture, kind="png", scale=6, border=4)
    found = zxingcpp.read_barcodes(Image.open(picture))  # …and it reads as the address
    assert [b.text for b in found] == [f"http://x.paco.test/verificar/{receipt_x.display_code}/"]


def test_with_the_requests_town_the_partial_costs_no_query(
    receipt_x, town_x, django_assert_num_queries
):
    receipt = Receipt.objects.get(pk=receipt_x.pk)
    town_x.remember_hosts(["x.paco.test"])  # as the host middleware hands it to views
    receipt.municipality = town_x
    with django_assert_num_queries(0):
        html = render_to_string("receipts/_receipt.html", {"receipt": receipt})
    assert html.count("http://x.paco.test/verificar/") == 1
