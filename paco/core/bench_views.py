"""A bare view for ``make bench``: the ceiling a page is measured against.

Mounted at ``/bench/hello`` only when ``PACO_BENCH_HELLO=1`` (see ``paco/core/urls.py``).
It goes through the same middleware and server as every page, and does nothing else.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("olá\n", content_type="text/plain; charset=utf-8")
