"""Uploads are judged by content and size; a hostile file is refused next to its field."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from paco.atendimento.models import Case
from paco.requestforms import files
from paco.requestforms.models import DraftFile
from paco.requestforms.tests.conftest import PDF, png

pytestmark = pytest.mark.django_db


def check(data: bytes, allowed=("pdf", "jpeg", "png"), max_mb=1):
    return files.check(io.BytesIO(data), len(data), allowed=list(allowed), max_mb=max_mb)


def test_real_pdf_and_png_pass_with_their_digest():
    assert check(PDF).kind == "pdf"
    result = check(png())
    assert result.kind == "png" and result.content_type == "image/png" and len(result.sha256) == 64


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "não é PDF, JPEG ou PNG"),
        (b"<html><script>alert(1)</script></html>", "não é PDF, JPEG ou PNG"),
        (b"%PDF-1.4\nsem fim", "incompleto ou danificado"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "danificada"),
        (b"", "vazio"),
    ],
)
def test_what_is_not_a_document_is_refused_in_portuguese(data, message):
    with pytest.raises(files.Refused, match=message):
        check(data)


def test_a_pdf_with_an_archive_hidden_inside_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.exe", b"MZ")
    with pytest.raises(files.Refused, match="escondido"):
        check(PDF + archive.getvalue() + b"\n%%EOF\n")


def test_a_decompression_bomb_is_refused_without_decoding_it():
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")  # 144 Mpx, a few KB on disk
    assert len(out.getvalue()) < 100_000
    with pytest.raises(files.Refused, match="grande demais"):
        check(out.getvalue())


def test_size_and_type_limits_of_the_field():
    with pytest.raises(files.Refused, match="limite deste campo é 1 MB"):
        check(PDF + b"0" * (1024 * 1024), max_mb=1)
    with pytest.raises(files.Refused, match="não é JPEG ou PNG"):
        check(PDF, allowed=("jpeg", "png"))


def test_a_hostile_upload_is_refused_next_to_the_field_and_nothing_typed_is_lost(anon_x, lighting):
    fake = SimpleUploadedFile("foto.png", b"MZ\x90\x00 executable", content_type="image/png")
    response = anon_x.post(
        reverse("requestforms:request", args=[lighting.slug]),
        {"acao": "enviar", "nome": "Ana", "descricao": "Texto que não se perde",
         "campo_problema": "Apagada", "endereco": "Rua B", "campo_tem-foto": "sim",
         "campo_foto": fake},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_campo_foto_error"' in page and "não é JPEG ou PNG" in page
    assert "Texto que não se perde" in page and 'value="Rua B"' in page
    assert not Case.objects.exists() and not DraftFile.objects.exists()
