"""The native API's documented ``total`` parameter (``false`` skips the count)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from paco.opendata.models import ResourceVersion
from paco.opendata.testing import opendata_storage, publish_table  # noqa: F401
from paco.opendata.tests.datastore_support import publish_parquet
from paco.tenancy.models import Municipality, Unit

pytestmark = pytest.mark.usefixtures("opendata_storage")


@pytest.fixture
def url(town_x: Municipality, unit_x_a: Unit) -> str:
    version: ResourceVersion = publish_parquet(town_x, unit_x_a)
    return reverse("datastore:records", args=[version.resource.dataset.name, version.resource.name])


@pytest.mark.parametrize("word", ["false", "0", "nao", "não", "FALSE"])
def test_total_false_leaves_the_count_out(anon_x: Client, url: str, word: str) -> None:
    with_total = anon_x.get(url).json()
    response = anon_x.get(url, {"total": word})
    assert response.status_code == 200, response.content
    body = response.json()
    assert "total" not in body
    assert body["records"] == with_total["records"]
    assert with_total["total"] == 6


@pytest.mark.parametrize("word", ["true", "1", "sim", ""])
def test_total_true_counts_the_filtered_rows(anon_x: Client, url: str, word: str) -> None:
    body = anon_x.get(url, {"total": word, "orgao": "Secretaria de Saúde", "limit": "1"}).json()
    assert body["total"] == 3 and len(body["records"]) == 1


def test_total_with_another_value_is_refused_in_pt_br(anon_x: Client, url: str) -> None:
    response = anon_x.get(url, {"total": "talvez"})
    assert response.status_code == 400
    assert "“total” deve ser true ou false" in response.content.decode()


def test_a_column_named_total_is_filtered_with_eq(
    anon_x: Client, town_x: Municipality, unit_x_a: Unit
) -> None:
    publish_table(town_x, unit_x_a, dataset="somas", csv_text="item;total\na;5\nb;7\nc;5\n")
    url = reverse("datastore:records", args=["somas", "dados"])
    body = anon_x.get(url, {"total__eq": "5", "total": "false"}).json()
    assert [r["item"] for r in body["records"]] == ["a", "c"]
    assert "total" not in body
