"""Optional outgoing webhooks: tell the town's other tools that data was published (stage 18).

Configuration is installation-wide, without a model: ``PACO_WEBHOOK_URLS``
(comma-separated receivers) and ``PACO_WEBHOOK_SECRET`` (the HMAC key).

When a published dataset changes (:data:`paco.opendata.signals.dataset_changed`)
or a new version of one of its resources becomes current
(:data:`~paco.opendata.signals.version_published`), each receiver gets one
``POST`` with a JSON body::

    {"event": "dataset.changed" | "resource.version_published",
     "municipality": "<slug>", "dataset": "<name>", "title": "…",
     "url": "https://…/dataset/<name>/", "modified": "<ISO 8601>",
     "resource": "<uuid>", "version": 3}          # the last two for versions only

and the headers ``X-Paco-Event`` and ``X-Paco-Signature: sha256=<hex>``, the
HMAC-SHA256 of the exact body bytes with the secret (no header without a secret).
Receivers compare it with :func:`hmac.compare_digest`.

Delivery goes through :mod:`paco.core.outbound`: receivers and the redirects they
answer with may not be internal addresses (checked at connection time, every hop;
``PACO_WEBHOOK_ALLOW_INTERNAL`` admits an intranet receiver, never a redirect), the
signature is not sent to a redirect on another origin, and a URL that is not
http(s) is a logged failure.

Delivery runs in the task worker (the signals fire on commit), with a short
timeout and **no retries**: a receiver that is down misses the notice, it is
logged, and nothing piles up. The same event for the same dataset state is sent
once even if the signal fires repeatedly (a one-minute guard in the cache).
Drafts never leave the server.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import urllib.error
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.urls import reverse
from django_tasks import task

from paco.core import outbound
from paco.core.origin import town_root
from paco.opendata import signals
from paco.opendata.models import Dataset, Resource, ResourceVersion
from paco.tenancy.models import Municipality

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Paco-Signature"
EVENT_HEADER = "X-Paco-Event"
DEDUPE_SECONDS = 60


def site_root(town: Municipality) -> str:
    """``scheme://host`` of the town's public site, for links sent outside a request."""
    return town_root(town)


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(event: str, dataset: Dataset, **extra: Any) -> dict[str, Any]:
    town = dataset.municipality
    return {
        "event": event,
        "municipality": town.slug,
        "dataset": dataset.name,
        "title": dataset.title,
        "url": site_root(town) + reverse("portal:dataset", args=[dataset.name]),
        "modified": dataset.modified_at.isoformat(),
        **extra,
    }


def notify(event: str, dataset: Dataset, **extra: Any) -> int:
    """Enqueue one delivery per configured receiver; returns how many were enqueued."""
    urls: list[str] = list(settings.PACO_WEBHOOK_URLS)
    if not urls or not dataset.is_published:
        return 0
    data = payload(event, dataset, **extra)
    fingerprint = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]
    if not cache.add(f"paco:webhook:{fingerprint}", 1, DEDUPE_SECONDS):
        return 0
    body = json.dumps(data, ensure_ascii=False)
    for url in urls:
        deliver.enqueue(url, event, body)
    return len(urls)


@task()
def deliver(url: str, event: str, body: str) -> int:
    """POST one notice; the HTTP status, or 0 when the receiver could not be reached."""
    raw = body.encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Paco-Webhook/1",
        EVENT_HEADER: event,
    }
    secret: str = settings.PACO_WEBHOOK_SECRET
    if secret:
        headers[SIGNATURE_HEADER] = sign(raw, secret)
    try:
        status = outbound.post(
            url,
            raw,
            headers,
            timeout=settings.PACO_WEBHOOK_TIMEOUT_SECONDS,
            allow_internal=settings.PACO_WEBHOOK_ALLOW_INTERNAL,
            sensitive=(SIGNATURE_HEADER, EVENT_HEADER),
        )
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (OSError, ValueError, http.client.HTTPException) as exc:
        log.warning("webhook %s não entregue (%s): %s", url, event, exc)
        return 0
    if status >= 300:
        log.warning("webhook %s respondeu %s (%s)", url, status, event)
    return status


@receiver(signals.dataset_changed, dispatch_uid="portal-webhook-dataset")
def _dataset_changed(sender: Any, dataset: Dataset, **kwargs: Any) -> None:
    notify("dataset.changed", dataset)


@receiver(signals.version_published, dispatch_uid="portal-webhook-version")
def _version_published(
    sender: Any, resource: Resource, version: ResourceVersion, **kwargs: Any
) -> None:
    dataset = Dataset.objects.select_related("municipality").filter(pk=resource.dataset_id).first()
    if dataset is not None:
        notify(
            "resource.version_published",
            dataset,
            resource=str(resource.pk),
            version=version.number,
        )
