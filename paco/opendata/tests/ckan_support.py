"""Helpers for the CKAN API tests: catalogue datasets built through the real actions."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.test import Client

from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState, ResourceKind
from paco.tenancy.models import Municipality, Unit

UTC = datetime.UTC


def make_dataset(
    town: Municipality,
    unit: Unit,
    name: str,
    *,
    title: str = "",
    description: str = "",
    keywords: Iterable[str] = (),
    themes: Iterable[str] = (),
    license: str = "cc-by",
    formats: Iterable[str] = (),
    published: bool = True,
    modified: datetime.datetime | None = None,
    created: datetime.datetime | None = None,
    **fields: Any,
) -> Dataset:
    """A dataset (published unless told) with one external-link resource per format."""
    dataset = actions.create_dataset(
        None,
        town,
        title=title or name.replace("-", " ").capitalize(),
        unit=unit,
        name=name,
        description=description,
        keywords=list(keywords),
        themes=list(themes),
        license=license,
        **fields,
    )
    for i, fmt in enumerate(formats):
        actions.create_resource(
            None,
            dataset,
            title=f"Arquivo {fmt.upper()} {i + 1}",
            name=f"arquivo-{i + 1}",
            kind=ResourceKind.LINK,
            url=f"https://dados.exemplo.gov.br/{name}/{i + 1}.{fmt}",
            format=fmt,
        )
    if published:
        actions.set_dataset_state(None, dataset, DatasetState.PUBLISHED)
    stamps: dict[str, datetime.datetime] = {}
    if modified:
        stamps["modified_at"] = modified
    if created:
        stamps["created_at"] = created
    if stamps:
        Dataset.objects.filter(pk=dataset.pk).update(**stamps)
    return Dataset.objects.get(pk=dataset.pk)


def call(client: Client, action: str, method: str = "get", **params: Any) -> tuple[int, Any]:
    """(status, decoded JSON) of an action, by GET with query parameters or POST with JSON."""
    url = f"/api/3/action/{action}"
    if method == "get":
        response = client.get(url, params)
    else:
        response = client.post(url, json.dumps(params), content_type="application/json")
    return response.status_code, response.json()


def result(client: Client, action: str, method: str = "get", **params: Any) -> Any:
    status, body = call(client, action, method, **params)
    assert status == 200 and body["success"] is True, body
    return body["result"]
