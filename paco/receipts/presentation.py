"""How a receipt's date, time and QR code are shown, the same in HTML and in the PDF."""

from __future__ import annotations

import datetime
from functools import lru_cache

import segno
from django.conf import settings
from django.utils import timezone

BRASILIA = "America/Sao_Paulo"


def zone_label() -> str:
    """``horário de Brasília`` for the default zone, else the zone's name."""
    return "horário de Brasília" if settings.TIME_ZONE == BRASILIA else f"fuso {settings.TIME_ZONE}"


def local_moment(moment: datetime.datetime) -> str:
    """``02/03/2026 às 14:05:09 (horário de Brasília)``."""
    local = timezone.localtime(moment)
    return f"{local:%d/%m/%Y} às {local:%H:%M:%S} ({zone_label()})"


@lru_cache(maxsize=64)
def qr_code(url: str) -> segno.QRCode:
    """The QR code of a verification address (medium error correction: survives a crease)."""
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> str:
    """Inline SVG of the QR code: no ``style`` attribute (strict CSP), scales with its box."""
    return str(
        qr_code(url).svg_inline(
            scale=4,
            border=2,
            omitsize=True,
            svgclass="qr-comprovante",
            lineclass=None,
            dark="#000",
            light="#fff",
        )
    )
