"""CKAN harvesters' patterns over ``package_search``.

ckanext-harvest's CKAN harvester pages ``rows=100&start=N&sort=id asc`` until a
page comes back empty, and on later runs adds
``fq=metadata_modified:[<last run>Z TO *]`` to fetch only what changed.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import pytest

from paco.opendata import actions
from paco.opendata.models import Dataset
from paco.opendata.tests.ckan_support import UTC, make_dataset

pytestmark = pytest.mark.django_db

TOTAL = 260
BASE = datetime.datetime(2024, 1, 1, tzinfo=UTC)


def harvest(client: Any, fq: str = "") -> list[dict[str, Any]]:
    """The harvester's gather loop, as ckanext-harvest writes it."""
    params: dict[str, Any] = {"rows": "100", "start": "0", "sort": "id asc"}
    if fq:
        params["fq"] = fq
    collected: list[dict[str, Any]] = []
    for _ in range(100):  # a bound, in case the server never answers an empty page
        response = client.get("/api/3/action/package_search", params)
        assert response.status_code == 200
        page = response.json()["result"]["results"]
        if not page:
            return collected
        collected.extend(page)
        params["start"] = str(int(params["start"]) + int(params["rows"]))
    raise AssertionError("o servidor nunca devolveu uma página vazia")


@pytest.fixture
def big_catalogue(town_x, town_y, unit_x_a, unit_x_b, unit_y):
    for i in range(TOTAL):
        unit = unit_x_a if i % 2 else unit_x_b
        make_dataset(
            town_x,
            unit,
            f"conjunto-{i:03d}",
            keywords=[f"k{i % 7}"],
            formats=["csv"] if i % 3 else [],
            modified=BASE + datetime.timedelta(hours=i),
        )
    for i in range(5):
        make_dataset(town_x, unit_x_a, f"rascunho-{i}", published=False)
        make_dataset(town_y, unit_y, f"outra-cidade-{i}")
    return Dataset.objects.for_municipality(town_x).published()


def test_full_harvest_collects_each_dataset_exactly_once(big_catalogue, anon_x):
    collected = harvest(anon_x)
    ids = [p["id"] for p in collected]
    assert len(ids) == TOTAL == len(set(ids))
    assert set(ids) == {str(pk) for pk in big_catalogue.values_list("pk", flat=True)}
    assert ids == sorted(ids)  # "id asc" across pages
    assert all(p["name"].startswith("conjunto-") for p in collected)
    assert all(len(p["resources"]) == p["num_resources"] for p in collected)


def test_incremental_harvest_returns_only_newer(big_catalogue, anon_x):
    since = BASE + datetime.timedelta(hours=200)
    # the harvester writes its last run as isoformat() + "Z", microseconds included
    fq = f"metadata_modified:[{since.replace(tzinfo=None).isoformat()}.000000Z TO *]"
    collected = harvest(anon_x, fq=fq)
    assert sorted(p["name"] for p in collected) == [f"conjunto-{i:03d}" for i in range(200, TOTAL)]


def test_incremental_harvest_sees_an_edit(
    big_catalogue, anon_x, django_capture_on_commit_callbacks
):
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    fq = f"metadata_modified:[{now.replace(tzinfo=None).isoformat()}Z TO *]"
    assert harvest(anon_x, fq=fq) == []
    dataset = big_catalogue.get(name="conjunto-007")
    actions.update_dataset(None, dataset, title="Conjunto sete, revisto")
    changed = harvest(anon_x, fq=fq)
    assert [(p["name"], p["title"]) for p in changed] == [
        ("conjunto-007", "Conjunto sete, revisto")
    ]


def test_harvest_with_organization_filters(big_catalogue, anon_x, unit_x_a, unit_x_b):
    """ckanext-harvest's organizations_filter_include / _exclude become fq terms."""
    included = harvest(anon_x, fq=f"organization:{unit_x_a.slug} OR organization:nada")
    excluded = harvest(anon_x, fq=f"-organization:{unit_x_b.slug}")
    expected = sorted(f"conjunto-{i:03d}" for i in range(TOTAL) if i % 2)
    assert sorted(p["name"] for p in included) == expected
    assert sorted(p["name"] for p in excluded) == expected


def test_ids_are_uuids(big_catalogue, anon_x):
    page = anon_x.get("/api/3/action/package_search", {"rows": 5, "sort": "id asc"}).json()
    for package in page["result"]["results"]:
        assert str(uuid.UUID(package["id"])) == package["id"]
