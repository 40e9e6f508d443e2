"""Every panel figure against the hand-computed history of conftest.py (expected values
are worked out here by hand, in comments, never with the panel's own code)."""

import datetime

import pytest
from django.utils import timezone

from paco.atendimento.models import Rating, Status
from paco.panel import facts, figures
from paco.panel.figures import Period
from paco.panel.models import CaseFigure

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def by_label(rows):
    return {r.label: r.figures for r in rows}


def test_totals_over_the_whole_history(history):
    t = figures.build(history.town, Period(), now=NOW).totals
    assert t.received == 9
    assert t.in_progress == 3  # cases 5, 6, 9
    assert t.concluded == 6  # 1, 2, 3, 4, 7, 8
    assert t.concluded_by_year == {"2025": 3, "2026": 3}
    # handling days 10, 37, 0, 224, 5, 0 → sorted 0 0 5 10 37 224
    assert t.avg_handling_days == 46.0  # 276 / 6
    assert t.median_handling_days == 7.5  # (5 + 10) / 2
    assert t.p90_handling_days == 224  # rank ⌈0.9 × 6⌉ = 6
    # with a clock: 1 (on time), 2 (late), 3, 7, 8 (on time); case 4 has none
    assert (t.on_time, t.with_clock, t.without_clock) == (4, 5, 1)
    assert t.on_time_ratio == 0.8
    # ratings 5, 2, 4, 4
    assert t.ratings_count == 4
    assert t.satisfaction_avg == 3.75
    assert t.ratings == {"1": 0, "2": 1, "3": 0, "4": 2, "5": 1}
    assert t.resolved == {"sim": 2, "parcialmente": 1, "nao": 1}
    assert t.share("sim") == 0.5


def test_the_conclusion_day_is_the_towns_day_not_utcs(history):
    # case 3 was concluded at 23:30 in São Paulo, 02:30 UTC the next day: 0 days, not 1
    row = CaseFigure.objects.get(case=history.cases[3])
    assert row.concluded_on == datetime.date(2025, 5, 5)
    assert row.handling_days == 0


def test_per_unit_kind_and_service(history):
    panel = figures.build(history.town, Period(), now=NOW)
    units = by_label(panel.units)
    a = units["Secretaria A"]  # cases 1, 2, 5, 7, 9; concluded 1 (10), 2 (37), 7 (5)
    assert (a.received, a.in_progress, a.concluded) == (5, 2, 3)
    assert a.avg_handling_days == 17.3  # 52 / 3 = 17.33
    assert a.median_handling_days == 10.0
    assert a.p90_handling_days == 37  # rank ⌈2.7⌉ = 3
    assert (a.on_time, a.with_clock) == (2, 3)
    assert a.on_time_ratio == 0.667
    assert a.satisfaction_avg == 3.67  # (5 + 2 + 4) / 3
    b = units["Secretaria B"]  # cases 3, 4, 6, 8; concluded 3 (0), 4 (224), 8 (0)
    assert (b.received, b.in_progress, b.concluded) == (4, 1, 3)
    assert b.median_handling_days == 0.0
    assert (b.on_time, b.with_clock, b.without_clock) == (2, 2, 1)

    kinds = by_label(panel.kinds)
    assert list(kinds) == [
        "Solicitação de serviço",
        "Manifestação de ouvidoria",
        "Pedido de acesso à informação",
    ]
    ouv = kinds["Manifestação de ouvidoria"]  # 3, 6, 7, 8, 9; concluded 3 (0), 7 (5), 8 (0)
    assert (ouv.received, ouv.in_progress, ouv.concluded) == (5, 2, 3)
    assert (ouv.median_handling_days, ouv.p90_handling_days) == (0.0, 5)
    assert ouv.concluded_by_year == {"2025": 1, "2026": 2}

    services = {r.label: r for r in panel.services}
    assert list(services) == [
        "Coleta de galhos",
        "Poda de árvores",
        "Manifestação de ouvidoria",
        "Pedido de acesso à informação",
    ]
    galhos = services["Coleta de galhos"].figures  # only case 5, open
    assert (galhos.in_progress, galhos.concluded, galhos.median_handling_days) == (1, 0, None)
    assert galhos.satisfaction_avg is None and galhos.ratings_count == 0
    poda = services["Poda de árvores"]  # case 4: 224 days, no clock, no rating
    assert poda.unit == "Secretaria B" and poda.service_id == history.poda.pk
    assert poda.figures.p90_handling_days == 224
    assert poda.figures.on_time_ratio is None  # no clock: no share, counted apart
    assert poda.figures.without_clock == 1
    assert poda.figures.ratings == {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}


def test_period_filter(history):
    panel = figures.build(
        history.town, Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)), now=NOW
    )
    t = panel.totals
    assert (t.received, t.in_progress) == (4, 2)  # received in 2026: 5, 6, 7, 8
    assert t.concluded == 3  # concluded in 2026: 4 (224), 7 (5), 8 (0)
    assert t.concluded_by_year == {"2026": 3}
    assert t.avg_handling_days == 76.3  # 229 / 3
    assert (t.median_handling_days, t.p90_handling_days) == (5.0, 224)
    assert (t.on_time, t.with_clock, t.on_time_ratio) == (2, 2, 1.0)
    assert (t.ratings_count, t.satisfaction_avg) == (1, 4.0)
    assert dict((code, n) for code, _l, n in panel.manifestations) == {
        "reclamacao": 1,
        "denuncia": 0,
        "elogio": 1,
        "sugestao": 0,
        "solicitacao": 0,
        "comunicacao": 1,
    }
    # an open-ended period: from 10/04/2025 on catches case 2's conclusion but not case 1's
    t = figures.build(history.town, Period(start=datetime.date(2025, 4, 10)), now=NOW).totals
    assert t.concluded == 5
    assert t.received == 7  # all but 1 and 2


def test_nothing_yet(town_x):
    t = figures.build(town_x, Period(), now=NOW).totals
    assert (t.received, t.concluded, t.ratings_count) == (0, 0, 0)
    assert t.avg_handling_days is t.median_handling_days is t.p90_handling_days is None
    assert t.on_time_ratio is None and t.satisfaction_avg is None


def test_percentiles_on_ties_and_odd_counts():
    from collections import Counter

    assert figures.median(Counter({3: 2, 8: 1})) == 3.0  # 3 3 8
    assert figures.median(Counter({4: 4})) == 4.0
    assert figures.nearest_rank(Counter({1: 9, 50: 1}), 0.9) == 1  # rank 9 of 10
    assert figures.nearest_rank(Counter({1: 8, 50: 2}), 0.9) == 50
    assert figures.nearest_rank(Counter({7: 1}), 0.9) == 7


def test_the_facts_follow_the_case(history):
    case = history.cases[7]
    case.status = Status.IN_PROGRESS  # reopened: its conclusion no longer counts
    case.save()
    row = CaseFigure.objects.get(case=case)
    assert row.is_open and row.concluded_on is None and row.handling_days is None
    Rating.objects.filter(case=history.cases[1]).delete()
    assert CaseFigure.objects.get(case=history.cases[1]).score is None
    # a rebuild from scratch gives the same rows as the signals kept
    before = sorted(CaseFigure.objects.values_list(*_columns()))
    assert facts.rebuild(history.town) == 9
    assert sorted(CaseFigure.objects.values_list(*_columns())) == before


def _columns():
    return ("case_id", "kind", "is_open", "concluded_on", "handling_days", "on_time", "score")


def test_other_towns_cases_do_not_count(history, town_y, unit_y):
    from paco.panel.tests.conftest import make_case

    make_case(town_y, kind="esic", unit=unit_y, received="2025-03-03")
    assert figures.build(history.town, Period(), now=NOW).totals.received == 9
    assert figures.build(town_y, Period(), now=NOW).totals.received == 1


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),
        ("2025-03-04", "2025-05-05"),  # two partial months and a whole one between
        ("2025-03-01", "2026-01-31"),  # whole months only
        ("2025-05-05", "2025-05-05"),  # one day
        ("2025-04-10", None),
        (None, "2026-02-04"),
    ],
)
def test_whole_months_and_edge_days_add_up_to_the_facts(history, start, end):
    from paco.panel import aggregates, tally

    period = Period(_day(start), _day(end))
    expected: dict = {}
    tally.from_facts(history.town, period, expected)
    assert aggregates.read(history.town, period) == expected


def test_a_change_after_a_reading_shows_in_the_next(history):
    town = history.town
    assert figures.build(town, Period(), now=NOW).totals.concluded == 6
    case = history.cases[5]  # received 2026-02-02, concluded 2026-03-02: 28 days
    case.status = Status.CONCLUDED
    case.concluded_at = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)
    case.save()
    Rating.objects.create(municipality=town, case=case, score=1, resolved="nao")
    t = figures.build(town, Period(), now=NOW).totals
    assert (t.concluded, t.in_progress, t.ratings_count) == (7, 2, 5)
    assert t.p90_handling_days == 224 and t.ratings["1"] == 1
