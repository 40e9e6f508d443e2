"""Files sent with a case: checked by content, limited in size, stored privately.

A file is accepted only when its bytes are one of the types below (the name and
the browser's declared type are ignored), and refused with a pt-BR message saying
why otherwise — before anything is written, so a refused file changes nothing:

- PDF (``%PDF-`` at the start), PNG and JPEG (by signature; the image's declared
  size is read from its header and refused past :data:`MAX_PIXELS`, so a
  "pixel flood" never reaches a decoder);
- ODT and DOCX (a zip with their marker parts); the zip's directory is read, not
  its content, and refused past :data:`MAX_ENTRIES` entries, :data:`MAX_UNZIPPED`
  bytes in total, or a compression ratio above :data:`MAX_RATIO` (zip bombs);
- a PDF or image that is also a zip (a polyglot: a valid end-of-directory record)
  or that starts like an HTML page is refused.

Files are stored under a digest name in the default storage and served only by
:func:`paco.atendimento.views.attachment` after the access check (never from a
public media address), as downloads with ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image

from paco.accounts.models import User
from paco.atendimento.models import Attachment, Case, CaseEvent

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
MAX_PIXELS = 40_000_000
MAX_ENTRIES = 2_000
MAX_UNZIPPED = 60 * 1024 * 1024
MAX_RATIO = 100

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", ODT: "odt", DOCX: "docx"}
ACCEPTED = "PDF, PNG, JPEG, ODT ou DOCX"
HTML_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")


@dataclass(frozen=True)
class Checked:
    name: str
    content: bytes
    content_type: str


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _read(upload: Any) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            f"O arquivo “{upload.name}” tem {_mb(size)}; o limite é {_mb(MAX_BYTES)}."
        )
    upload.seek(0)
    content = bytes(upload.read(MAX_BYTES + 1))
    if len(content) > MAX_BYTES:
        raise ValidationError(f"O arquivo “{upload.name}” passa do limite de {_mb(MAX_BYTES)}.")
    if not content:
        raise ValidationError(f"O arquivo “{upload.name}” está vazio.")
    return content


def _sniff(content: bytes) -> str:
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return "zip"
    return ""


def _is_zip(content: bytes) -> bool:
    try:
        return zipfile.is_zipfile(io.BytesIO(content))
    except Exception:  # a damaged directory is not a zip either
        return False


def _too_big(name: str, width: int, height: int) -> ValidationError:
    return ValidationError(
        f"A imagem “{name}” declara {width} × {height} pixels; o limite é "
        f"{MAX_PIXELS // 1_000_000} milhões de pixels. Reduza a imagem e envie de novo."
    )


def _check_image(name: str, content: bytes) -> None:
    if content.startswith(b"\x89PNG") and len(content) >= 24:  # IHDR: width, height
        width, height = int.from_bytes(content[16:20]), int.from_bytes(content[20:24])
        if width * height > MAX_PIXELS:
            raise _too_big(name, width, height)
    try:
        with Image.open(io.BytesIO(content)) as image:  # reads the header only
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_big(name, width, height)
            image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            f"A imagem “{name}” é grande demais ({MAX_PIXELS // 1_000_000} milhões de pixels "
            "no máximo). Reduza a imagem e envie de novo."
        ) from exc
    except Exception as exc:
        raise ValidationError(f"A imagem “{name}” está danificada e não pode ser lida.") from exc


def _check_document(name: str, content: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"O arquivo “{name}” está danificado.") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise ValidationError(f"O arquivo “{name}” tem partes demais para um documento.")
        total = 0
        for entry in entries:
            total += entry.file_size
            if entry.file_size > MAX_UNZIPPED or total > MAX_UNZIPPED:
                raise ValidationError(
                    f"O arquivo “{name}” se expande para mais de {_mb(MAX_UNZIPPED)} ao ser "
                    "aberto e foi recusado (possível “bomba de compactação”)."
                )
            if entry.compress_size and entry.file_size / entry.compress_size > MAX_RATIO:
                raise ValidationError(
                    f"O arquivo “{name}” tem uma parte compactada de forma anormal e foi "
                    "recusado (possível “bomba de compactação”)."
                )
        names = {entry.filename for entry in entries}
        if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
            return ODT
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    raise ValidationError(
        f"O arquivo “{name}” é um arquivo compactado, não um documento de texto ({ACCEPTED})."
    )


def check(upload: Any) -> Checked:
    """The file's content and type, or :class:`ValidationError` saying why it is refused."""
    name = str(getattr(upload, "name", "") or "arquivo")[-150:]
    content = _read(upload)
    kind = _sniff(content)
    if not kind:
        raise ValidationError(
            f"O conteúdo de “{name}” não é de um tipo aceito ({ACCEPTED}), "
            "qualquer que seja a extensão do nome."
        )
    if kind == "zip":
        kind = _check_document(name, content)
    else:
        head = content[:1024].lower()
        if _is_zip(content) or any(marker in head for marker in HTML_MARKERS):
            raise ValidationError(
                f"O arquivo “{name}” parece ser de dois tipos ao mesmo tempo e foi recusado. "
                "Salve-o de novo como PDF ou imagem e envie outra vez."
            )
        if kind in (PNG, JPEG):
            _check_image(name, content)
    return Checked(name, content, kind)


def check_all(uploads: list[Any]) -> list[Checked]:
    if len(uploads) > MAX_FILES:
        raise ValidationError(f"Envie no máximo {MAX_FILES} arquivos de cada vez.")
    return [check(u) for u in uploads]


def store(
    case: Case,
    event: CaseEvent | None,
    upload: Any,
    *,
    uploaded_by: User | None,
    public: bool,
) -> Attachment:
    checked = upload if isinstance(upload, Checked) else check(upload)
    digest = hashlib.sha256(checked.content).hexdigest()
    attachment = Attachment(
        municipality_id=case.municipality_id,
        case=case,
        event=event,
        name=checked.name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=digest,
        public=public,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(
        f"{digest}.{EXTENSIONS[checked.content_type]}", ContentFile(checked.content), save=False
    )
    attachment.save()
    return attachment
