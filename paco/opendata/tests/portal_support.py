"""Shared setup of the portal page and feed tests."""

from __future__ import annotations

from typing import Any

from paco.opendata import actions
from paco.opendata.models import Dataset, DatasetState
from paco.tenancy.models import Municipality, Unit


def published(town: Municipality, unit: Unit, title: str, **fields: Any) -> Dataset:
    """A dataset without resources, created and published through the catalogue actions."""
    ds = actions.create_dataset(None, town, title=title, unit=unit, **fields)
    actions.set_dataset_state(None, ds, DatasetState.PUBLISHED)
    return ds
