""" "Meus dados": what the town holds about a citizen, section by section (LGPD; Lei 14.129
art. 25 §1).

Any app that keeps data about citizens registers a section function::

    from paco.citizens import mydata

    def cases_section(user, municipality) -> mydata.Section | None: ...
    mydata.register(cases_section, erase=erase_cases)  # erase is optional

The function gets the signed-in citizen and the town of the request and returns a
:class:`Section` (or ``None`` when it has nothing): a title, what the data is for and
on what legal basis, the items shown on the page, an optional table, and the
JSON-ready ``export`` that goes into the download. ``erase(user, municipality)`` runs
when the town administrator grants a deletion request. This module registers the
account's own section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from paco.accounts.models import User
from paco.tenancy.models import Municipality


@dataclass(frozen=True)
class Table:
    caption: str
    columns: list[str]
    rows: list[list[str]]  # first cell names the row


@dataclass(frozen=True)
class Section:
    key: str  # the section's key in the JSON export
    title: str
    purpose: str  # what the data is for
    legal_basis: str
    items: list[tuple[str, str]] = field(default_factory=list)  # (label, value)
    table: Table | None = None
    export: Any = None


SectionFn = Callable[[User, Municipality], Section | None]
EraseFn = Callable[[User, Municipality], None]

_sections: list[SectionFn] = []
_erasers: list[EraseFn] = []


def register(section_fn: SectionFn, *, erase: EraseFn | None = None) -> SectionFn:
    """Add a section (once; the order of registration is the order on the page)."""
    if section_fn not in _sections:
        _sections.append(section_fn)
    if erase is not None and erase not in _erasers:
        _erasers.append(erase)
    return section_fn


def sections(user: User, municipality: Municipality) -> list[Section]:
    found = (fn(user, municipality) for fn in _sections)
    return [s for s in found if s is not None]


def erasers() -> list[EraseFn]:
    return list(_erasers)


def export(user: User, municipality: Municipality) -> dict[str, Any]:
    """The whole download: every section's ``export`` under its key."""
    return {s.key: s.export for s in sections(user, municipality)}
