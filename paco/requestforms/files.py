"""What a citizen's file is, judged by its content: the one check every upload of a form passes.

The name and the browser's Content-Type are never trusted. A file is accepted when
its first bytes say it is one of the field's types and, for images, when Pillow can
read its header and the picture is not a decompression bomb (more pixels than a
phone camera makes); for PDFs, when the file starts with ``%PDF-`` and carries an
end-of-file marker. A file hiding an archive or a web page inside
(a polyglot) is refused too. Anything else (an archive, an executable, a script, an HTML
page renamed ``.pdf``, an image that would need gigabytes to open) is refused
with a pt-BR sentence meant to sit next to the field.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, UnidentifiedImageError

#: a 108-megapixel phone photo is the largest picture a citizen plausibly sends
MAX_PIXELS = 120_000_000
MAGIC = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG"}


class Refused(ValueError):
    """The file is not accepted; ``str(exc)`` is the message for the person."""


@dataclass(frozen=True)
class Checked:
    kind: str
    content_type: str
    size: int
    sha256: str


def _allowed_text(allowed: list[str]) -> str:
    names = [LABELS[a] for a in allowed if a in LABELS]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " ou " + names[-1]


def check(stream: IO[bytes], size: int, *, allowed: list[str], max_mb: int) -> Checked:
    """Accept ``stream`` as one of ``allowed`` up to ``max_mb``, or raise :class:`Refused`."""
    if size == 0:
        raise Refused("O arquivo está vazio.")
    if size > max_mb * 1024 * 1024:
        raise Refused(
            f"O arquivo tem {size / 1024 / 1024:.1f} MB; o limite deste campo é {max_mb} MB."
        )
    stream.seek(0)
    head = stream.read(16)
    kind = next(
        (k for k in allowed if any(head.startswith(m) for m in MAGIC.get(k, ()))),
        None,
    )
    if kind is None:
        raise Refused(
            f"Este arquivo não é {_allowed_text(allowed)} (o conteúdo foi verificado, não só "
            "o nome). Envie o documento num destes formatos."
        )
    _check_not_archive(stream, size)
    if kind == "pdf":
        _check_pdf(stream, size)
    else:
        _check_image(stream, kind)
    stream.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(block)
    stream.seek(0)
    return Checked(kind, CONTENT_TYPES[kind], size, digest.hexdigest())


def _check_not_archive(stream: IO[bytes], size: int) -> None:
    """Refuse polyglots: a PDF or image with a ZIP archive (or a script page) inside."""
    stream.seek(max(0, size - 65536))
    tail = stream.read()
    stream.seek(0)
    head = stream.read(4096).lower()
    if b"PK\x05\x06" in tail or b"PK\x03\x04" in head or b"<script" in head or b"<html" in head:
        raise Refused(
            "O arquivo traz outro arquivo escondido dentro dele e foi recusado. "
            "Gere o documento de novo (por exemplo, “imprimir como PDF”) e envie."
        )


def _check_pdf(stream: IO[bytes], size: int) -> None:
    stream.seek(max(0, size - 2048))
    if b"%%EOF" not in stream.read():
        raise Refused("O PDF está incompleto ou danificado. Gere o arquivo de novo e envie.")


def _check_image(stream: IO[bytes], kind: str) -> None:
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise Refused(
                        f"A imagem tem {width}×{height} pixels, grande demais para abrir. "
                        "Envie uma foto menor."
                    )
                if (image.format or "").lower() != kind:
                    raise Refused("A imagem não corresponde ao seu formato.")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Refused("A imagem é grande demais para abrir. Envie uma foto menor.") from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise Refused("A imagem está danificada ou não pôde ser lida.") from exc
