"""The demo municipality gets the seed schedule, with the CGD in charge of every stage."""

from __future__ import annotations

import datetime

from paco.plans import demo
from paco.plans.models import Plan, Stage
from paco.tenancy.models import Unit


def test_demo_loads_seed_plan(town_x):
    cgd = Unit.objects.create(
        municipality=town_x, name="Comissão de Governança Digital", acronym="CGD", slug="cgd"
    )
    demo.load(town_x, {"CGD": cgd})
    plan = Plan.objects.for_municipality(town_x).get()
    assert plan.updated_on == datetime.date(2026, 5, 29)
    stages = Stage.objects.for_municipality(town_x)
    assert stages.count() == 18
    assert set(stages.values_list("unit_id", flat=True)) == {cgd.pk}
    late = stages.overdue(datetime.date(2026, 11, 30)).values_list("number", flat=True)
    assert sorted(late) == [15, 18]
