"""Receiving big uploads: streamed to a temporary file on disk, with a size limit.

Views that accept files call :func:`prepare` before touching ``request.POST`` /
``request.FILES``: Django then writes every chunk to a temporary file (never
the whole file in memory) and stops reading once the limit
(``PACO_MAX_UPLOAD_MB``) is passed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpRequest


def limit_bytes() -> int:
    return int(settings.PACO_MAX_UPLOAD_MB) * 1024 * 1024


def too_big_message() -> str:
    return f"O arquivo passa do limite de {settings.PACO_MAX_UPLOAD_MB} MB."


class LimitedUploadHandler(TemporaryFileUploadHandler):
    """Temporary-file upload that gives up once the request passes the size limit."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit = limit_bytes()
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


def prepare(request: HttpRequest) -> LimitedUploadHandler:
    """Install the limited on-disk handler; returns it so the view can check ``exceeded``."""
    handler = LimitedUploadHandler(request)
    request.upload_handlers = [handler]
    return handler


def declared_too_big(request: HttpRequest) -> bool:
    """Whether the declared body size already passes the limit (checked before reading it)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    try:
        return int(length) > limit_bytes() + 1024 * 1024
    except ValueError:
        return False
