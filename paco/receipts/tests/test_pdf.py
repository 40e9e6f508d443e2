"""The PDF receipt: the number and accents as text, local time, the brasão, a QR code that reads."""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest
import zxingcpp
from django.core.files.base import ContentFile
from PIL import Image

from paco.receipts.pdf import pdf_response, render_pdf

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def first_page_image(data: bytes, scale: float = 3) -> Image.Image:
    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].render(scale=scale).to_pil()
    finally:
        document.close()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_says_everything_with_its_accents(receipt_x, town_x):
    data = render_pdf(receipt_x)
    assert data.startswith(b"%PDF-")
    text = flat(pdf_text(data))
    for expected in (
        "Prefeitura Municipal de Xanxerê do Teste – SC",
        "Comprovante de solicitação",
        "Número: 12345.000042/2026-19",
        "Emitido em 02/03/2026 às 14:05:09 (horário de Brasília)",
        "Poda da sibipiruna em frente ao número 120",
        "Maria da Conceição Araújo",
        "Secretaria de Obras e Serviços Públicos",
        "Como o prazo foi calculado",
        "O 30º dia, 01/04/2026, é dia útil: o prazo termina nele.",
        receipt_x.display_code,
        receipt_x.content_sha256,
        "Lei nº 14.129/2021, art. 8º",
    ):
        assert expected in text, expected


def test_the_qr_code_reads_as_the_towns_verification_address(receipt_x, town_x):
    found = zxingcpp.read_barcodes(first_page_image(render_pdf(receipt_x)))
    assert [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode] == [
        f"http://x.paco.test/verificar/{receipt_x.display_code}/"
    ]


def test_in_production_the_address_is_https(receipt_x, settings):
    settings.PRODUCTION = True
    assert receipt_x.verification_url == f"https://x.paco.test/verificar/{receipt_x.display_code}/"


def test_the_brasao_is_drawn_when_the_town_has_one(receipt_x, town_x, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    without = render_pdf(receipt_x)
    picture = io.BytesIO()
    Image.new("RGB", (120, 150), (12, 74, 138)).save(picture, "PNG")
    town_x.logo.save("brasao.png", ContentFile(picture.getvalue()), save=True)
    with_logo = render_pdf(receipt_x)
    assert b"/Subtype /Image" in with_logo and b"/Subtype /Image" not in without
    # the brasão's blue shows in the top-left corner of the page
    corner = first_page_image(with_logo, scale=1).crop((40, 30, 110, 110))
    assert (12, 74, 138) in {pixel[:3] for pixel in corner.getdata()}


def test_a_broken_brasao_does_not_cost_the_receipt(receipt_x, town_x, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    town_x.logo.save("brasao.png", ContentFile(b"\x89PNG not really"), save=True)
    assert "12345.000042/2026-19" in pdf_text(render_pdf(receipt_x))


def test_the_same_receipt_renders_to_the_same_bytes(receipt_x):
    assert render_pdf(receipt_x) == render_pdf(receipt_x)


def test_pdf_response_is_private_and_named_safely(receipt_x):
    response = pdf_response(receipt_x, f"comprovante {receipt_x.number}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="comprovante-12345.000042-2026-19.pdf"'
    )
    hostile = pdf_response(receipt_x, 'a"b\r\nção; filename=x')
    assert hostile["Content-Disposition"] == 'inline; filename="abcao-filenamex.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")
