"""Precision and recall per kind on the labelled fixture never drop below the documented figures."""

import re
from pathlib import Path

from paco.privacy import KINDS
from paco.privacy.tests.measure import labelled, measure

DOC = Path(__file__).resolve().parents[3] / "docs" / "privacy.md"


def _documented() -> dict[str, tuple[int, float, float]]:
    rows = re.findall(r"^\| `(\w+)` \| (\d+) \| ([\d.]+) \| ([\d.]+) \|$", DOC.read_text(), re.M)
    return {kind: (int(n), float(p), float(r)) for kind, n, p, r in rows}


def test_every_kind_is_documented_and_measured_on_enough_cells():
    documented = _documented()
    assert set(documented) == set(KINDS)
    cells = labelled()
    assert len(cells) >= 120
    assert sum(1 for expected, _c, _t in cells if not expected) >= 50  # hard negatives
    for kind, (n, _p, _r) in documented.items():
        assert n >= 3, kind


def test_precision_and_recall_are_at_least_the_documented_figures():
    measured = measure()
    for kind, (n, precision, recall) in _documented().items():
        got_precision, got_recall, got_n = measured[kind]
        assert got_n == n, kind
        assert round(got_precision, 2) >= precision, (kind, "precision", got_precision)
        assert round(got_recall, 2) >= recall, (kind, "recall", got_recall)
