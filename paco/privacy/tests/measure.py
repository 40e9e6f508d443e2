"""Precision and recall of the detectors on the labelled fixture (``labelled_cells.csv``).

Each row: the kinds a careful reader finds in ``text`` (``+``-separated, empty for
none), the ``context`` it was found in (a column name, empty for free text), and the
text. A kind is counted per cell: found and expected (true positive), found but not
expected (false positive), expected but not found (false negative).

Run ``python -m paco.privacy.tests.measure`` to print the table of ``docs/privacy.md``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from paco.privacy import KINDS, find_personal_data

FIXTURE = Path(__file__).with_name("labelled_cells.csv")


def labelled() -> list[tuple[set[str], str, str]]:
    with FIXTURE.open(encoding="utf-8", newline="") as stream:
        return [
            ({k for k in row["kinds"].split("+") if k}, row["context"], row["text"])
            for row in csv.DictReader(stream)
        ]


def measure() -> dict[str, tuple[float, float, int]]:
    """Per kind: (precision, recall, cells expected)."""
    counts = {kind: [0, 0, 0] for kind in KINDS}  # tp, fp, fn
    for expected, context, text in labelled():
        found = {m.kind for m in find_personal_data(text, context)}
        for kind in KINDS:
            if kind in found and kind in expected:
                counts[kind][0] += 1
            elif kind in found:
                counts[kind][1] += 1
            elif kind in expected:
                counts[kind][2] += 1
    result = {}
    for kind, (tp, fp, fn) in counts.items():
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        result[kind] = (precision, recall, tp + fn)
    return result


if __name__ == "__main__":
    for kind, (precision, recall, n) in measure().items():
        print(f"| `{kind}` | {n} | {precision:.2f} | {recall:.2f} |")
