"""Fixtures of the requests tests: a real SMTP server, requests and datasets built by actions."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from paco.datarequests import actions
from paco.datarequests.models import DataRequest
from paco.opendata import actions as od_actions
from paco.opendata.models import Dataset, DatasetState
from paco.tenancy.models import Municipality, Unit
from paco.testing.smtp import smtp_server, smtp_settings  # noqa: F401

TOKEN_RE = re.compile(r"https?://[^/\s]+/dados/pedidos/acompanhar/([A-Za-z0-9_-]+)/")


def token_in(body: str) -> str:
    match = TOKEN_RE.search(body)
    assert match, body
    return match.group(1)


@pytest.fixture
def submit() -> Callable[..., tuple[DataRequest, str]]:
    """Submit a request through the action, as the public form does."""

    def build(town: Municipality, **fields: Any) -> tuple[DataRequest, str]:
        values = {
            "title": "Consumo de combustível da frota",
            "description": "Litros abastecidos por veículo e por mês, desde 2020.",
            "name": "Maria Requerente",
            "email": "maria@exemplo.org",
            "phone": "(49) 99999-0000",
            "hide_identity": False,
            **fields,
        }
        return actions.submit_request(town, **values)

    return build


@pytest.fixture
def assigned(
    submit: Callable[..., tuple[DataRequest, str]], town_x: Municipality, unit_x_a: Unit
) -> tuple[DataRequest, str]:
    """A request of town X assigned to unit A (in analysis), and its tracking token."""
    data_request, token = submit(town_x)
    actions.assign_unit(None, data_request, unit_x_a)
    return data_request, token


def make_dataset(town: Municipality, unit: Unit, name: str, *, published: bool) -> Dataset:
    dataset = od_actions.create_dataset(None, town, title=name.title(), name=name, unit=unit)
    if published:
        od_actions.set_dataset_state(None, dataset, DatasetState.PUBLISHED)
    return dataset


@pytest.fixture
def published_dataset(town_x: Municipality, unit_x_a: Unit) -> Dataset:
    return make_dataset(town_x, unit_x_a, "frota-combustivel", published=True)


@pytest.fixture
def draft_dataset(town_x: Municipality, unit_x_a: Unit) -> Dataset:
    return make_dataset(town_x, unit_x_a, "frota-rascunho", published=False)
