from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "municipality": getattr(request, "municipality", None),
        "high_contrast": request.COOKIES.get("contraste") == "alto",
        "national_services_portal": settings.PACO_NATIONAL_SERVICES_PORTAL,
    }
