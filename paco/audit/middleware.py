from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from paco.audit.context import current_ip
from paco.core.clientip import client_ip


class AuditContextMiddleware:
    """Carries the client's address (:func:`paco.core.clientip.client_ip`) to audit entries."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request) or None)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
