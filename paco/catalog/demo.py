"""The demo charter of Santa Rita do Paço, loaded from ``data/demo_servicos.json``.

The file is in the BNSP detail shape, so loading it exercises the same import
path as ``paco import-services``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from paco.catalog.actions import import_services

DATA_FILE = Path(__file__).parent / "data" / "demo_servicos.json"


def demo_payload() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def load(town: Any, units: dict[str, Any]) -> None:
    import_services(None, town, demo_payload())
