"""E-mails to the requester at each step, sent after the transaction commits.

Only the receipt (and a link re-sent on request) carries the secret tracking link:
the token is stored hashed, so later messages point to the public page of the
request and remind where the tracking link is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest
from django.template import loader
from django.urls import NoReverseMatch, reverse

from paco.core.mail import send_mail_on_commit
from paco.datarequests.models import DataRequest
from paco.tenancy.models import Municipality

_muted: ContextVar[bool] = ContextVar("paco_datarequests_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """No e-mail inside this block (the demo's fictional requesters)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def request_root(request: HttpRequest) -> str:
    """The address the visitor used (``https://host``), for links in the messages it causes."""
    return request.build_absolute_uri("/").rstrip("/")


def base_url(town: Municipality) -> str:
    """The municipality's public address, for links in messages sent without a request."""
    hosts = town.host_list()
    if hosts:
        return f"https://{hosts[0]}"
    return town.site_url.rstrip("/")


def public_url(root: str, data_request: DataRequest) -> str:
    return root + reverse("datarequests:detail", args=[data_request.protocol])


def tracking_url(root: str, token: str) -> str:
    return root + reverse("datarequests:track", args=[token])


def dataset_url(root: str, name: str) -> str:
    try:
        path = reverse("portal:dataset", args=[name])
    except NoReverseMatch:
        path = f"/dataset/{name}/"
    return root + path


def send(kind: str, data_request: DataRequest, root: str, **extra: Any) -> None:
    """Render ``datarequests/email/<kind>_{subject,body}.txt`` and queue it on commit."""
    if _muted.get():
        return
    town = data_request.municipality
    root = root or base_url(town)
    context = {
        "req": data_request,
        "town": town,
        "public_url": public_url(root, data_request),
        "dataset_url": (
            dataset_url(root, data_request.dataset.name) if data_request.dataset is not None else ""
        ),
        **extra,
    }
    subject = loader.render_to_string(f"datarequests/email/{kind}_subject.txt", context)
    body = loader.render_to_string(f"datarequests/email/{kind}_body.txt", context)
    send_mail_on_commit(subject, body, [data_request.requester_email])
