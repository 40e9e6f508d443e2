import pytest
from django.core.management.base import CommandError

from paco.tenancy.cli import municipality_option


def test_the_only_municipality_needs_no_option(town_x):
    assert municipality_option(None) == town_x


def test_several_municipalities_need_the_option(town_x, town_y):
    with pytest.raises(CommandError, match="--municipality"):
        municipality_option(None)
    assert municipality_option("town-y") == town_y


def test_unknown_slug_is_a_clear_error(town_x):
    with pytest.raises(CommandError, match="não encontrado"):
        municipality_option("nao-existe")
