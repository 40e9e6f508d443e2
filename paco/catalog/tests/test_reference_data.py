"""The audiences of the national services base are always in the table."""

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal

from paco.catalog.apps import AUDIENCES
from paco.catalog.models import Audience


@pytest.mark.django_db
def test_migrate_adds_the_audiences_missing_from_the_table():
    Audience.objects.filter(slug="empresas").delete()
    emit_post_migrate_signal(0, False, "default")  # what ``migrate`` sends at its end
    assert list(Audience.objects.values_list("slug", "name")) == AUDIENCES


@pytest.mark.django_db(transaction=True)
def test_audiences_are_loaded_back_after_a_flush():
    """The flush that ends a transactional test (or ``paco flush``) keeps the list."""
    call_command("flush", verbosity=0, interactive=False)
    assert list(Audience.objects.values_list("slug", flat=True)) == [s for s, _ in AUDIENCES]
