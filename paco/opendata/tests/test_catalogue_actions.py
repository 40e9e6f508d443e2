"""Catalogue writes: who may create and change datasets, and what they record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from paco.audit.models import AuditEntry
from paco.opendata import actions, vocab
from paco.opendata.access import editable_datasets
from paco.opendata.models import Dataset, DatasetState, Theme

pytestmark = pytest.mark.django_db


def test_editor_creates_draft_in_own_unit_with_audit(town_x, unit_x_a, data_editor_x):
    ds = actions.create_dataset(
        data_editor_x,
        town_x,
        title="Despesas municipais",
        unit=unit_x_a,
        themes=["economia-e-financas"],
        keywords="Despesas; empenho, despesas",
    )
    assert ds.name == "despesas-municipais"
    assert ds.state == DatasetState.DRAFT
    assert ds.license == "cc-by" and ds.access_rights == "1"
    assert ds.keywords == ["despesas", "empenho"]
    assert list(ds.themes.values_list("key", flat=True)) == ["economia-e-financas"]
    assert AuditEntry.objects.filter(action="dataset.create", actor=data_editor_x).count() == 1


@pytest.mark.parametrize(
    "who, allowed",
    [
        ("admin_x", True),
        ("data_editor_x", True),
        ("data_editor_x_other", False),
        ("plan_editor_x", False),
        ("admin_y", False),
        ("citizen_a", False),
    ],
)
def test_who_may_edit_a_dataset_of_unit_a(request, town_x, unit_x_a, who, allowed):
    ds = actions.create_dataset(None, town_x, title="Obras", unit=unit_x_a)
    user = request.getfixturevalue(who)
    assert editable_datasets(user, town_x).filter(pk=ds.pk).exists() is allowed
    if allowed:
        actions.update_dataset(user, ds, title="Obras públicas")
        assert Dataset.objects.get(pk=ds.pk).title == "Obras públicas"
    else:
        with pytest.raises(PermissionDenied):
            actions.update_dataset(user, ds, title="Obras públicas")
        assert Dataset.objects.get(pk=ds.pk).title == "Obras"


def test_unit_of_another_town_is_refused(town_x, unit_y):
    with pytest.raises(PermissionDenied):
        actions.create_dataset(None, town_x, title="Frota", unit=unit_y)


def test_unknown_theme_and_duplicate_name_are_refused_in_portuguese(town_x, unit_x_a):
    with pytest.raises(ValidationError, match="Tema desconhecido"):
        actions.create_dataset(None, town_x, title="Frota", unit=unit_x_a, themes=["nope"])
    assert not Dataset.objects.filter(name="frota").exists()
    actions.create_dataset(None, town_x, title="Frota", unit=unit_x_a)
    with pytest.raises(ValidationError, match="Já existe"):
        actions.create_dataset(None, town_x, title="Frota", unit=unit_x_a)


def test_next_due_follows_periodicity():
    import datetime

    day = datetime.date(2026, 1, 31)
    assert actions.next_due("MENSAL", day) == datetime.date(2026, 3, 3)
    assert actions.next_due("SOB_DEMANDA", day) is None


def test_migrate_adds_the_themes_missing_from_the_table():
    Theme.objects.filter(key__in=["economia-e-financas", "saude"]).delete()
    emit_post_migrate_signal(0, False, "default")  # what ``migrate`` sends at its end
    assert set(Theme.objects.values_list("key", flat=True)) == {t.key for t in vocab.themes()}


@pytest.mark.django_db(transaction=True)
def test_themes_are_loaded_back_after_a_flush():
    """The flush that ends a transactional test (or ``paco flush``) keeps the vocabulary."""
    call_command("flush", verbosity=0, interactive=False)
    assert Theme.objects.count() == len(vocab.themes())
