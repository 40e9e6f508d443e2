"""Files checked by content: accepted types pass; hostile files are refused and change nothing."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from paco.atendimento import uploads
from paco.atendimento.actions import Requester
from paco.atendimento.models import Attachment, Case, CaseEvent

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png(width=4, height=4):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


def _png_header_only(width, height):
    """A PNG that declares a huge size in its header (a "pixel flood"), a few bytes long."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 10))
        + chunk(b"IEND", b"")
    )


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _docx():
    return _zip([("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")])


def _odt():
    return _zip([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>")])


def _file(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.bin", PDF, uploads.PDF),
        ("foto", _png(), uploads.PNG),
        ("x.docx", _docx(), uploads.DOCX),
        ("y.odt", _odt(), uploads.ODT),
    ],
)
def test_accepted_types_are_recognised_by_content(name, content, kind):
    assert uploads.check(_file(name, content)).content_type == kind


def test_jpeg_is_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    assert uploads.check(_file("f.jpg", buffer.getvalue())).content_type == uploads.JPEG


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "não é de um tipo aceito"),
        (b"MZ\x90\x00executavel", "não é de um tipo aceito"),
        (PDF + _zip([("a.txt", "oi")]), "dois tipos ao mesmo tempo"),  # PDF + zip polyglot
        (b"%PDF-1.4 <html><script>x</script>", "dois tipos ao mesmo tempo"),
        (_png_header_only(50_000, 50_000), "milhões de pixels"),
        (_zip([("a.txt", "x" * 10_000_000)]), "bomba de compactação"),
        (_zip([("a.txt", "só um zip")]), "não um documento de texto"),
        (b"", "vazio"),
    ],
)
def test_hostile_files_are_refused_with_a_clear_message(content, message):
    with pytest.raises(ValidationError) as info:
        uploads.check(_file("arquivo.pdf", content))
    assert message in " ".join(info.value.messages)


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="limite"):
        uploads.check(_file("grande.pdf", PDF + b"0" * 200))


def test_a_refused_file_changes_nothing(town_x, unit_x_a, open_for):
    with pytest.raises(ValidationError):
        open_for(
            town_x,
            unit_x_a,
            requester=Requester(name="Maria", document="RG"),
            files=[_file("ok.pdf", PDF), _file("bomba.docx", _zip([("a", "x" * 10_000_000)]))],
        )
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    assert not Attachment.objects.exists()


def test_the_form_shows_the_refusal_next_to_the_field(town_x, client_for):
    response = client_for(None, town_x).post(
        "/atendimento/novo/informacao/",
        {
            "subject": "Contratos",
            "description": "Quero os contratos.",
            "name": "Maria",
            "document": "RG 1",
            "documents": [_file("virus.pdf", b"MZ\x90\x00")],
        },
    )
    assert response.status_code == 422
    assert "não é de um tipo aceito" in response.content.decode()
    assert 'value="Contratos"' in response.content.decode()  # nothing typed is lost
    assert not Case.objects.exists()
