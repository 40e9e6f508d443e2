from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from paco.audit.context import current_ip


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR is trustworthy; a reverse proxy must set it (gunicorn --forwarded-allow-ips).
    return str(request.META.get("REMOTE_ADDR", ""))


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
