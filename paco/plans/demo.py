"""Demo content: the seed schedule, with the Comissão de Governança Digital in charge."""

from __future__ import annotations

from pathlib import Path

from paco.plans.actions import import_plan
from paco.plans.importer import parse_file
from paco.tenancy.models import Municipality, Unit

SEED = Path(__file__).resolve().parent / "data" / "seed_cronograma.txt"


def load(town: Municipality, units: dict[str, Unit]) -> None:
    parsed = parse_file(SEED.read_bytes(), SEED.name)
    import_plan(None, town, parsed, unit=units.get("CGD"))
