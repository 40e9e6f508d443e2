"""Gap-free NUP allocation, shared by Atendimento and Processos.

:func:`allocate` must run inside the transaction that creates the numbered record:
the ``UPDATE … SET last = last + 1`` takes the sequence row's lock until that
transaction ends, so concurrent submissions queue for the number (PostgreSQL row
lock; SQLite's IMMEDIATE transactions), and a rolled-back submission gives its
number back. That is what makes the sequence unique *and* gap-free.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from paco.plans.dates import today_local
from paco.protocol.models import ProtocolOffice, ProtocolSequence
from paco.protocol.nup import format_nup
from paco.tenancy.models import Municipality, Unit

#: used until the town sets its own code (an unmistakably local, non-federal range)
DEFAULT_CODE = "99999"


def office_code(town: Municipality, unit: Unit | None = None) -> str:
    """The code for ``unit``: its own office, its nearest ancestor's, the town's, or the default."""
    offices: dict[int | None, str] = dict(
        ProtocolOffice.objects.for_municipality(town).values_list("unit_id", "code")
    )
    chain = [unit, *unit.ancestors()] if unit is not None else []
    for candidate in chain:
        if candidate.pk in offices:
            return offices[candidate.pk]
    return offices.get(None, DEFAULT_CODE)


def allocate(town: Municipality, *, unit: Unit | None = None, year: int | None = None) -> str:
    """The next NUP for ``unit`` (or the town) in ``year``; call inside the record's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate() runs inside the transaction that saves the numbered record")
    code = office_code(town, unit)
    year = year or today_local().year
    rows = ProtocolSequence.objects.filter(municipality=town, code=code, year=year)
    if not rows.update(last=F("last") + 1):
        try:
            with transaction.atomic():
                ProtocolSequence.objects.create(municipality=town, code=code, year=year, last=1)
        except IntegrityError:  # a concurrent first number of the year: take the next one
            rows.update(last=F("last") + 1)
    last = rows.values_list("last", flat=True).get()
    return format_nup(code, last, year)
