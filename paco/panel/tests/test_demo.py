"""``paco demo``'s two-year history: realistic, seeded, idempotent."""

import pytest

from paco.atendimento.models import Appeal, Case, CaseEvent, IdentityMode, Rating, Status
from paco.panel import demo, facts
from paco.panel.models import CaseFigure
from paco.tenancy.actions import save_unit
from paco.tenancy.demo import UNITS
from paco.tenancy.models import Unit

pytestmark = pytest.mark.django_db


def demo_units(town):
    units = {}
    for acronym, name, parent, address, hours in UNITS:
        unit = Unit(
            municipality=town,
            name=name,
            acronym=acronym,
            parent=units.get(parent) if parent else None,
            address=address,
            opening_hours=hours,
        )
        units[acronym] = save_unit(None, unit)
    from paco.catalog import demo as catalog_demo

    catalog_demo.load(town, units)
    return units


def shape(town):
    cases = Case.objects.for_municipality(town)
    return sorted(cases.values_list("kind", "status", "received_on", "due_on", "outcome"))


def test_a_two_year_history_of_every_kind(town_x, town_y):
    units = demo_units(town_x)
    assert demo.load(town_x, units, count=120) == 120
    cases = Case.objects.for_municipality(town_x)
    assert cases.count() == 120
    assert set(cases.values_list("kind", flat=True)) == {"servico", "ouvidoria", "esic"}
    days = cases.order_by("received_on").values_list("received_on", flat=True)
    assert (days.last() - days.first()).days > 600
    assert cases.filter(identity_mode=IdentityMode.ANONYMOUS).exists()
    assert cases.filter(status=Status.CONCLUDED).count() > 80
    assert cases.exclude(status=Status.CONCLUDED).exists()
    assert cases.filter(extended_at__isnull=False).exists()
    assert Rating.objects.filter(case__municipality=town_x).count() > 20
    assert CaseEvent.objects.filter(case__municipality=town_x, data__demo=True).exists()
    # some concluded late: the fact table (rebuilt once at the end) has them
    figures = CaseFigure.objects.for_municipality(town_x)
    assert figures.count() == 120
    assert figures.filter(on_time=False).exists() and figures.filter(on_time=True).exists()
    assert figures.filter(score__isnull=False).count() == Rating.objects.count()
    # seeded: the same history in another town; and loading again adds nothing
    assert demo.load(town_y, demo_units(town_y), count=120) == 120
    assert shape(town_x) == shape(town_y)
    assert demo.load(town_x, units, count=120) == 0
    assert Case.objects.for_municipality(town_x).count() == 120
    # the rows the demo got are the ones the signals would keep
    before = sorted(figures.values_list("case_id", "handling_days", "on_time", "score"))
    facts.rebuild(town_x)
    assert sorted(figures.values_list("case_id", "handling_days", "on_time", "score")) == before


def test_appeals_in_a_full_history(town_x):
    demo.load(town_x, demo_units(town_x))
    assert Case.objects.for_municipality(town_x).count() == demo.CASES
    assert Appeal.objects.for_municipality(town_x).exists()
