"""Whole files as responses: ``sendfile``, one byte range (``Range``), exact ``Content-Length``.

Used for the files built once per version (:mod:`.artifacts`) and the stored Parquet
file. Gunicorn hands such a response to the kernel (``sendfile``) for exactly
``Content-Length`` bytes from the file's position; elsewhere the response reads the
same window in chunks. One range per request (``bytes=a-b``, ``a-``, ``-n``);
several ranges get the whole file (RFC 9110 allows it); ``If-Range`` with another
ETag gets the whole file too; a range past the end gets 416.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$")
BLOCK = 256 * 1024


class Window:
    """``length`` bytes of an open file from its current position (closed with it)."""

    def __init__(self, fh: object, length: int) -> None:
        self.fh = fh
        self.left = length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size is None or size < 0 else min(size, self.left)
        data: bytes = self.fh.read(size)  # type: ignore[attr-defined]
        self.left -= len(data)
        return data

    def fileno(self) -> int:
        return int(self.fh.fileno())  # type: ignore[attr-defined]

    def close(self) -> None:
        self.fh.close()  # type: ignore[attr-defined]


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """``(first, last)`` of a single satisfiable range; None: unsatisfiable; False: ignore."""
    match = _RANGE.match(header)
    if match is None:
        return False  # not one byte range (several, other units, malformed): whole file
    first, last = match.groups()
    if not first and not last:
        return False
    if not first:  # the last n bytes
        count = int(last)
        if count == 0:
            return None
        return max(0, size - count), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return False
    if start >= size:
        return None
    return start, end


def serve(request: HttpRequest, path: Path, content_type: str, etag: str) -> HttpResponseBase:
    """``path`` (whole, or the requested range) with ``Accept-Ranges`` and ``Content-Length``."""
    fh = open(path, "rb")  # noqa: SIM115 — closed by the response
    size = os.fstat(fh.fileno()).st_size
    first, last, partial = 0, size - 1, False
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "").strip()
    if header and (not if_range or if_range == etag):
        wanted = byte_range(header, size)
        if wanted is None:
            fh.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            refused["Accept-Ranges"] = "bytes"
            return refused
        if wanted is not False:
            first, last = wanted  # type: ignore[misc]
            partial = True
    fh.seek(first)
    length = max(0, last - first + 1)
    response = FileResponse(
        Window(fh, length), content_type=content_type, status=206 if partial else 200
    )
    response.block_size = BLOCK
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if partial:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response
