"""The panel as a self-published open dataset: through the real pipeline, no personal data."""

import pytest

from paco.opendata import selfpublish
from paco.opendata.models import Dataset, VersionStatus

pytestmark = pytest.mark.django_db


def test_the_panel_is_published_as_an_open_dataset(history, unit_x_root):
    version = selfpublish.refresh(history.town, "painel-de-atendimento")
    assert version is not None and version.status == VersionStatus.PUBLISHED, version and (
        version.error,
        version.personal_data,
    )
    dataset = Dataset.objects.get(system_key="painel-de-atendimento")
    assert dataset.name == "painel-de-atendimento"
    # unchanged figures: no new version
    assert selfpublish.refresh(history.town, "painel-de-atendimento") is None


def test_a_case_change_schedules_the_refresh(history, monkeypatch):
    scheduled = []
    monkeypatch.setattr(
        selfpublish, "schedule", lambda town_id, key: scheduled.append((town_id, key))
    )
    history.cases[5].save()
    assert scheduled == [(history.town.pk, "painel-de-atendimento")]
