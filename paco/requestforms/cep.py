"""CEP → address from a local table, so a form fills the street with no network access.

The table is a ``;``-separated CSV (``cep;logradouro;bairro;cidade;uf``): the demo
town's own (``data/ceps-santa-rita-do-paco.csv``, provenance in ``data/README.md``)
unless ``PACO_CEP_FILE`` names another. It is read once per process. Nothing here
calls a web service: a lookup that finds nothing says so and the person types the
street.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

DEMO_TABLE = Path(__file__).parent / "data" / "ceps-santa-rita-do-paco.csv"
CEP_RE = re.compile(r"^\s*(\d{5})-?(\d{3})\s*$")


@dataclass(frozen=True)
class Address:
    cep: str
    street: str
    district: str
    city: str
    uf: str

    def as_text(self) -> str:
        parts = [p for p in (self.street, self.district) if p]
        return ", ".join([*parts, f"{self.city}/{self.uf}"])


def normalize(value: str) -> str | None:
    """``"89990010"`` or ``"89990-010"`` → ``"89990-010"``; ``None`` if it is not a CEP."""
    match = CEP_RE.match(value or "")
    return f"{match[1]}-{match[2]}" if match else None


@functools.cache
def _table(path: str) -> dict[str, Address]:
    rows: dict[str, Address] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            cep = normalize(row.get("cep", ""))
            if cep:
                rows[cep] = Address(
                    cep,
                    row.get("logradouro", "").strip(),
                    row.get("bairro", "").strip(),
                    row.get("cidade", "").strip(),
                    row.get("uf", "").strip(),
                )
    return rows


def table_path() -> str:
    return str(getattr(settings, "PACO_CEP_FILE", "") or DEMO_TABLE)


def lookup(value: str) -> Address | None:
    cep = normalize(value)
    return _table(table_path()).get(cep) if cep else None
